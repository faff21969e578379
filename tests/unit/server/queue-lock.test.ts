/**
 * The queue lock on real files and real processes: one holder at a time, and a holder that
 * dies (SIGKILL, no clean-up) leaves no stale lock behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueLock } from '../../../main/jobs/queue-lock';
import { cleanupTempDirs, REPO_ROOT, tempDir } from '../../helpers/runtime-fixture';

afterEach(() => cleanupTempDirs());

/** A separate node process that takes the lock the same way and prints "held". */
function holdInChild(file: string) {
  const code = `
    const Database = require(${JSON.stringify(path.join(REPO_ROOT, 'node_modules', 'better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)}, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => String(chunk).includes('held') && resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, held, exited };
}

describe('queueLock', () => {
  it('has one holder at a time in a process, and passes on when released', () => {
    const file = path.join(tempDir('studio-lock-'), 'jobs.lock');
    const a = queueLock(file);
    const b = queueLock(file);
    expect(a.tryAcquire()).toBe(true);
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    a.release();
    expect(b.tryAcquire()).toBe(true);
    b.release();
  });

  it('names the file when it cannot be created', () => {
    const blocker = path.join(tempDir('studio-lock-'), 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the folder should be');
    const file = path.join(blocker, 'jobs.lock');
    expect(() => queueLock(file).tryAcquire()).toThrow(expect.objectContaining({ code: 'STORE', detail: file, message: expect.stringContaining(`Cannot open the job queue's lock file ${file}`) }));
  });

  it('is refused while another process holds it, and free once that process is killed', async () => {
    const file = path.join(tempDir('studio-lock-'), 'jobs.lock');
    const holder = holdInChild(file);
    await holder.held;
    const lock = queueLock(file);
    expect(lock.tryAcquire()).toBe(false);
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(lock.tryAcquire()).toBe(true);
    lock.release();
  });
});
