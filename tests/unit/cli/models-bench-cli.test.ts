/**
 * `studio models import|delete` and `studio bench plot` as users run them (bundled by esbuild like
 * scripts/build.mjs, spawned under plain Node): what they print, their exit codes, and what is
 * left on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, REPO_ROOT, TINY_DIR, tempDir } from '../../helpers/runtime-fixture';

let cli: string;

beforeAll(async () => {
  cli = await bundleCli('models-bench');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (home: string, ...args: string[]) => runStudio(cli, { home, args });

function tinyCopy(id: string): string {
  const dir = path.join(tempDir('studio-cli-src-'), id);
  fs.cpSync(TINY_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id }));
  return dir;
}

describe('studio models import / delete', () => {
  test('imports a copy, lists it, refuses the same id again, and deletes it', () => {
    const home = tempDir('studio-cli-home-');
    const src = tinyCopy('cli-tiny');
    const imported = studio(home, 'models', 'import', src, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout) as { modelId: string; dir: string; mode: string; sha256: string };
    expect(result).toMatchObject({ modelId: 'cli-tiny', dir: path.join(home, 'models', 'cli-tiny'), mode: 'copy' });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(studio(home, 'models').stdout).toContain('cli-tiny');

    const again = studio(home, 'models', 'import', src);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('studio: error [INVALID_REQUEST]: A model with id "cli-tiny" is already installed');

    const deleted = studio(home, 'models', 'delete', 'cli-tiny');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('deleted cli-tiny\n');
    expect(fs.readdirSync(path.join(home, 'models'))).toEqual([]);
  });

  test('--link links the folder; a missing folder and a bundled model are refused with exit code 1', () => {
    const home = tempDir('studio-cli-home-');
    const src = tinyCopy('cli-linked');
    const linked = studio(home, 'models', 'import', src, '--link');
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toContain('imported cli-linked (linked');
    expect(fs.lstatSync(path.join(home, 'models', 'cli-linked')).isSymbolicLink()).toBe(true);
    expect(studio(home, 'models', 'delete', 'cli-linked').code).toBe(0);
    expect(fs.existsSync(path.join(src, 'model_index.json'))).toBe(true);

    const missing = studio(home, 'models', 'import', path.join(home, 'nothing'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^studio: error \[MODEL_NOT_FOUND\]: There is no folder at /);
    const bundled = studio(home, 'models', 'delete', 'emoji');
    expect(bundled.code).toBe(1);
    expect(bundled.stderr).toContain('is a bundled model');
    expect(studio(home, 'models', 'import').code).toBe(2);
  });
});

describe('studio bench plot', () => {
  test('writes a shipped report as an SVG chart with one mark per setting', () => {
    const home = tempDir('studio-cli-home-');
    const out = path.join(tempDir(), 'cache.svg');
    const r = studio(home, 'bench', 'plot', path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`plot: ${out}\n`);
    const svg = fs.readFileSync(out, 'utf8');
    const marks = svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/)?.[1] ?? '';
    // One mark per cached setting; the uncached reference is the axes' origin of comparison, not a point.
    const report = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), 'utf8')) as { runs: { method: string }[] };
    const settings = report.runs.filter((run) => run.method !== 'none').length;
    expect(settings).toBeGreaterThan(10);
    expect(marks.match(/<path /g)).toHaveLength(settings);
  });

  test('a PNG name, a missing report and a file that is no report are refused', () => {
    const home = tempDir('studio-cli-home-');
    const dir = tempDir();
    const png = studio(home, 'bench', 'plot', path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), '--out', path.join(dir, 'x.png'));
    expect(png.code).toBe(2);
    expect(png.stderr).toContain('give a file name ending in .svg');
    const cachePng = studio(home, 'bench', 'cache', '--json', path.join(dir, 'r.json'), '--plot', path.join(dir, 'r.png'));
    expect(cachePng.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'r.json'))).toBe(false);
    expect(studio(home, 'bench', 'plot', path.join(dir, 'none.json'), '--out', path.join(dir, 'y.svg')).code).toBe(1);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"hello": 1}');
    const other = studio(home, 'bench', 'plot', path.join(dir, 'other.json'), '--out', path.join(dir, 'y.svg'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('is not a benchmark report');
    expect(fs.existsSync(path.join(dir, 'y.svg'))).toBe(false);
  });
});
