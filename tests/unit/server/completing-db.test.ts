/**
 * The store a job runner writes through: its result row and the job's completion are one
 * transaction, so a job is done exactly when its result exists, and a job that was stopped
 * meanwhile stores nothing.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { completingDb } from '../../../main/jobs/completing-db';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { generation } from '../store/fixtures';

let db: StudioDb;
const AT = new Date('2026-01-01T00:00:00.000Z');

beforeEach(() => {
  db = openStudioDb(path.join(tempDir('studio-completing-'), 'studio.db'));
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

  it('leaves reads and other writes as they are', () => {
    const wrapped = completingDb(db, 'job');
    expect(wrapped.jobs).toBe(db.jobs);
    expect(wrapped.history.list({})).toEqual([]);
    expect(wrapped.file).toBe(db.file);
  });
});
