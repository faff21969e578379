/**
 * What a video model declares about its clips, under `video` in its folder's studio.json:
 *
 *   "video": { "framesMin": 8, "framesMax": 16, "framesDefault": 16, "fpsDefault": 10 }
 *
 * A model is a video model iff its studio.json has this entry: its denoiser then takes latents
 * [B, C, F, h, w] and makes all F frames of a clip in one sampling run. The back end reads the
 * file (main/models/video-declaration.ts); the renderer uses the parsed values for its Frames and
 * FPS fields. Pure TypeScript (zod only).
 */
import { z } from 'zod';
import { integerIn, numberIn } from './field-schema';

/** Same bounds as a GenerateRequest's frames and fps (contract/api.ts LIMITS; repeated to keep this file free of cycles). */
const FRAMES = { min: 2, max: 64 } as const;
const FPS = { min: 1, max: 30 } as const;

export const videoSettingsSchema = z
  .strictObject({
    framesMin: integerIn(FRAMES.min, FRAMES.max),
    framesMax: integerIn(FRAMES.min, FRAMES.max),
    framesDefault: integerIn(FRAMES.min, FRAMES.max),
    fpsDefault: numberIn(FPS.min, FPS.max).default(10),
  })
  .refine((v) => v.framesMin <= v.framesDefault && v.framesDefault <= v.framesMax, {
    error: 'framesMin ≤ framesDefault ≤ framesMax must hold',
  });

export interface VideoSettings {
  /** Frames per clip the denoiser was trained for, inclusive. */
  framesMin: number;
  framesMax: number;
  /** Frames a request that names none gets. */
  framesDefault: number;
  /** Frames per second a request that names none gets. */
  fpsDefault: number;
}
