/**
 * Hand-made "full runs" for the profile and ERTACache tests: per prompt, per step, per branch a
 * model input and output, kept raw so tests can recompute every statistic directly and compare
 * with what the recorder summarised.
 */
import { ProfileRecorder } from '../../../core/cache/profile/profile-recorder';
import { type CacheProfile, type CacheProfileKey, branchesForCfg } from '../../../core/cache/profile/profile-types';
import type { Branch } from '../../../core/cache/types';
import { stepContext } from './policy-driver';

export interface RawStep {
  input: Float32Array;
  outputs: Record<Branch, Float32Array>;
}

/** [prompt][step] */
export type RawRuns = RawStep[][];

/** Deterministic values in (−amp, amp), float32. */
export function pseudoRandom(n: number, seed: number, amp = 1): Float32Array {
  let s = (seed * 2654435761) >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 3266489917) >>> 0;
    return Math.fround(((s / 4294967296) * 2 - 1) * amp);
  });
}

/** Smoothly varying random runs: input and outputs drift a little each step. */
export function randomRuns(prompts: number, steps: number, size: number): RawRuns {
  return Array.from({ length: prompts }, (_, p) => {
    const x0 = pseudoRandom(size, 100 + p);
    const dx = pseudoRandom(size, 200 + p, 0.3);
    const v0 = pseudoRandom(size, 300 + p);
    const dv = pseudoRandom(size, 400 + p, 0.2);
    const du = pseudoRandom(size, 500 + p, 0.4);
    return Array.from({ length: steps }, (_, k) => {
      const input = x0.map((x, i) => x + k * (dx[i] as number));
      const cond = v0.map((v, i) => v + k * (dv[i] as number) + 0.05 * k * k * (dx[i] as number));
      const uncond = cond.map((v, i) => 0.8 * v + k * (du[i] as number) * 0.1);
      return { input, outputs: { cond, uncond } };
    });
  });
}

export function keyFor(steps: number, cfg: number): CacheProfileKey {
  return { modelHash: 'abc123', scheduler: 'FlowMatchEulerDiscreteScheduler', steps, shift: 3, cfg, width: 32, height: 32 };
}

/** Records the runs with the real recorder. */
export function recordRuns(runs: RawRuns, cfg: number, latentShape: [number, number, number], sigmas: number[] | null = null): CacheProfile {
  const steps = runs[0]?.length ?? 0;
  const branches = branchesForCfg(cfg);
  const rec = new ProfileRecorder({ key: keyFor(steps, cfg), latentShape, timesteps: Array.from({ length: steps }, (_, k) => 1000 - k), sigmas });
  for (const run of runs) {
    run.forEach((step, k) => {
      const ctx = stepContext(k, steps, { input: step.input, output: filled(1) }, branches);
      rec.record(ctx, new Map(branches.map((b) => [b, step.outputs[b]])));
    });
  }
  return rec.finish();
}

function filled(n: number): Float32Array {
  return new Float32Array(n);
}

/** r = v − x in float32, like the engine. */
export function residual(step: RawStep, branch: Branch): Float32Array {
  return step.outputs[branch].map((v, i) => v - (step.input[i] as number));
}

export function l1(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] as number);
  return s;
}

export function diff(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return Array.from({ length: a.length }, (_, i) => (a[i] as number) - (b[i] as number));
}
