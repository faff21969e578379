import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { prepareStudioHome, studioHomeError } from '../../../main/config/prepare-studio-home';
import { studioPaths } from '../../../main/config/studio-home';
import { createStudioService } from '../../../main/service/studio-service';
import { testWorkerSpawner } from '../../helpers/job-worker';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

function caught(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected a StudioError');
}

function aFile(): string {
  const file = path.join(tempDir(), 'studio-home');
  fs.writeFileSync(file, 'not a folder');
  return file;
}

describe('a STUDIO_HOME that cannot be used is a STORE error naming the path, not INTERNAL with a stack', () => {
  it('STUDIO_HOME is a file', () => {
    const home = aFile();
    const err = caught(() => prepareStudioHome(studioPaths(home)));
    expect(err.code).toBe('STORE');
    expect(err.message).toBe(`The studio's data folder cannot be used: STUDIO_HOME (${home}) is a file, not a folder. Set STUDIO_HOME to a folder you can write, or fix this one.`);
    expect(err.detail).toBe(home);
  });

  it('a folder above STUDIO_HOME is a file', () => {
    const file = aFile();
    const home = path.join(file, 'deeper', 'home');
    const err = caught(() => prepareStudioHome(studioPaths(home)));
    expect(err.code).toBe('STORE');
    expect(err.message).toContain(`${file} is a file, so ${home} cannot be created in it.`);
  });

  it.runIf(process.platform === 'linux')('a read-only parent (sysfs refuses every mkdir, even for root)', () => {
    const home = '/sys/diffusion-studio-test-home';
    const err = caught(() => prepareStudioHome(studioPaths(home)));
    expect(err.code).toBe('STORE');
    expect(err.message).toMatch(new RegExp(`cannot be created or written: permission denied for ${home} \\((EACCES|EPERM|EROFS)\\)`));
  });

  it.each([
    ['EACCES', /permission denied for \/x\/home \(EACCES\)/],
    ['EROFS', /permission denied for \/x\/home \(EROFS\)/],
    ['ENOSPC', /^The disk holding \/x\/home is full\. Free some space and retry\.$/],
  ])('%s → %s', (code, message) => {
    const err = studioHomeError('/x/home', '/x/home', Object.assign(new Error(`${code}: raw`), { code }));
    expect(err.code).toBe('STORE');
    expect(err.message).toMatch(message);
  });

  it('the studio service refuses to start with that error (browser mode and the desktop app print its message)', () => {
    const home = aFile();
    const err = caught(() => createStudioService({ paths: studioPaths(home), appVersion: 'test', mode: 'browser', spawnWorker: testWorkerSpawner() }));
    expect(err.code).toBe('STORE');
    expect(err.message).toContain(`STUDIO_HOME (${home}) is a file`);
  });
});
