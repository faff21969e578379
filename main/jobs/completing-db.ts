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
import type { StudioDb } from '../store/studio-db';

export function completingDb(db: StudioDb, jobId: string, now: () => Date = () => new Date()): StudioDb {
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
    history: { ...db.history, insert: (g) => completeWith(() => db.history.insert(g)) },
    profiles: { ...db.profiles, insert: (p) => completeWith(() => db.profiles.insert(p)) },
    benchReports: { ...db.benchReports, insert: (kind, report, at) => completeWith(() => db.benchReports.insert(kind, report, at)) },
    quantReports: { ...db.quantReports, insert: (r) => completeWith(() => db.quantReports.insert(r)) },
    modelImports: { ...db.modelImports, insert: (e) => completeWith(() => db.modelImports.insert(e)) },
  };
}
