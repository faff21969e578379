/**
 * The store a job runner writes through: its result row and the job's completion are one
 * transaction, so a job is done exactly when its result exists, and a job that was stopped
 * meanwhile stores nothing.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { studioPaths } from '../../../main/config/studio-home';
import { runGeneration } from '../../../main/generation/run-generation';
import { completingDb } from '../../../main/jobs/completing-db';
import { ModelRegistry } from '../../../main/models/model-registry';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';
import { generation } from '../store/fixtures';

let db: StudioDb;
let home: string;
const AT = new Date('2026-01-01T00:00:00.000Z');

beforeEach(() => {
  home = tempDir('studio-completing-');
  db = openStudioDb(path.join(home, 'studio.db'));
  db.jobs.insert({ id: 'job', kind: 'generate', request: {}, totalSteps: 4, createdAt: AT.toISOString() });
});
afterEach(() => {
  db.close();
  cleanupTempDirs();
});

describe('completingDb', () => {
  it('marks the running job done with the id of the history row it stores', () => {
    db.jobs.start('job', AT.toISOString());
    const record = completingDb(db, 'job', () => AT).history.insert(generation({ seed: 9 }));
    expect(db.jobs.get('job')).toMatchObject({ state: 'done', resultRef: record.id, finishedAt: AT.toISOString() });
    expect(db.history.get(record.id)?.recipe.seed).toBe(9);
  });

  it('stores nothing and throws CANCELLED when the job is no longer running', () => {
    db.jobs.start('job', AT.toISOString());
    db.jobs.end('job', 'interrupted', { code: 'INTERNAL', message: 'the studio restarted' }, AT.toISOString());
    const err = (() => {
      try {
        completingDb(db, 'job').history.insert(generation());
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toMatchObject({ code: 'CANCELLED', message: 'Job job was stopped before its result was saved; nothing was stored.' });
    expect(db.history.list({})).toEqual([]);
    expect(db.jobs.get('job')).toMatchObject({ state: 'interrupted', resultRef: null });
  });

  it('a generation whose job was stopped before it saved leaves no PNG and no history row', async () => {
    const paths = studioPaths(home);
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models });
    const request = { prompt: 'a stopped job', negativePrompt: '', steps: 3, cfg: 2, seed: 4, model: 'tiny', provider: 'cpu', scheduler: 'euler' } as const;
    db.jobs.start('job', AT.toISOString());
    db.jobs.end('job', 'interrupted', { code: 'INTERNAL', message: 'the studio restarted' }, AT.toISOString());
    const run = runGeneration(request, { registry, db: completingDb(db, 'job'), paths, appVersion: 'test' });
    // The image was made and staged; only saving it was refused.
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED', message: 'Job job was stopped before its result was saved; nothing was stored.' });
    expect(db.history.list({})).toEqual([]);
    expect(listFilesDeep(paths.outputs)).toEqual([]);
  });

  it('leaves reads and other writes as they are', () => {
    const wrapped = completingDb(db, 'job');
    expect(wrapped.jobs).toBe(db.jobs);
    expect(wrapped.history.list({})).toEqual([]);
    expect(wrapped.file).toBe(db.file);
  });
});
