/** The `bench` job kind: checked like a call, run in steps of images, its report stored and read back. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { JOB_KINDS } from '../../../main/jobs/job-kinds';
import { ModelRegistry } from '../../../main/models/model-registry';
import { defaultPipelineCache } from '../../../main/pipeline/default-pipeline-cache';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
beforeAll(() => {
  paths = studioPaths(tempDir('studio-bench-job-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
});
afterAll(async () => {
  db.close();
  await defaultPipelineCache.clear();
  cleanupTempDirs();
});

describe('bench job kind', () => {
  test('validates, reports progress in images, stores the report and loads it back', async () => {
    const spec = JOB_KINDS.bench;
    const request = spec.validate({ kind: 'hybrid', large: 'emoji', small: 'emoji-small', steps: 6, cfg: 4, n: 2, largeSteps: [3], provider: 'cpu' });
    expect(request).toMatchObject({ seedBase: 0, scheduler: 'default' });
    // large-only, K = 3 both orders, small-only: 4 splits of 2 captions.
    expect(spec.totalSteps(request)).toBe(8);
    const seen: number[] = [];
    const record = await spec.run(request, { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: 'test' }, {
      signal: new AbortController().signal,
      onProgress: (p) => seen.push(p.step),
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(record.kind).toBe('hybrid');
    expect(record.kind === 'hybrid' ? record.report.points : []).toHaveLength(4);
    expect(spec.load(db, record.id)).toEqual(record);
    expect(() => spec.validate({ kind: 'hybrid', large: 'emoji', small: 'emoji-small', steps: 6, cfg: 4, n: 2, largeSteps: [] })).toThrow(/largeSteps/);
  });
});
