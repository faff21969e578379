import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { systemLibraryMissing } from '../../../main/runtime/ort-runner';
import { gpuDeviceFound, libraryFound, librarySearchDirs, VULKAN_LOADER } from '../../../main/runtime/system-libraries';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

const onLinux = process.platform === 'linux';

describe('a provider whose system library is missing is not offered', () => {
  test('the library search follows LD_LIBRARY_PATH first, then the system folders', () => {
    const dirs = librarySearchDirs({ LD_LIBRARY_PATH: '/opt/a:/opt/b' });
    expect(dirs.slice(0, 2)).toEqual(['/opt/a', '/opt/b']);
    expect(dirs).toContain('/usr/lib');
  });

  test('a Vulkan loader in one of the folders is found; none is not', () => {
    const withLoader = tempDir();
    fs.writeFileSync(path.join(withLoader, VULKAN_LOADER), '');
    expect(libraryFound(VULKAN_LOADER, [tempDir(), withLoader])).toBe(true);
    expect(libraryFound(VULKAN_LOADER, [tempDir()])).toBe(false);
  });

  test.runIf(onLinux)('webgpu needs the Vulkan loader on Linux; the reason names it', () => {
    const withLoader = tempDir();
    fs.writeFileSync(path.join(withLoader, VULKAN_LOADER), '');
    expect(systemLibraryMissing('webgpu', [withLoader])).toBeUndefined();
    expect(systemLibraryMissing('webgpu', [tempDir()])).toMatch(/webgpu needs the Vulkan loader \(libvulkan\.so\.1\), which is not installed/);
    expect(systemLibraryMissing('cpu', [])).toBeUndefined();
  });

  test('a GPU device node (a DRM render node or an NVIDIA device) is found; a machine with neither has none', () => {
    const none = tempDir();
    fs.mkdirSync(path.join(none, 'dri'));
    fs.writeFileSync(path.join(none, 'dri', 'card0'), '');
    expect(gpuDeviceFound(none)).toBe(false);
    const render = tempDir();
    fs.mkdirSync(path.join(render, 'dri'));
    fs.writeFileSync(path.join(render, 'dri', 'renderD128'), '');
    expect(gpuDeviceFound(render)).toBe(true);
    const nvidia = tempDir();
    fs.writeFileSync(path.join(nvidia, 'nvidia0'), '');
    expect(gpuDeviceFound(nvidia)).toBe(true);
  });
});
