/**
 * scripts/install-and-start.sh's install step, run for real in a throw-away copy with a stand-in
 * `npm` on PATH (a real `npm ci` here would take minutes and replace the repository's
 * node_modules): what the user sees when the Electron download fails, and when there is no display.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, REPO_ROOT, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

/**
 * An `npm` that records each call with ELECTRON_SKIP_BINARY_DOWNLOAD and ONNXRUNTIME_NODE_INSTALL,
 * and, like a failed Electron postinstall, prints a wall of `npm error` lines and fails when
 * Electron is to be downloaded and `electronFails` is set.
 */
function fakeNpm(bin: string, calls: string, electronFails: boolean): void {
  fs.mkdirSync(bin, { recursive: true });
  const wall = Array.from({ length: 40 }, (_, i) => `npm error electron postinstall failed, line ${i}`).join('\\n');
  fs.writeFileSync(
    path.join(bin, 'npm'),
    `#!/usr/bin/env bash
echo "$* skip=\${ELECTRON_SKIP_BINARY_DOWNLOAD:-} ort=\${ONNXRUNTIME_NODE_INSTALL:-}" >> ${JSON.stringify(calls)}
if [ "$1" = ci ] && [ -z "\${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] && [ ${electronFails ? 1 : 0} = 1 ]; then printf '${wall}\\n' >&2; exit 1; fi
if [ "$1" = ci ]; then echo "added 412 packages in 9s"; fi
exit 0
`,
    { mode: 0o755 },
  );
}

function runInstall(env: Record<string, string | undefined>, electronFails: boolean): { code: number | null; stdout: string; stderr: string; calls: string[] } {
  const repo = tempDir('studio-install-');
  fs.mkdirSync(path.join(repo, 'scripts'));
  fs.copyFileSync(path.join(REPO_ROOT, 'scripts', 'install-and-start.sh'), path.join(repo, 'scripts', 'install-and-start.sh'));
  fs.writeFileSync(path.join(repo, 'package-lock.json'), '{}');
  const calls = path.join(repo, 'npm-calls.txt');
  fakeNpm(path.join(repo, 'bin'), calls, electronFails);
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(repo, 'bin')}:${process.env.PATH ?? ''}` };
  delete base.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete base.ONNXRUNTIME_NODE_INSTALL;
  delete base.DISPLAY;
  delete base.WAYLAND_DISPLAY;
  base.TMPDIR = repo; // the failed install's log lands in the throw-away copy
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
  const r = spawnSync('bash', [path.join(repo, 'scripts', 'install-and-start.sh')], { cwd: repo, env: base, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls: fs.readFileSync(calls, 'utf8').trim().split('\n') };
}

describe.runIf(process.platform === 'linux')('the one-command install', () => {
  it('a failed Electron download costs two lines and a log, not a wall of npm errors, then installs without it', () => {
    const r = runInstall({ DISPLAY: ':0' }, true);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('npm error');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^studio: the install with the Electron binary failed \(.*details in .*studio-npm-ci\.\w+\)\.$/);
    expect(lines[1]).toBe('studio: installing without it; the studio will run in browser mode.');
    const log = /details in (\S+)\)/.exec(lines[0] as string)?.[1] as string;
    expect(fs.readFileSync(log, 'utf8')).toContain('npm error electron postinstall failed, line 39');
    expect(r.calls).toEqual(['ci --no-audit --no-fund skip= ort=skip', 'ci --no-audit --no-fund skip=1 ort=skip', 'start -- skip= ort=skip']);
  });

  it('without a display, Electron is not even tried: one line, one install', () => {
    const r = runInstall({}, true);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('studio: no display, so the desktop app cannot open here: installing without Electron; the studio runs in browser mode.');
    expect(r.calls).toEqual(['ci --no-audit --no-fund skip=1 ort=skip', 'start -- skip=1 ort=skip']);
  });

  it('a working install prints npm’s summary only', () => {
    const r = runInstall({ DISPLAY: ':0' }, false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('added 412 packages');
    expect(r.calls).toEqual(['ci --no-audit --no-fund skip= ort=skip', 'start -- skip= ort=skip']);
  });
});
