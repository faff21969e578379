/**
 * Quantization-error compensation as a step hook (core/sampling/step-hooks.ts `correct`): it sees
 * each computed step's branch outputs and returns corrected ones, before any cache stores them.
 *
 * Both corrections are affine in the output, so correcting each CFG branch by the same term
 * corrects the guided prediction by that term: with u′ = u − d and c′ = c − d,
 * u′ + w(c′ − u′) = (u + w(c − u)) − d. The tables are fitted on the guided output for that reason.
 * PTQD's (ε̂ − μ)/(1 + k) is affine too and is applied per branch directly.
 *
 * Strength 0 returns the outputs untouched (the same arrays), so such a run is the uncompensated
 * one bit for bit. With PTQD on a stochastic sampler the hook also lowers the injected noise
 * (noiseScale below); deterministic samplers never ask.
 */
import type { Branch } from '../sampling/branch';
import type { BranchOutputs } from '../sampling/denoise-model';
import type { StepCall, StepHook } from '../sampling/step-hooks';
import type { StepCoefficients } from '../sampler/types';
import type { CompensationTables } from './compensation-tables';
import { carriedStateError, guidedOutput, ptqdCorrect, tcecTerm } from './correction';

export interface CompensationHookOptions {
  method: 'ptqd' | 'tcec';
  tables: CompensationTables;
  /** λ ≥ 0: 1 applies the fitted correction, 0 none. */
  strength: number;
  cfg: number;
  /** The scheduler's step coefficients (Scheduler.stepCoefficients). */
  coefficients: (stepIndex: number) => StepCoefficients;
  /** The scheduler's injected noise std per step (Scheduler.stepNoiseStd); absent = deterministic. */
  noiseStd?: (stepIndex: number) => number;
}

/** Time spent inside the hook, ms, for the overhead figure. */
export interface CompensationHook extends StepHook {
  readonly elapsedMs: () => number;
}

/** @throws RangeError when the tables do not cover the run's steps */
export function compensationHook(options: CompensationHookOptions, now: () => number = Date.now): CompensationHook {
  const { method, tables, strength, cfg } = options;
  if (!(strength >= 0) || !Number.isFinite(strength)) throw new RangeError(`compensation strength must be a finite number ≥ 0, got ${strength}`);
  let prev: { index: number; guided: Float32Array } | undefined;
  let elapsed = 0;
  return {
    name: method,
    elapsedMs: () => elapsed,
    // PTQD's variance correction: the corrected output still carries the uncorrelated error
    // r/(1+k), which the step puts into the latent as b·r/(1+k), a variance b²·σ_r²/(1+k)². A
    // stochastic step injects that much less noise: σ′² = max(0, σ² − λ·b²·σ_r²/(1+k)²).
    noiseScale(call: StepCall): number {
      const residual = tables.ptqd.residualVar?.[call.index];
      const sigma = options.noiseStd?.(call.index) ?? 0;
      if (method !== 'ptqd' || strength === 0 || residual === undefined || !(sigma > 0)) return 1;
      const { b } = options.coefficients(call.index);
      const gain = 1 + (tables.ptqd.k[call.index] as number);
      const removed = (strength * b * b * residual) / (gain * gain);
      return Math.sqrt(Math.max(0, sigma * sigma - removed)) / sigma;
    },
    correct(call: StepCall, outputs: BranchOutputs): BranchOutputs {
      if (call.numSteps !== tables.key.steps) throw new RangeError(`the compensation tables are for ${tables.key.steps} steps, the run has ${call.numSteps}`);
      if (strength === 0) return outputs;
      const t0 = now();
      const result = new Map<Branch, Float32Array>();
      if (method === 'ptqd') {
        for (const [b, out] of outputs) result.set(b, ptqdCorrect(out, tables.ptqd, call.index, strength));
      } else {
        const cond = outputs.get('cond') as Float32Array;
        const guided = guidedOutput(cond, outputs.get('uncond'), cfg);
        const i = call.index;
        const carried = carriedStateError(tables.tcec, i, prev?.index === i - 1 ? prev.guided : undefined, i > 0 ? options.coefficients(i - 1) : undefined);
        const d = tcecTerm(tables.tcec, i, guided, carried, options.coefficients(i));
        for (const [b, out] of outputs) {
          const o = new Float32Array(out.length);
          for (let j = 0; j < out.length; j++) o[j] = (out[j] as number) - strength * (d[j] as number);
          result.set(b, o);
        }
        prev = { index: i, guided: guided === cond ? Float32Array.from(cond) : guided };
      }
      elapsed += now() - t0;
      return result;
    },
  };
}
