/**
 * The `studio` command as users run it: bundled by esbuild with the same options as
 * scripts/build.mjs (tests/helpers/cli-bundle.ts), then spawned under plain Node with
 * STUDIO_HOME in a temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord, ModelInfo } from '../../../contract/api';
import { decodePng, readPngText } from '../../../main/png/png-reader';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';

let cli: string;
let home: string;

beforeAll(async () => {
  cli = await bundleCli('studio');
  home = tempDir('studio-cli-home-');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (...args: string[]) => runStudio(cli, { home, args });

function pixels(file: string): Buffer {
  return Buffer.from(decodePng(fs.readFileSync(file)).rgb);
}

describe('studio generate', () => {
  test('the same seed twice gives identical pixels, in history and in --out copies', () => {
    const out = tempDir();
    const runs = [1, 2].map((n) => {
      const r = studio('generate', '--prompt', 'a red apple', '--seed', '42', '--steps', '6', '--out', path.join(out, `run${n}.png`), '--json');
      expect(r.stderr).not.toMatch(/studio: error/);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as GenerationRecord;
    });
    const [a, b] = runs as [GenerationRecord, GenerationRecord];
    expect(a.id).not.toBe(b.id);
    expect(a.recipe).toMatchObject({ prompt: 'a red apple', seed: 42, steps: 6, cfg: 5, modelId: 'tiny', provider: 'cpu', providerRequested: 'auto' });
    expect(pixels(a.outputPath).equals(pixels(b.outputPath))).toBe(true);
    expect(pixels(path.join(out, 'run1.png')).equals(pixels(a.outputPath))).toBe(true);
    expect(pixels(path.join(out, 'run2.png')).equals(pixels(a.outputPath))).toBe(true);
    expect(readPngText(fs.readFileSync(path.join(out, 'run1.png'))).parameters).toContain('Seed: 42, Size: 64x64');
  });

  test('without --seed a random seed is used and printed; no progress bar when stderr is not a TTY', () => {
    const r = studio('generate', '--prompt', 'a blue bird', '--steps', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^image: +.*\.png$/m);
    const seed = /^seed: +(\d+) \(random\)$/m.exec(r.stdout);
    expect(seed).not.toBeNull();
    expect(r.stdout).toMatch(/^recipe: +2 steps, cfg 5, DDIMScheduler, model tiny \([0-9a-f]{10}\), 64x64$/m);
    expect(r.stderr).not.toContain('[#');
  });

  test.each([
    [['--seed', 'abc'], 'studio: error: --seed must be an integer 0..4294967295 (got "abc")'],
    [['--seed=-2'], '--seed must be an integer 0..4294967295 (got "-2")'],
    [['--steps', '0'], '--steps must be an integer 1..1000 (got "0")'],
    [['--steps', '100000'], '--steps must be an integer 1..1000 (got "100000")'],
    [['--steps', '1e3'], '--steps must be an integer 1..1000 (got "1e3")'],
    [['--cfg', 'lots'], '--cfg must be a number 0..30 (got "lots")'],
    [['--provider', 'tpu'], '--provider must be one of auto, cpu, webgpu, cuda, dml, coreml (got "tpu")'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j → exit 2 with a clear message', (extra, message) => {
    const r = studio('generate', '--prompt', 'x', ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  test('a missing --prompt is a usage error', () => {
    const r = studio('generate', '--steps', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prompt is required');
  });

  test('StudioErrors print their code and exit 1, leaving nothing behind', () => {
    const before = listFilesDeep(path.join(home, 'outputs'));
    const unknown = studio('generate', '--prompt', 'x', '--model', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^studio: error \[MODEL_NOT_FOUND\]: No model "nope"/m);
    const long = studio('generate', '--prompt', 'apple '.repeat(40), '--seed', '1');
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('studio: error [PROMPT_TOO_LONG]: Prompt is 42 tokens; this model accepts at most 32.');
    expect(listFilesDeep(path.join(home, 'outputs'))).toEqual(before);
  });
});

describe('studio history, models, providers, help', () => {
  test('history --search finds the prompt; other words find nothing', () => {
    studio('generate', '--prompt', 'a purple elephant', '--seed', '9', '--steps', '2');
    const found = studio('history', '--search', 'elephant', '--json');
    expect(found.code).toBe(0);
    const records = JSON.parse(found.stdout) as GenerationRecord[];
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.every((r) => r.recipe.prompt.includes('elephant'))).toBe(true);
    expect(JSON.parse(studio('history', '--search', 'zebra', '--json').stdout)).toEqual([]);
    const limited = JSON.parse(studio('history', '--limit', '1', '--json').stdout) as GenerationRecord[];
    expect(limited).toHaveLength(1);
    expect(studio('history', '--limit', '0').code).toBe(2);
  });

  test('models --json lists tiny', () => {
    const r = studio('models', '--json');
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout) as ModelInfo[];
    expect(models.find((m) => m.id === 'tiny')).toMatchObject({ source: 'bundled', denoiser: 'transformer', width: 64, height: 64 });
  });

  test('providers --json includes cpu', () => {
    const r = studio('providers', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { available: string[] }).available).toContain('cpu');
  });

  test('--help prints usage; an unknown command is a usage error', () => {
    const help = studio('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: studio <command>');
    const genHelp = studio('generate', '--help');
    expect(genHelp.code).toBe(0);
    expect(genHelp.stdout).toContain('--prompt P');
    const unknown = studio('paint');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "paint"');
  });
});
