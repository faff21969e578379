/**
 * `studio generate` as users run it (bundled like build/cli.cjs, spawned under plain Node with a
 * temp STUDIO_HOME) prints its progress with the measured rate and time left: as lines with
 * STUDIO_PROGRESS=lines (stderr is a pipe here, so without it nothing is drawn).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanupTempDirs, REPO_ROOT, tempDir } from '../../helpers/runtime-fixture';

const outDir = path.join(REPO_ROOT, 'build', `test-cli-progress-${process.pid}`);
const cli = path.join(outDir, 'cli.cjs');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(REPO_ROOT, 'main/cli/index.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron', 'onnxruntime-node', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
    // As scripts/build.mjs: vega-canvas's Node build holds a top-level await a CommonJS bundle cannot.
    alias: { 'vega-canvas': path.join(REPO_ROOT, 'node_modules/vega-canvas/build/vega-canvas.browser.js') },
    logLevel: 'warning',
  });
}, 60_000);

afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
  cleanupTempDirs();
});

function generate(env: Record<string, string>): { code: number | null; stderr: string } {
  const full: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: tempDir('studio-cli-progress-') };
  delete full.STUDIO_APP_ROOT;
  delete full.STUDIO_PROGRESS;
  Object.assign(full, env);
  const r = spawnSync(process.execPath, [cli, 'generate', '--prompt', 'red heart', '--model', 'emoji', '--steps', '30', '--seed', '3'], { cwd: tempDir(), env: full, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

test('the progress lines carry steps/s and the time left while denoising', () => {
  const r = generate({ STUDIO_PROGRESS: 'lines' });
  expect(r.code).toBe(0);
  const denoise = r.stderr.split('\n').filter((line) => / denoise /.test(line));
  expect(denoise.length).toBeGreaterThanOrEqual(5);
  const withEta = denoise.filter((line) => /^\[[#.]{20}\] \d+\/30 denoise \d+\.\ds · \d+(\.\d)? steps\/s · ~\d+\.\ds left$/.test(line));
  expect(withEta.length).toBeGreaterThanOrEqual(4);
  expect(denoise[denoise.length - 1]).toMatch(/ 30\/30 denoise .* ~0\.0s left$/);
}, 90_000);

test('piped stderr without STUDIO_PROGRESS stays free of progress text', () => {
  const r = generate({});
  expect(r.code).toBe(0);
  expect(r.stderr).not.toMatch(/denoise|steps\/s/);
}, 90_000);
