/** writeAtomically: the target gets the whole file or stays as it was. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../../main/export/atomic-file';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

describe('writeAtomically', () => {
  it('renames the temp file onto the target on success', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'a.gif');
    await writeAtomically(target, { replace: false }, async (temp) => fs.writeFileSync(temp, 'whole'));
    expect(fs.readdirSync(dir)).toEqual(['a.gif']);
    expect(fs.readFileSync(target, 'utf8')).toBe('whole');
  });

  it('removes the temp file when writing fails, and keeps an existing target', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'a.gif');
    fs.writeFileSync(target, 'old');
    const failing = writeAtomically(target, { replace: true }, async (temp) => {
      fs.writeFileSync(temp, 'half');
      throw new Error('encoder crashed');
    });
    await expect(failing).rejects.toThrow('encoder crashed');
    expect(fs.readdirSync(dir)).toEqual(['a.gif']);
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
  });

  it('a cancel during writing is CANCELLED and leaves nothing', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const cancelled = writeAtomically(path.join(dir, 'a.webm'), { replace: false, signal: controller.signal }, async (temp) => {
      fs.writeFileSync(temp, 'half');
      controller.abort();
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses an existing file without replace, and a folder that does not exist, before writing', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.gif'), 'old');
    let called = false;
    const write = async (): Promise<void> => void (called = true);
    await expect(writeAtomically(path.join(dir, 'a.gif'), { replace: false }, write)).rejects.toThrow(/already exists; pass --force/);
    await expect(writeAtomically(path.join(dir, 'no', 'a.gif'), { replace: false }, write)).rejects.toThrow(/does not exist or is not writable/);
    expect(called).toBe(false);
  });
});
