/**
 * `studio generate`'s clip flags:
 *   --frames F              frames of the clip: a video model's (default: its own), or a walk's (required)
 *   --fps R                 frames per second (default: the model's, else 10)
 *   --walk-to-seed N        latent walk of an image model: the last frame's seed
 *   --walk-to-prompt TEXT   latent walk of an image model: the last frame's prompt
 * A clip is written as one animated PNG. The result is checked with the rest of the request by
 * validateGenerateRequest, and against the model by runGeneration (generation/clip-mode.ts).
 */
import { LIMITS, type GenerateRequest } from '../../contract/api';
import { integerOption, numberOption, requiredText } from './cli-options';

export const VIDEO_OPTIONS = {
  frames: { type: 'string' },
  fps: { type: 'string' },
  'walk-to-seed': { type: 'string' },
  'walk-to-prompt': { type: 'string' },
} as const;

export interface VideoFlags {
  frames?: string;
  fps?: string;
  'walk-to-seed'?: string;
  'walk-to-prompt'?: string;
}

/** The request's frames, fps and walk from the flags given; {} when none was. @throws UsageError */
export function parseVideoOptions(values: VideoFlags): Pick<GenerateRequest, 'frames' | 'fps' | 'walk'> {
  const out: Pick<GenerateRequest, 'frames' | 'fps' | 'walk'> = {};
  const frames = integerOption('frames', values.frames, LIMITS.framesMin, LIMITS.framesMax);
  if (frames !== undefined) out.frames = frames;
  if (values.fps !== undefined) out.fps = numberOption('fps', values.fps, LIMITS.fpsMin, LIMITS.fpsMax, LIMITS.fpsDefault);
  const toSeed = integerOption('walk-to-seed', values['walk-to-seed'], 0, LIMITS.seedMax);
  const toPrompt = values['walk-to-prompt'] === undefined ? undefined : requiredText('walk-to-prompt', values['walk-to-prompt']);
  if (toSeed !== undefined || toPrompt !== undefined) out.walk = { ...(toSeed === undefined ? {} : { toSeed }), ...(toPrompt === undefined ? {} : { toPrompt }) };
  return out;
}
