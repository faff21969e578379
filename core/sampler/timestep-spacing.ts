/**
 * How diffusers picks the inference timesteps out of the training ones (values in [0, T), T =
 * num_train_timesteps), largest first. See "Common Diffusion Noise Schedules and Sample Steps are
 * Flawed", Table 2, for the three names.
 *
 * For N steps:
 * - leading:  r = ⌊T/N⌋, tᵢ = (N−1−i)·r + steps_offset           (SD: 50 steps → 981, 961, …, 1)
 * - trailing: r = T/N,   tᵢ = round(T − i·r) − 1                  (50 steps → 999, 979, …, 19)
 * - linspace: tᵢ = linspace(0, T−1, N) reversed; DDIM rounds these half-to-even to integers,
 *   Euler keeps them as float32 (e.g. 999, 978.61, …).
 * DPM-Solver uses N+1 points and drops the final one, see `dpmSolverTimesteps`.
 */
import { arangeDown, linspace, roundHalfEven } from './numpy-semantics';

export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

/** 'integer': diffusers' int64 timesteps (DDIM). 'float32': diffusers' float32 timesteps (Euler). */
export type TimestepRounding = 'integer' | 'float32';

function reversed(values: Float64Array): Float64Array {
  return values.slice().reverse();
}

/** The N = `steps` timesteps of DDIM (`rounding` 'integer') or Euler (`rounding` 'float32'). */
export function spacedTimesteps(
  spacing: TimestepSpacing,
  numTrainTimesteps: number,
  steps: number,
  stepsOffset: number,
  rounding: TimestepRounding,
): Float64Array {
  switch (spacing) {
    case 'linspace': {
      const ts = reversed(linspace(0, numTrainTimesteps - 1, steps));
      return ts.map(rounding === 'integer' ? roundHalfEven : Math.fround);
    }
    case 'leading': {
      const ratio = Math.floor(numTrainTimesteps / steps);
      const ts = new Float64Array(steps);
      for (let i = 0; i < steps; i++) ts[i] = (steps - 1 - i) * ratio + stepsOffset;
      return ts;
    }
    case 'trailing':
      return arangeDown(numTrainTimesteps, numTrainTimesteps / steps, steps).map((t) => roundHalfEven(t) - 1);
  }
}

/**
 * DPMSolverMultistepScheduler's timesteps (integers). `lastTimestep` is T unless
 * lambda_min_clipped cuts the high-noise end. Its leading and linspace variants space N+1 points
 * and drop the last (t = 0); its trailing variant may return fewer than N values when
 * lastTimestep < T, as diffusers does.
 */
export function dpmSolverTimesteps(
  spacing: TimestepSpacing,
  numTrainTimesteps: number,
  lastTimestep: number,
  steps: number,
  stepsOffset: number,
): Float64Array {
  switch (spacing) {
    case 'linspace':
      return reversed(linspace(0, lastTimestep - 1, steps + 1)).subarray(0, steps).map(roundHalfEven);
    case 'leading': {
      const ratio = Math.floor(lastTimestep / (steps + 1));
      const ts = new Float64Array(steps);
      for (let i = 0; i < steps; i++) ts[i] = (steps - i) * ratio + stepsOffset;
      return ts;
    }
    case 'trailing':
      return arangeDown(lastTimestep, numTrainTimesteps / steps, steps).map((t) => roundHalfEven(t) - 1);
  }
}
