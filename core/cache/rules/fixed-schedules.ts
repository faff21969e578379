/**
 * The two methods whose compute/reuse pattern is fixed before the run starts, as plain functions
 * shared by the runtime policies and planSchedule (so a plan is exactly what the run does).
 * Arrays are per step: true = run the model.
 */

/** FORA: compute when index mod interval = 0, reuse in between (interval 1 = never reuse). */
export function foraComputeSteps(numSteps: number, interval: number): boolean[] {
  return Array.from({ length: numSteps }, (_, i) => i % interval === 0);
}

export interface MagCacheParams {
  threshold: number;
  maxSkips: number;
  warmupRatio: number;
}

/**
 * MagCache (cache-peers.md): with γ the profiled magnitude ratio per step, counting from the last
 * computed step Γ ← Γ·γ_i, E ← E + |1 − Γ|, n ← n + 1; reuse when i ≥ ⌊R·T⌋, E < δ and n ≤ K,
 * else compute and reset Γ = 1, E = 0, n = 0 (the published code's comparisons). Step 0 is
 * always computed (nothing is cached yet). With CFG each branch keeps its own Γ and E over its
 * own ratios; a step is reused only when every branch would reuse it.
 * @param ratios one γ array (length T) per branch, e.g. the mean over calibration prompts.
 */
export function magCacheComputeSteps(ratios: readonly (readonly number[])[], params: MagCacheParams): boolean[] {
  const T = ratios[0]?.length ?? 0;
  const warmup = Math.floor(params.warmupRatio * T);
  const gamma = ratios.map(() => 1);
  const error = ratios.map(() => 0);
  let n = 0;
  const compute: boolean[] = [];
  for (let i = 0; i < T; i++) {
    if (i === 0 || i < warmup) {
      compute.push(true);
      continue;
    }
    n += 1;
    ratios.forEach((r, b) => {
      gamma[b] = (gamma[b] as number) * (r[i] as number);
      error[b] = (error[b] as number) + Math.abs(1 - (gamma[b] as number));
    });
    const reuse = error.every((e) => e < params.threshold) && n <= params.maxSkips;
    compute.push(!reuse);
    if (!reuse) {
      gamma.fill(1);
      error.fill(0);
      n = 0;
    }
  }
  return compute;
}
