/**
 * generate.start's clip fields at the boundary (frames, fps, walk), and the rules that need the
 * model, checked where it is resolved (clip-mode.ts).
 */
import { describe, expect, it } from 'vitest';
import type { GenerateRequest, ModelInfo } from '../../../contract/api';
import { validateCallRequest } from '../../../contract/validate';
import { clipMode } from '../../../main/generation/clip-mode';

const base = { prompt: 'grinning face', steps: 20, cfg: 4, seed: 1, model: 'emoji' };
const valid = (extra: Record<string, unknown>): GenerateRequest => validateCallRequest('generate.start', { ...base, ...extra });

const imageModel: Pick<ModelInfo, 'id' | 'kind' | 'video'> = { id: 'emoji', kind: 'image' };
const videoModel: Pick<ModelInfo, 'id' | 'kind' | 'video'> = { id: 'emoji-motion', kind: 'video', video: { framesMin: 8, framesMax: 16, framesDefault: 16, fpsDefault: 10 } };

describe('generate.start clip fields', () => {
  it('takes frames, fps and a walk', () => {
    expect(valid({ frames: 16, fps: 12.5, walk: { toSeed: 2, toPrompt: 'red heart' } })).toMatchObject({ frames: 16, fps: 12.5, walk: { toSeed: 2, toPrompt: 'red heart' } });
  });

  it('refuses frames and fps out of range', () => {
    expect(() => valid({ frames: 1 })).toThrow(/frames must be an integer between 2 and 64 \(got 1\)/);
    expect(() => valid({ frames: 8.5 })).toThrow(/frames must be an integer between 2 and 64/);
    expect(() => valid({ fps: 0 })).toThrow(/fps must be a number between 1 and 30 \(got 0\)/);
    expect(() => valid({ fps: 31 })).toThrow(/fps must be a number between 1 and 30/);
  });

  it('refuses a walk that goes nowhere, a walk without frames, and unknown walk fields', () => {
    expect(() => valid({ frames: 8, walk: {} })).toThrow(/walk needs toSeed, toPrompt or both/);
    expect(() => valid({ walk: { toSeed: 3 } })).toThrow(/frames is required with walk/);
    expect(() => valid({ frames: 8, walk: { seed: 3 } })).toThrow(/walk has an unknown field "seed"/);
    expect(() => valid({ frames: 8, walk: 3 })).toThrow(/walk must be an object with toSeed and\/or toPrompt/);
    expect(() => valid({ frames: 8, walk: { toPrompt: '   ' } })).toThrow(/toPrompt must not be empty/);
  });
});

describe('clipMode', () => {
  it('makes a still of a plain request to an image model', () => {
    expect(clipMode(valid({}), imageModel)).toEqual({ kind: 'still' });
  });

  it('walks an image model, each absent end staying where the walk starts', () => {
    expect(clipMode(valid({ frames: 8, walk: { toSeed: 5 } }), imageModel)).toEqual({ kind: 'walk', frames: 8, fps: 10, toSeed: 5, toPrompt: 'grinning face' });
    expect(clipMode(valid({ frames: 4, fps: 6, walk: { toPrompt: 'red heart' } }), imageModel)).toEqual({ kind: 'walk', frames: 4, fps: 6, toSeed: 1, toPrompt: 'red heart' });
  });

  it('refuses frames or fps for an image model without a walk', () => {
    expect(() => clipMode(valid({ frames: 8 }), imageModel)).toThrow('emoji is an image model: it makes one still per run, so frames needs a latent walk (walk.toSeed and/or walk.toPrompt) or a video model.');
    expect(() => clipMode(valid({ fps: 8 }), imageModel)).toThrow(/so fps needs a latent walk/);
  });

  it("gives a video model's defaults to a request that names no frames or fps", () => {
    expect(clipMode(valid({}), videoModel)).toEqual({ kind: 'video', frames: 16, fps: 10 });
    expect(clipMode(valid({ frames: 8, fps: 5 }), videoModel)).toEqual({ kind: 'video', frames: 8, fps: 5 });
  });

  it("refuses frames outside a video model's range, a walk, and hybrid for a video model", () => {
    expect(() => clipMode(valid({ frames: 20 }), videoModel)).toThrow('frames must be between 8 and 16 for emoji-motion (got 20).');
    expect(() => clipMode(valid({ frames: 8, walk: { toSeed: 2 } }), videoModel)).toThrow(/emoji-motion is a video model: .* takes no latent walk/);
    expect(() => clipMode(valid({ hybrid: { small: 'emoji-small', largeSteps: 5 } }), videoModel)).toThrow(/hybrid does not run video models yet/);
  });
});
