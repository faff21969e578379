/**
 * `studio generate` making a clip: a latent walk of the `emoji` image model written as an
 * animated PNG (--out), with the frame count, rate and walk in its recipe, and the clip flags'
 * refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord, Recipe } from '../../../contract/api';
import { decodeApng } from '../../../main/png/apng-reader';
import { readPngChunks } from '../../../main/png/png-reader';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let cli: string;
let home: string;

beforeAll(async () => {
  cli = await bundleCli('video');
  home = tempDir('studio-cli-video-');
}, 180_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (...args: string[]) => runStudio(cli, { home, args, timeout: 180_000 });

describe('studio generate --frames', () => {
  test('a latent walk of an image model is one APNG with a frame per step of the walk', () => {
    const out = path.join(tempDir(), 'clip.png');
    const r = studio('generate', '--model', 'emoji', '--prompt', 'grinning face', '--seed', '3', '--steps', '8', '--frames', '6', '--fps', '12', '--walk-to-seed', '4', '--walk-to-prompt', 'red heart', '--out', out);
    expect(r.stderr).not.toMatch(/studio: error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clip: {5}6 frames at 12 fps, an animated PNG; walk to seed 4, "red heart"/);
    const bytes = fs.readFileSync(out);
    const chunks = readPngChunks(bytes).map((c) => c.type);
    expect(chunks.filter((t) => t === 'fcTL').length).toBe(6);
    expect(chunks.filter((t) => t === 'fdAT').length).toBeGreaterThanOrEqual(5);
    const clip = decodeApng(bytes);
    expect(clip.frames.length).toBe(6);
    expect([clip.width, clip.height]).toEqual([64, 64]);
    const recipe = JSON.parse(clip.texts['studio-recipe'] ?? 'null') as Recipe;
    expect(recipe.video).toEqual({ frames: 6, fps: 12, walk: { toSeed: 4, toPrompt: 'red heart' } });
  }, 200_000);

  test('the history lists the clip with its frames and rate', () => {
    const r = studio('history', '--json');
    expect(r.code).toBe(0);
    const [newest] = JSON.parse(r.stdout) as GenerationRecord[];
    expect(newest?.video).toEqual({ frames: 6, fps: 12 });
  });

  test('refuses frames for an image model without a walk, and a walk without frames', () => {
    const still = studio('generate', '--model', 'emoji', '--prompt', 'grinning face', '--frames', '8');
    expect(still.code).toBe(1);
    expect(still.stderr).toMatch(/emoji is an image model: .* needs a latent walk .* or a video model/);
    const noFrames = studio('generate', '--model', 'emoji', '--prompt', 'grinning face', '--walk-to-seed', '5');
    expect(noFrames.code).not.toBe(0);
    expect(noFrames.stderr).toMatch(/frames is required with walk/);
    expect(fs.existsSync(path.join(home, 'outputs')) ? fs.readdirSync(path.join(home, 'outputs'), { recursive: true }).filter((f) => String(f).endsWith('.png')).length : 0).toBe(1);
  });
});
