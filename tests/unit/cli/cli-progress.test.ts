/**
 * `studio generate` as users run it (bundled like build/cli.cjs, spawned under plain Node with a
 * temp STUDIO_HOME) prints its progress with the measured rate and time left: as lines with
 * STUDIO_PROGRESS=lines (stderr is a pipe here, so without it nothing is drawn).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let cli: string;

beforeAll(async () => {
  cli = await bundleCli('progress');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

function generate(env: Record<string, string>): { code: number | null; stderr: string } {
  const args = ['generate', '--prompt', 'red heart', '--model', 'emoji', '--steps', '30', '--seed', '3'];
  const r = runStudio(cli, { home: tempDir('studio-cli-progress-'), args, env: { STUDIO_PROGRESS: undefined, ...env } });
  return { code: r.code, stderr: r.stderr };
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
