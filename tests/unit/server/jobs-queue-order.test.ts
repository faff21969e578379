/**
 * The queue's run order on a real SQLite file: jobs.move reorders queued jobs only, a job
 * queued later still runs last, an interrupted job's retry keeps its place, and the queue
 * view lists what the panel offers to retry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCallRequest } from '../../../contract/validate';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';

let dir: string;
let db: StudioDb;
const AT = '2026-01-01T00:00:00.000Z';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-queue-order-'));
  db = openStudioDb(path.join(dir, 'studio.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const add = (id: string) => db.jobs.insert({ id, kind: 'generate', request: { prompt: id }, totalSteps: 10, createdAt: AT });
const order = (): string[] => db.jobs.queued().map((j) => j.id);

describe('queue order', () => {
  it('moves a queued job up, down, to the front and to the end', () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    expect(db.jobs.move('c', 'up')).toBe(true);
    expect(order()).toEqual(['a', 'c', 'b', 'd']);
    expect(db.jobs.move('a', 'down')).toBe(true);
    expect(order()).toEqual(['c', 'a', 'b', 'd']);
    expect(db.jobs.move('d', 'first')).toBe(true);
    expect(order()).toEqual(['d', 'c', 'a', 'b']);
    expect(db.jobs.move('d', 'last')).toBe(true);
    expect(order()).toEqual(['c', 'a', 'b', 'd']);
  });

  it('refuses moves past either end and moves of jobs that are not queued', () => {
    for (const id of ['a', 'b']) add(id);
    expect(db.jobs.move('a', 'up')).toBe(false);
    expect(db.jobs.move('a', 'first')).toBe(false);
    expect(db.jobs.move('b', 'down')).toBe(false);
    expect(db.jobs.move('nope', 'up')).toBe(false);
    expect(db.jobs.start('a', AT)).toBe(true);
    expect(db.jobs.move('a', 'last')).toBe(false);
    expect(order()).toEqual(['b']);
  });

  it('runs a job queued after a reorder last', () => {
    for (const id of ['a', 'b', 'c']) add(id);
    db.jobs.move('c', 'first');
    add('d');
    expect(order()).toEqual(['c', 'a', 'b', 'd']);
  });

  it('keeps the order across a reopen of the store', () => {
    for (const id of ['a', 'b', 'c']) add(id);
    db.jobs.move('b', 'last');
    db.close();
    db = openStudioDb(path.join(dir, 'studio.db'));
    expect(order()).toEqual(['a', 'c', 'b']);
  });

  it('puts the retry of an interrupted job that had been moved where it was', () => {
    for (const id of ['a', 'b', 'c']) add(id);
    db.jobs.move('c', 'first');
    expect(db.jobs.start('c', AT)).toBe(true);
    const [recovered] = db.jobs.recoverRunning('stopped', AT);
    expect(recovered?.retry).toBeDefined();
    expect(order()).toEqual([recovered?.retry?.id, 'a', 'b']);
  });

  it('lists ended jobs that were not retried yet, newest first', () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    db.jobs.end('a', 'failed', { code: 'INTERNAL', message: 'x' }, AT);
    db.jobs.end('b', 'cancelled', null, AT);
    db.jobs.end('c', 'cancelled', null, AT);
    db.jobs.insert({ id: 'b2', kind: 'generate', request: { prompt: 'b' }, totalSteps: 10, createdAt: AT, retryOf: 'b', attempt: 2 });
    expect(db.jobs.endedUnretried(5).map((j) => j.id)).toEqual(['c', 'a']);
    expect(db.jobs.endedUnretried(1).map((j) => j.id)).toEqual(['c']);
    expect(db.jobs.running()).toEqual([]);
  });

  it('checks jobs.move requests at the boundary', () => {
    expect(validateCallRequest('jobs.move', { jobId: 'a', to: 'first' })).toEqual({ jobId: 'a', to: 'first' });
    expect(() => validateCallRequest('jobs.move', { jobId: 'a', to: 'sideways' })).toThrow(/to/);
    expect(() => validateCallRequest('jobs.move', { jobId: '', to: 'up' })).toThrow(/jobId/);
    expect(() => validateCallRequest('jobs.move', { jobId: 'a', to: 'up', by: 2 })).toThrow(/by/);
    expect(validateCallRequest('jobs.queue', {})).toEqual({});
  });
});
