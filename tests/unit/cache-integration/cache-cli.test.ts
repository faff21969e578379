/**
 * The caching commands as users run them: the CLI bundled like build/cli.cjs and spawned with
 * STUDIO_HOME in a temp folder — usage errors (exit 2), a missing profile (exit 1 with the
 * command to run), profile → cached generate → profiles list/export/import/delete, and
 * `bench cache` on the tiny fixture writing its JSON report and SVG plot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CacheProfileSummary } from '../../../contract/cache';
import type { CacheBenchReport } from '../../../main/cache/bench/run-cache-bench';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let cli: string;
let home: string;
let work: string;

beforeAll(async () => {
  cli = await bundleCli('cache');
  home = tempDir('studio-cli-home-');
  work = tempDir('studio-cli-work-');
  fs.writeFileSync(path.join(work, 'calib.txt'), 'a cat\na dog\na fish\na tree\n');
  fs.writeFileSync(path.join(work, 'bench.txt'), 'a red apple\na blue bird\na green house\n');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (...args: string[]) => runStudio(cli, { home, args, cwd: work, timeout: 120_000 });

const errorLine = (stderr: string): string => stderr.split('\n').find((l) => l.startsWith('studio: error')) ?? stderr;

describe('studio generate --cache', () => {
  test.each([
    [['--cache', 'fora', '--cache-threshold', '0'], '--cache-threshold (fora interval) must be an integer 1..100 (got "0")'],
    [['--cache', 'ertacache', '--cache-threshold', '3.5'], '--cache-threshold (ertacache lambda) must be a number 0..3 (got "3.5")'],
    [['--cache', 'teacache', '--cache-threshold=-1'], '--cache-threshold (teacache threshold) must be a number 0..3 (got "-1")'],
    [['--cache', 'quick'], '--cache must be one of none, fora, teacache, magcache, easycache, ertacache, taylorseer, linear, ertacache-forecast, auto (got "quick")'],
    [['--cache', 'auto'], '--cache auto needs --cache-calls N'],
    [['--cache-calls', '3'], '--cache-calls needs --cache auto'],
    [['--cache', 'auto', '--cache-calls', '4'], '--cache-calls must be an integer 2..3 (got "4")'],
    [['--cache', 'auto', '--cache-calls', '2', '--cache-threshold', '1'], '--cache auto takes --cache-calls N, not --cache-threshold'],
    [['--cache-threshold', '2'], '--cache-threshold needs --cache METHOD'],
  ])('%j → exit 2', (extra, message) => {
    const r = studio('generate', '--prompt', 'x', '--steps', '4', ...extra);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toBe(`studio: error: ${message}`);
  });

  test('a method that needs a profile, with none stored → exit 1 with the command that records one', () => {
    const r = studio('generate', '--prompt', 'x', '--steps', '6', '--cache', 'magcache');
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(
      'studio: error [INVALID_REQUEST]: magcache needs a calibration profile for DDIMScheduler, 6 steps, shift 1, CFG 5, 64×64; no profile is stored for model tiny. Record one with: studio profile --model tiny --steps 6 --cfg 5',
    );
  });

  test('--cache auto for a model no benchmark measured → exit 1 with the command that measures one', () => {
    const r = studio('generate', '--prompt', 'x', '--steps', '6', '--cache', 'auto', '--cache-calls', '3');
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(
      'studio: error [INVALID_REQUEST]: No cache benchmark is recorded for this model at 6 steps, CFG 5, DDIMScheduler; measure one with: studio bench cache --steps 6 --cfg 5 --matched-calls 3 --json FILE',
    );
  });

  test('FORA prints the model calls it saved', () => {
    const r = studio('generate', '--prompt', 'a red apple', '--steps', '9', '--seed', '1', '--cache', 'fora', '--cache-threshold', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cache: +fora: model calls 5\/9 \(1\.80× fewer\), model [\d.]+ ms of denoise [\d.]+ ms$/m);
  });
});

describe('studio profile and profiles', () => {
  let profile: CacheProfileSummary;

  test('profile records and stores; a cached generate then uses it', () => {
    const r = studio('profile', '--steps', '6', '--prompts-file', 'calib.txt', '--json');
    expect(r.code, r.stderr).toBe(0);
    profile = JSON.parse(r.stdout) as CacheProfileSummary;
    expect(profile).toMatchObject({ modelId: 'tiny', steps: 6, cfg: 5, prompts: 4 });
    const g = studio('generate', '--prompt', 'a red apple', '--steps', '6', '--seed', '2', '--cache', 'magcache', '--cache-threshold', '3');
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(new RegExp(`^cache: +magcache: model calls \\d/6 \\([\\d.]+× fewer\\), profile #${profile.id}, `, 'm'));
  });

  test('profile needs --steps ≥ 2 and a readable prompts file when one is named', () => {
    expect(errorLine(studio('profile', '--steps', '1', '--prompts-file', 'calib.txt').stderr)).toBe('studio: error: --steps must be an integer 2..1000 (got "1")');
    const missing = studio('profile', '--steps', '6', '--prompts-file', 'no-such-file.txt');
    expect(missing.code).toBe(1);
    expect(errorLine(missing.stderr)).toMatch(/^studio: error \[INVALID_REQUEST\]: .*no-such-file\.txt/);
  });

  test('list, export, import, delete', () => {
    const list = studio('profiles', '--model', 'tiny', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([profile]);
    const file = path.join(work, 'profile.json');
    expect(studio('profiles', 'export', String(profile.id), '--out', file).code).toBe(0);
    const imported = studio('profiles', 'import', file, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const copy = JSON.parse(imported.stdout) as CacheProfileSummary;
    expect(copy).toMatchObject({ sha256: profile.sha256, modelId: 'tiny', steps: 6 });
    expect(studio('profiles', 'delete', String(copy.id)).stdout).toBe(`deleted profile #${copy.id}\n`);
    const again = studio('profiles', 'delete', String(copy.id));
    expect(again.code).toBe(1);
    expect(errorLine(again.stderr)).toBe(`studio: error [NOT_FOUND]: There is no cache profile ${copy.id}.`);
  });

  test('importing a corrupt file → exit 1 with the clear message, nothing stored', () => {
    const bad = path.join(work, 'bad.json');
    fs.writeFileSync(bad, '{"version": 1, "key": ');
    const r = studio('profiles', 'import', bad);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^studio: error \[INVALID_REQUEST\]: The profile file is not valid: cache profile is not valid JSON: /);
    expect(JSON.parse(studio('profiles', '--json').stdout)).toHaveLength(1);
  });

  test('without --prompts-file or --steps, profile records the built-in calibration prompts at the model\'s recommended steps', () => {
    const r = studio('profile', '--json');
    expect(r.code, r.stderr).toBe(0);
    // tiny recommends 20 steps and CFG 5 (native-models/pipelines/recommended-settings.json).
    expect(JSON.parse(r.stdout) as CacheProfileSummary).toMatchObject({ modelId: 'tiny', steps: 20, cfg: 5, prompts: 8 });
  });
});

describe('studio bench cache', () => {
  test('on tiny: every method in the JSON report, a table on stdout and an SVG plot with a mark per cached setting', () => {
    const json = path.join(work, 'bench.json');
    const plot = path.join(work, 'bench.svg');
    const r = studio('bench', 'cache', '--steps', '6', '--n', '2', '--prompts-file', 'bench.txt', '--calib-prompts-file', 'calib.txt', '--thresholds-per-method', '2', '--record-profile', '--json', json, '--plot', plot);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as CacheBenchReport;
    expect(report).toMatchObject({ model: 'tiny', steps: 6, cfg: 5, provider: 'cpu', scheduler: 'DDIMScheduler' });
    expect(report.prompts).toEqual({ calibration: ['a cat', 'a dog', 'a fish', 'a tree'], benchmark: ['a red apple', 'a blue bird'] });
    expect(report.profile.source).toBe('recorded');
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(new Set(report.runs.map((x) => x.method))).toEqual(new Set(['none', 'fora', 'teacache', 'magcache', 'easycache', 'ertacache']));
    expect(report.runs.filter((x) => x.method === 'fora').map((x) => x.nfe)).toEqual([3, 2, 2]);
    const ref = report.runs[0];
    expect(ref).toMatchObject({ method: 'none', nfe: 6, speedup: 1, psnr: 100, ssim: 1 });
    for (const run of report.runs) {
      for (const v of [run.nfe, run.speedup, run.psnr, run.ssim, run.model_ms, run.total_ms, run.overhead_pct]) expect(Number.isFinite(v)).toBe(true);
      expect(run.nfe).toBeLessThanOrEqual(6);
      expect(run.ssim).toBeLessThanOrEqual(1);
    }
    expect(report.summary.matchedNfe.map((m) => m.nfe)).toEqual([3, 2]);
    expect(r.stdout).toMatch(/^method +knob +nfe +speedup +psnr dB +ssim +model ms +total ms +overhead$/m);
    const svg = fs.readFileSync(plot, 'utf8');
    const marks = svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/)?.[1] ?? '';
    // Every cached setting but those as good as the reference (PSNR capped: identical images).
    expect(marks.match(/<path /g)).toHaveLength(report.runs.filter((x) => x.psnr < 100).length);

    // A second run reuses the stored profile and says so.
    const again = studio('bench', 'cache', '--steps', '6', '--n', '1', '--prompts-file', 'bench.txt', '--thresholds-per-method', '1', '--json', json);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(fs.readFileSync(json, 'utf8')) as CacheBenchReport).profile.source).toBe('reused');
  }, 120_000);

  test('overlapping calibration and benchmark prompts are refused', () => {
    const r = studio('bench', 'cache', '--steps', '4', '--prompts-file', 'calib.txt', '--calib-prompts-file', 'calib.txt', '--json', path.join(work, 'x.json'));
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/must be disjoint; 4 appear in both \("a cat", "a dog", "a fish", …\)/);
  });
});
