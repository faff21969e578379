/**
 * `studio generate --batch N` and `--from FILE.png`, as users run them: the CLI bundled by
 * esbuild (tests/helpers/cli-bundle.ts), spawned under plain Node with STUDIO_HOME in a temp
 * folder, on the bundled trained `emoji` model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord } from '../../../contract/api';
import { decodePng } from '../../../main/png/png-reader';
import { encodePng } from '../../../main/png/png-writer';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let cli: string;
let home: string;

beforeAll(async () => {
  cli = await bundleCli('batch');
  home = tempDir('studio-cli-batch-home-');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (...args: string[]) => runStudio(cli, { home, args, timeout: 120_000 });

function json<T>(r: { code: number | null; stdout: string; stderr: string }): T {
  expect(r.stderr).not.toMatch(/studio: error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const rgb = (file: string): Buffer => Buffer.from(decodePng(fs.readFileSync(file)).rgb);

describe('studio generate --batch', () => {
  test('makes N images with consecutive seeds, wrapping past the largest seed, each its own history row', () => {
    const records = json<GenerationRecord[]>(studio('generate', '--prompt', 'grinning face', '--model', 'emoji', '--steps', '3', '--seed', '4294967295', '--batch', '3', '--json'));
    expect(records.map((r) => r.recipe.seed)).toEqual([4294967295, 0, 1]);
    expect(new Set(records.map((r) => r.id)).size).toBe(3);
    expect(new Set(records.map((r) => r.outputPath)).size).toBe(3);
    const history = json<GenerationRecord[]>(studio('history', '--json'));
    expect(history.slice(0, 3).map((r) => r.recipe.seed)).toEqual([1, 0, 4294967295]);
  });

  test('refuses a batch out of range and --out naming a file for a batch', () => {
    const tooMany = studio('generate', '--prompt', 'x', '--batch', '17');
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--batch must be an integer 1\.\.16 \(got "17"\)/);
    const out = studio('generate', '--prompt', 'x', '--batch', '2', '--out', path.join(tempDir(), 'one.png'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--out must be an existing folder/);
  });
});

describe('studio generate --from', () => {
  test('re-runs a studio PNG exactly: the same request, scheduler and cache included, and the same RGB', () => {
    const original = json<GenerationRecord>(
      studio('generate', '--prompt', 'red heart, noto', '--model', 'emoji', '--steps', '12', '--cfg', '4', '--seed', '4242', '--scheduler', 'flow-euler', '--cache', 'fora', '--cache-threshold', '2', '--json'),
    );
    const rerun = json<GenerationRecord>(studio('generate', '--from', original.outputPath, '--json'));
    expect(rerun.id).not.toBe(original.id);
    expect(rerun.recipe.request).toEqual(original.recipe.request);
    expect(rerun.recipe.cache).toEqual(original.recipe.cache);
    expect(rerun.cacheStats?.modelCalls).toBe(original.cacheStats?.modelCalls);
    expect(rgb(rerun.outputPath).equals(rgb(original.outputPath))).toBe(true);

    const reseeded = json<GenerationRecord[]>(studio('generate', '--from', original.outputPath, '--seed', '5', '--batch', '2', '--json'));
    expect(reseeded.map((r) => r.recipe.seed)).toEqual([5, 6]);
    expect(reseeded[0]?.recipe.request).toEqual({ ...original.recipe.request, seed: 5 });
  });

  test('takes prompt, negative prompt, steps, CFG, seed and sampler from an A1111 PNG', () => {
    const file = path.join(tempDir(), 'a1111.png');
    const parameters = 'smiling face with sunglasses\nNegative prompt: blurry\nSteps: 5, Sampler: Euler, CFG scale: 3.5, Seed: 123, Size: 64x64, Model hash: 0123456789, Model: emoji';
    fs.writeFileSync(file, encodePng(new Uint8Array(64 * 64 * 3), 64, 64, [{ keyword: 'parameters', text: parameters }]));
    const record = json<GenerationRecord>(studio('generate', '--from', file, '--json'));
    expect(record.recipe).toMatchObject({ prompt: 'smiling face with sunglasses', negativePrompt: 'blurry', steps: 5, cfg: 3.5, seed: 123, modelId: 'emoji' });
    expect(record.recipe.request?.scheduler).toBe('flow-euler');
  });

  test('says why a file gives no recipe: not a PNG, no settings, an unknown sampler, other options', () => {
    const dir = tempDir();
    const notPng = path.join(dir, 'notes.png');
    fs.writeFileSync(notPng, 'hello');
    const bare = path.join(dir, 'bare.png');
    fs.writeFileSync(bare, encodePng(new Uint8Array(3), 1, 1));
    const heun = path.join(dir, 'heun.png');
    fs.writeFileSync(heun, encodePng(new Uint8Array(3), 1, 1, [{ keyword: 'parameters', text: 'a cat\nSteps: 5, Sampler: Heun, CFG scale: 3, Seed: 1' }]));
    const cases: [string[], number, RegExp][] = [
      [['--from', notPng], 1, /\[INVALID_REQUEST\]: Not a readable PNG: the PNG signature is missing/],
      [['--from', bare], 1, /\[INVALID_REQUEST\]: This PNG carries no settings/],
      [['--from', heun], 1, /\[INVALID_REQUEST\]: The image's sampler "Heun" is not one this studio runs/],
      [['--from', path.join(dir, 'missing.png')], 1, /\[INVALID_REQUEST\]: Cannot open .*missing\.png: no such file/],
      [['--from', dir], 1, /is not a regular file/],
      [['--from', heun, '--steps', '4'], 2, /with --from, only --seed, --batch, --out, --force and --json may be given/],
    ];
    for (const [args, code, message] of cases) {
      const r = studio('generate', ...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
