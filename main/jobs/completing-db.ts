/**
 * The store a job runner writes through: the same StudioDb, except that storing the job's
 * result (a history row, a cache profile, a benchmark report) also marks the job done, in one SQLite
 * transaction, with the new row's id as the job's result reference.
 *
 * Why: a crash between "result stored" and "job done" would otherwise leave a job that a
 * restart runs again, duplicating the history row. Here either both are written or
 * neither. If the job is no longer running when the result arrives (the studio interrupted
 * or cancelled it meanwhile, e.g. after a restart), the result row is rolled back and the
 * runner sees CANCELLED, so the job's retry is the only one that stores it.
 */
import { StudioError } from '../../contract/errors';
import type { JobKind } from '../../contract/jobs';
import type { StudioDb } from '../store/studio-db';

/** The table each kind's result goes to. */
const RESULT_TABLE = {
  generate: 'history',
  profile: 'profiles',
  bench: 'benchReports',
  quantize: 'quantReports',
  'model-import': 'modelImports',
} as const satisfies Record<JobKind, keyof StudioDb>;

/**
 * With `kind`, only an insert into that kind's result table completes the job: a cache benchmark
 * stores the calibration profile it records on the way as an ordinary profile, not as its result.
 */
export function completingDb(db: StudioDb, jobId: string, now: () => Date = () => new Date(), kind?: JobKind): StudioDb {
  const completes = (table: (typeof RESULT_TABLE)[JobKind]): boolean => kind === undefined || RESULT_TABLE[kind] === table;
  const completeWith = <T extends { id: number }>(insert: () => T): T =>
    db.transaction(() => {
      const row = insert();
      if (!db.jobs.complete(jobId, row.id, now().toISOString())) {
        throw new StudioError('CANCELLED', `Job ${jobId} was stopped before its result was saved; nothing was stored.`);
      }
      return row;
    });
  return {
    ...db,
    ...(completes('history') ? { history: { ...db.history, insert: (g) => completeWith(() => db.history.insert(g)) } } : {}),
    ...(completes('profiles') ? { profiles: { ...db.profiles, insert: (p) => completeWith(() => db.profiles.insert(p)) } } : {}),
    ...(completes('benchReports') ? { benchReports: { ...db.benchReports, insert: (k, report, at) => completeWith(() => db.benchReports.insert(k, report, at)) } } : {}),
    ...(completes('quantReports') ? { quantReports: { ...db.quantReports, insert: (r) => completeWith(() => db.quantReports.insert(r)) } } : {}),
    ...(completes('modelImports') ? { modelImports: { ...db.modelImports, insert: (e) => completeWith(() => db.modelImports.insert(e)) } } : {}),
  } as StudioDb;
}
