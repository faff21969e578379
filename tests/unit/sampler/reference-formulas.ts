/**
 * Independent recomputations for the sampler tests, written straight from the published formulas
 * with plain loops (no code shared with core/sampler), so a test compares two derivations.
 */

/** Stable Diffusion 1.x's scheduler_config.json, as shipped (PNDMScheduler). */
export const SD15_CONFIG = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
} as const;

/** βᵢ for i = 0..T−1: linear, or "scaled_linear" (interpolate √β, then square). */
export function referenceBetas(schedule: 'linear' | 'scaled_linear', T: number, start: number, end: number): number[] {
  const betas: number[] = [];
  for (let i = 0; i < T; i++) {
    const f = i / (T - 1);
    if (schedule === 'linear') betas.push(start + (end - start) * f);
    else {
      const root = Math.sqrt(start) + (Math.sqrt(end) - Math.sqrt(start)) * f;
      betas.push(root * root);
    }
  }
  return betas;
}

/** ᾱ_t = ∏_{s ≤ t} (1 − β_s). */
export function referenceAlphaBar(betas: number[]): number[] {
  const out: number[] = [];
  let p = 1;
  for (const b of betas) {
    p *= 1 - b;
    out.push(p);
  }
  return out;
}

/** SD's ᾱ table (scaled_linear 0.00085 → 0.012, T = 1000). */
export function sdAlphaBar(): number[] {
  return referenceAlphaBar(referenceBetas('scaled_linear', 1000, 0.00085, 0.012));
}

/** σ(t) = √((1−ᾱ)/ᾱ), linearly interpolated between integer timesteps. */
export function referenceSigmaAt(alphaBar: number[], t: number): number {
  const sigma = (i: number): number => {
    const a = alphaBar[i] as number;
    return Math.sqrt((1 - a) / a);
  };
  const j = Math.min(Math.floor(t), alphaBar.length - 2);
  return sigma(j) + (sigma(j + 1) - sigma(j)) * (t - j);
}

/** Deterministic pseudo-random floats in [−1, 1) for test tensors (xorshift32; not the studio's generator). */
export function testValues(count: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |a[i] − b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
