/**
 * The bundled video model `emoji-motion` through `studio generate`: an 8-frame clip, one
 * animated PNG whose frames are 64×64 emoji that move, recorded in history as a clip, the
 * same bytes for the same seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord, ModelInfo } from '../../../contract/api';
import { decodeApng } from '../../../main/png/apng-reader';
import { bundleCli, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let cli: string;
let home: string;

beforeAll(async () => {
  cli = await bundleCli('emoji-motion');
  home = tempDir('studio-cli-motion-');
}, 180_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (...args: string[]) => runStudio(cli, { home, args, timeout: 180_000 });

describe('studio generate --model emoji-motion', () => {
  test('is listed as a bundled video model of 8 to 16 frames at 10 fps', () => {
    const r = studio('models', '--json');
    expect(r.code).toBe(0);
    const motion = (JSON.parse(r.stdout) as ModelInfo[]).find((m) => m.id === 'emoji-motion');
    expect(motion).toMatchObject({ source: 'bundled', kind: 'video', video: { framesMin: 8, framesMax: 16, framesDefault: 16, fpsDefault: 10 }, width: 64, height: 64 });
  });

  test('makes an 8-frame clip, the same bytes for the same seed', () => {
    const out = tempDir();
    const runs = [1, 2].map((n) => {
      const r = studio('generate', '--model', 'emoji-motion', '--prompt', 'grinning face', '--seed', '7', '--steps', '10', '--frames', '8', '--fps', '8', '--out', path.join(out, `clip${n}.png`), '--json');
      expect(r.stderr).not.toMatch(/studio: error/);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as GenerationRecord;
    });
    const [a] = runs as [GenerationRecord, GenerationRecord];
    expect(a.video).toEqual({ frames: 8, fps: 8 });
    expect(a.recipe).toMatchObject({ modelId: 'emoji-motion', video: { frames: 8, fps: 8 }, width: 64, height: 64 });
    const bytes = fs.readFileSync(path.join(out, 'clip1.png'));
    expect(bytes.equals(fs.readFileSync(path.join(out, 'clip2.png')))).toBe(true);
    const clip = decodeApng(bytes);
    expect(clip.frames.length).toBe(8);
    expect(clip.frames.map((f) => f.delayMs)).toEqual(new Array(8).fill(125));
    // A clip, not one image eight times: some frame differs from the first.
    const first = Buffer.from(clip.frames[0]?.rgba as Uint8Array);
    expect(clip.frames.slice(1).some((f) => !Buffer.from(f.rgba).equals(first))).toBe(true);
  }, 200_000);

  test('refuses more frames than it was trained for, and a latent walk', () => {
    const tooMany = studio('generate', '--model', 'emoji-motion', '--prompt', 'grinning face', '--frames', '20');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('frames must be between 8 and 16 for emoji-motion (got 20).');
    const walk = studio('generate', '--model', 'emoji-motion', '--prompt', 'grinning face', '--frames', '8', '--walk-to-seed', '3');
    expect(walk.code).toBe(1);
    expect(walk.stderr).toMatch(/emoji-motion is a video model: .* takes no latent walk/);
  });
});
