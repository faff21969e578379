/**
 * The job queue's table on a real SQLite file: order, the conditional state changes two
 * processes race on, and recovery of jobs that were running when the process died.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { generation } from '../store/fixtures';

let dir: string;
let db: StudioDb;
const AT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:01:00.000Z';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-jobs-'));
  db = openStudioDb(path.join(dir, 'studio.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const add = (id: string) => db.jobs.insert({ id, kind: 'generate', request: { prompt: id }, totalSteps: 10, createdAt: AT });

describe('jobs repo', () => {
  it('queues in insertion order and reads back what was stored', () => {
    const a = add('a');
    add('b');
    add('c');
    expect(a).toMatchObject({ id: 'a', kind: 'generate', request: { prompt: 'a' }, state: 'queued', step: 0, totalSteps: 10, resultRef: null, error: null, attempt: 1, retryOf: null, createdAt: AT, startedAt: null, finishedAt: null });
    expect(db.jobs.queued().map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect(db.jobs.list({}).map((j) => j.id)).toEqual(['c', 'b', 'a']);
    expect(db.jobs.list({ limit: 1 }).map((j) => j.id)).toEqual(['c']);
  });

  it('moves a job through its states once: a second, racing change is refused', () => {
    add('a');
    expect(db.jobs.start('a', AT)).toBe(true);
    expect(db.jobs.start('a', AT)).toBe(false);
    db.jobs.setStep('a', 4);
    expect(db.jobs.get('a')).toMatchObject({ state: 'running', step: 4, startedAt: AT });
    expect(db.jobs.complete('a', 42, LATER)).toBe(true);
    expect(db.jobs.end('a', 'cancelled', null, LATER)).toBe(false);
    expect(db.jobs.complete('a', 43, LATER)).toBe(false);
    expect(db.jobs.get('a')).toMatchObject({ state: 'done', resultRef: 42, step: 10, finishedAt: LATER });
    expect(db.jobs.list({ state: 'done' }).map((j) => j.id)).toEqual(['a']);
  });

  it('ends a queued job with its error, and never completes it', () => {
    add('a');
    expect(db.jobs.complete('a', 1, AT)).toBe(false);
    expect(db.jobs.end('a', 'failed', { code: 'MODEL_NOT_FOUND', message: 'gone' }, AT)).toBe(true);
    expect(db.jobs.get('a')).toMatchObject({ state: 'failed', error: { code: 'MODEL_NOT_FOUND', message: 'gone' } });
    expect(db.jobs.queued()).toEqual([]);
  });

  it('recovers running jobs as interrupted, retrying a first attempt once in its place', () => {
    add('a');
    add('b');
    db.jobs.start('a', AT);
    const [recovered, ...more] = db.jobs.recoverRunning('The studio stopped while this job ran.', LATER);
    expect(more).toEqual([]);
    expect(recovered?.interrupted).toMatchObject({ id: 'a', state: 'interrupted', error: { code: 'INTERNAL', message: 'The studio stopped while this job ran.' }, finishedAt: LATER });
    const retry = recovered?.retry;
    expect(retry).toMatchObject({ kind: 'generate', request: { prompt: 'a' }, state: 'queued', attempt: 2, retryOf: 'a' });
    // The retry runs before b, where a stood.
    expect(db.jobs.queued().map((j) => j.id)).toEqual([retry?.id, 'b']);

    // Interrupted again: recorded, but not retried a second time.
    db.jobs.start(retry?.id ?? '', LATER);
    const again = db.jobs.interrupt(retry?.id ?? '', 'The worker process exited.', LATER);
    expect(again).toEqual({ interrupted: expect.objectContaining({ id: retry?.id, state: 'interrupted', attempt: 2 }) });
    expect(db.jobs.queued().map((j) => j.id)).toEqual(['b']);
    expect(db.jobs.interrupt('b', 'not running', LATER)).toBeUndefined();
  });

  it('writes a result row and the job completion together or not at all', () => {
    add('a');
    add('b');
    db.jobs.start('a', AT);
    db.jobs.start('b', AT);
    const completeWith = (id: string) =>
      db.transaction(() => {
        const record = db.history.insert(generation({ seed: 5 }));
        if (!db.jobs.complete(id, record.id, LATER)) throw new Error('job no longer running');
        return record;
      });
    const record = completeWith('a');
    expect(db.jobs.get('a')).toMatchObject({ state: 'done', resultRef: record.id });
    // b was interrupted meanwhile: its result row is rolled back with the refused completion.
    db.jobs.end('b', 'interrupted', { code: 'INTERNAL', message: 'gone' }, AT);
    expect(() => completeWith('b')).toThrow('job no longer running');
    expect(db.jobs.get('b')).toMatchObject({ state: 'interrupted', resultRef: null });
    expect(db.history.list({}).map((r) => r.id)).toEqual([record.id]);
  });
});
