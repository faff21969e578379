/**
 * The cache benchmark as a `bench` job, in process on the tiny fixture and a real store: the
 * request is checked, progress counts images up to the run's real total, the calibration profile
 * it records is stored as a profile while only the report completes the job, and the report
 * charts with one point per cached setting.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { benchChart } from '../../../main/bench/bench-charts';
import { studioPaths } from '../../../main/config/studio-home';
import { completingDb } from '../../../main/jobs/completing-db';
import { JOB_KINDS } from '../../../main/jobs/job-kinds';
import { ModelRegistry } from '../../../main/models/model-registry';
import { defaultPipelineCache } from '../../../main/pipeline/default-pipeline-cache';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let db: StudioDb;
const paths = studioPaths(tempDir('studio-cache-bench-'));

beforeAll(() => {
  db = openStudioDb(paths.db);
});
afterAll(async () => {
  db.close();
  await defaultPipelineCache.clear();
  cleanupTempDirs();
});

test('runs, records its profile as a profile, completes with its report, and refuses too many prompts', async () => {
  const spec = JOB_KINDS.bench;
  const request = spec.validate({ kind: 'cache', model: 'tiny', steps: 4, cfg: 4, n: 1, thresholdsPerMethod: 1 });
  expect(request).toMatchObject({ calibrationN: 4, seed: 0, scheduler: 'default', provider: 'auto' });
  db.jobs.insert({ id: 'bench-job', kind: 'bench', request, totalSteps: spec.totalSteps(request), createdAt: new Date().toISOString() });
  db.jobs.start('bench-job', new Date().toISOString());
  const seen: { step: number; totalSteps: number }[] = [];
  const ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db: completingDb(db, 'bench-job', undefined, 'bench'), paths, appVersion: 'test' };
  const record = await spec.run(request, ctx, { signal: new AbortController().signal, onProgress: (p) => seen.push(p) });

  expect(record.kind).toBe('cache');
  expect(db.jobs.get('bench-job')).toMatchObject({ state: 'done', resultRef: record.id });
  expect(db.profiles.list({})).toHaveLength(1);
  const last = seen.at(-1)!;
  expect(last.step).toBe(last.totalSteps);
  expect(spec.load(db, record.id)).toEqual(record);
  const chart = benchChart(`run:${record.id}`, record.report);
  expect(chart.points.length).toBeGreaterThan(3);
  expect(chart.model).toBe('tiny');

  await expect(spec.run({ ...request, n: 40 }, ctx, { signal: new AbortController().signal, onProgress: () => {} })).rejects.toThrow(/n must be at most 32/);
  expect(() => spec.validate({ kind: 'cache', model: 'tiny', steps: 4, cfg: 4, n: 0 })).toThrow(/n must be an integer between 1 and 64/);
  expect(() => spec.validate({ kind: 'nope', model: 'tiny' })).toThrow(/kind must be one of hybrid, cache/);
});
