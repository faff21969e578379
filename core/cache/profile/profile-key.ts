/**
 * The CacheProfileKey of a run, read from its scheduler so the loop and the calibration run
 * cannot disagree on how a field is spelled (the scheduler's diffusers class name, shift 1 when
 * the scheduler has none).
 */
import type { Scheduler } from '../../sampler/types';
import type { CacheProfileKey } from './profile-types';

export interface RunIdentity {
  modelHash: string;
  cfg: number;
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Frames of a video model's clip; absent for a still image. */
  frames?: number;
}

export function profileKeyFor(scheduler: Scheduler, run: RunIdentity): CacheProfileKey {
  const shift = scheduler.config['shift'];
  return {
    modelHash: run.modelHash,
    scheduler: scheduler.className,
    steps: scheduler.numSteps,
    shift: typeof shift === 'number' ? shift : 1,
    cfg: run.cfg,
    width: run.width,
    height: run.height,
    ...(run.frames === undefined ? {} : { frames: run.frames }),
  };
}
