/**
 * The step hook behind live previews: on a step its PreviewSchedule admits, it takes the step's
 * model input and guided output (uncond + cfg·(cond − uncond), as the loop guides) and keeps the
 * predicted clean latent x̂₀ (preview-x0.ts) for the host to decode between steps.
 *
 * It only reads: it supplies no outputs, corrects nothing and never touches the latent, so the
 * run's pixels are the same with or without it. It sees computed steps only (afterCall), so on a
 * cached run a preview waits for the next step that ran the model.
 */
import { applyGuidance } from '../sampler/guidance';
import type { Scheduler } from '../sampler/types';
import type { PreviewSchedule } from './preview-schedule';
import { predictX0 } from './preview-x0';
import type { StepHook } from './step-hooks';

/** A predicted clean latent waiting to be shown. */
export interface PendingPreview {
  stepIndex: number;
  /** x̂₀, latent-sized. */
  x0: Float32Array;
  /** Clock reading when the preview began (the schedule's clock), so its whole cost is counted. */
  startedAt: number;
}

export interface PreviewHook extends StepHook {
  /** The preview captured since the last call, if any; the caller must end it on the schedule. */
  take(): PendingPreview | undefined;
}

export function previewHook(scheduler: Pick<Scheduler, 'predictionType' | 'sigmas'>, cfg: number, schedule: PreviewSchedule, now: () => number): PreviewHook {
  let pending: PendingPreview | undefined;
  return {
    name: 'preview',
    afterCall(call, outputs) {
      if (pending !== undefined || !schedule.begin(call.index)) return;
      const startedAt = now();
      const input = call.inputs.get('cond');
      const cond = outputs.get('cond');
      const uncond = outputs.get('uncond');
      if (input === undefined || cond === undefined || (cfg > 1 && uncond === undefined)) throw new RangeError(`step ${call.index}: the preview needs the cond input and every guided output`);
      const guided = cfg > 1 ? applyGuidance(uncond as Float32Array, cond, cfg) : cond;
      pending = { stepIndex: call.index, x0: predictX0(scheduler.predictionType, scheduler.sigmas[call.index] as number, input, guided), startedAt };
    },
    take() {
      const out = pending;
      pending = undefined;
      return out;
    },
  };
}
