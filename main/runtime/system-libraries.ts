/**
 * Whether an execution provider's system library can be loaded, checked without loading it.
 *
 * Why: onnxruntime-node's WebGPU provider runs on Dawn, which on Linux needs the Vulkan loader
 * (libvulkan.so.1). Without it every attempt prints "Warning: Couldn't load Vulkan. Searched …"
 * from native code straight to stderr (no onnxruntime log level reaches it) and then fails, so
 * `--provider auto` printed that on every run. A provider whose library is absent cannot
 * initialize, so it is not offered, and nothing tries it.
 *
 * The search follows the dynamic loader's: LD_LIBRARY_PATH, the folders listed in
 * /etc/ld.so.conf(.d), the usual system folders, and the folders Dawn itself looks in (beside
 * the onnxruntime binding).
 */
import fs from 'node:fs';
import path from 'node:path';

/** The Vulkan loader Dawn opens on Linux. */
export const VULKAN_LOADER = 'libvulkan.so.1';

const SYSTEM_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib'];
const MULTIARCH: Partial<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** Folders named in /etc/ld.so.conf and the files it includes (one level of `include`). */
function ldConfigDirs(confFile = '/etc/ld.so.conf'): string[] {
  const dirs: string[] = [];
  const read = (file: string, depth: number): void => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') continue;
      const include = /^include\s+(.+)$/.exec(line);
      if (include && depth === 0) {
        const pattern = include[1] as string;
        const dir = path.dirname(pattern);
        const suffix = path.basename(pattern).replace(/^\*/, '');
        let names: string[] = [];
        try {
          names = fs.readdirSync(dir).filter((n) => n.endsWith(suffix));
        } catch {
          names = [];
        }
        for (const name of names.sort()) read(path.join(dir, name), depth + 1);
      } else if (line.startsWith('/')) {
        dirs.push(line);
      }
    }
  };
  read(confFile, 0);
  return dirs;
}

/** Where the Linux dynamic loader (and Dawn) would look for a library, in order. */
export function librarySearchDirs(env: NodeJS.ProcessEnv = process.env, extra: readonly string[] = []): string[] {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  const arch = MULTIARCH[process.arch];
  const multiarch = arch === undefined ? [] : [`/lib/${arch}`, `/usr/lib/${arch}`, `/usr/local/lib/${arch}`];
  return [...new Set([...extra, ...fromEnv, ...ldConfigDirs(), ...multiarch, ...SYSTEM_DIRS])];
}

/** True when `name` is a file in one of `dirs`. */
export function libraryFound(name: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => fs.existsSync(path.join(dir, name)));
}

/**
 * True when a GPU device node exists: a DRM render node (`dri/renderD128`, Intel, AMD and others)
 * or an NVIDIA device (`nvidia0`). Why: Mesa's Vulkan package also installs lavapipe, a software
 * Vulkan device, so with the loader present Dawn starts on the CPU (slower than the cpu provider,
 * and it prints adapter warnings to stderr). Without a device node there is no GPU to use.
 */
export function gpuDeviceFound(devDir = '/dev'): boolean {
  const has = (dir: string, name: RegExp): boolean => {
    try {
      return fs.readdirSync(dir).some((n) => name.test(n));
    } catch {
      return false;
    }
  };
  return has(path.join(devDir, 'dri'), /^renderD\d+$/) || has(devDir, /^nvidia\d+$/);
}
