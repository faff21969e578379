import { describe, expect, it } from 'vitest';
import { CacheConfigError, CacheProfileError } from '../../../core/cache/cache-errors';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { ProfileRecorder } from '../../../core/cache/profile/profile-recorder';
import type { CacheProfileKey } from '../../../core/cache/profile/profile-types';
import { foraComputeSteps, magCacheComputeSteps } from '../../../core/cache/rules/fixed-schedules';
import type { Branch } from '../../../core/cache/types';
import { type Step, drive, filled, outputsOf, stepContext } from './policy-driver';
import { validateCacheConfig } from '../../../core/cache/cache-config';

const T = true;
const F = false;

describe('none and FORA', () => {
  it('none computes every step', () => {
    const steps = Array.from({ length: 5 }, (_, i) => ({ input: filled(4, i), output: filled(4, 2 * i) }));
    expect(drive(createCachePolicy({ method: 'none' }), steps)).toEqual([T, T, T, T, T]);
  });

  it('FORA computes when index mod N = 0', () => {
    expect(foraComputeSteps(8, 3)).toEqual([T, F, F, T, F, F, T, F]);
    const steps = Array.from({ length: 8 }, (_, i) => ({ input: filled(4, i), output: filled(4, 2 * i) }));
    expect(drive(createCachePolicy({ method: 'fora', interval: 3 }), steps)).toEqual([T, F, F, T, F, F, T, F]);
  });

  it('a reused output is the current input plus the residual of the last computed step, per branch', () => {
    const policy = createCachePolicy({ method: 'fora', interval: 2 });
    const branches: Branch[] = ['uncond', 'cond'];
    const first: Step = { input: Float32Array.from([1, 2]), output: { uncond: Float32Array.from([1.5, 1]), cond: Float32Array.from([3, 5]) } };
    const ctx0 = stepContext(0, 4, first, branches);
    expect(policy.decide(ctx0)).toBe('compute');
    policy.onComputed(ctx0, outputsOf(first, branches));
    const ctx1 = stepContext(1, 4, { input: Float32Array.from([10, 20]), output: filled(2, 0) }, branches);
    expect(policy.decide(ctx1)).toBe('reuse');
    const out = policy.reuse(ctx1);
    expect(Array.from(out.get('uncond') as Float32Array)).toEqual([10.5, 19]);
    expect(Array.from(out.get('cond') as Float32Array)).toEqual([12, 23]);
  });

  it('steps must come in order; index 0 starts over', () => {
    const policy = createCachePolicy({ method: 'fora', interval: 2 });
    const step: Step = { input: filled(2, 1), output: filled(2, 2) };
    expect(() => policy.decide(stepContext(1, 4, step, ['cond']))).toThrow(/expected 0/);
    expect(policy.decide(stepContext(0, 4, step, ['cond']))).toBe('compute');
    expect(() => policy.decide(stepContext(0, 4, step, ['cond']))).not.toThrow();
  });
});

describe('MagCache', () => {
  it('accumulates Γ and E from the last computed step, caps runs at K, skips warm-up', () => {
    const ratios = [1, 1, 0.99, 0.98, 0.9, 1, 1, 1];
    // warm-up ⌊0.25·8⌋ = 2; step 2: E = 0.01; step 3: Γ = 0.9702, E = 0.0398; step 4: n = 3 > K → compute; 5, 6 reuse; 7: n = 3 → compute.
    expect(magCacheComputeSteps([ratios], { threshold: 0.05, maxSkips: 2, warmupRatio: 0.25 })).toEqual([T, T, F, F, T, F, F, T]);
    // A second branch whose ratios drift at steps 5–6 forces step 6; step 7 restarts the count.
    const uncond = [1, 1, 0.99, 0.98, 0.9, 0.97, 0.97, 1];
    expect(magCacheComputeSteps([uncond, ratios], { threshold: 0.05, maxSkips: 2, warmupRatio: 0.25 })).toEqual([T, T, F, F, T, F, T, F]);
  });

  it('the policy reads γ from a profile: residuals scaled by c_k give γ_k = c_k / c_{k−1}', () => {
    const scales = [1, 1, 0.99, 0.9702, 0.9, 0.9, 0.9, 0.9];
    const key: CacheProfileKey = { modelHash: 'h', scheduler: 's', steps: 8, shift: 1, cfg: 1, width: 8, height: 8 };
    const rec = new ProfileRecorder({ key, latentShape: [2, 2, 2], timesteps: [8, 7, 6, 5, 4, 3, 2, 1] });
    const base = Float32Array.from([1, -2, 3, 0.5, 1, 1, -1, 2]);
    const steps: Step[] = scales.map((c) => ({ input: filled(8, 0), output: base.map((b) => b * c) }));
    steps.forEach((s, i) => rec.record(stepContext(i, 8, s, ['cond']), outputsOf(s, ['cond'])));
    const profile = rec.finish();
    const policy = createCachePolicy({ method: 'magcache', threshold: 0.05, maxSkips: 2, warmupRatio: 0.25 }, { profile, key });
    expect(drive(policy, steps)).toEqual([T, T, F, F, T, F, F, T]);
    expect(() => createCachePolicy(validateCacheConfig({ method: 'magcache' }))).toThrow(CacheConfigError);
    expect(() => createCachePolicy(validateCacheConfig({ method: 'magcache' }), { profile, key: { ...key, steps: 9 } })).toThrow(/made for 8 steps, this run uses 9/);
    expect(() => createCachePolicy(validateCacheConfig({ method: 'magcache' }), { profile, key: { ...key, steps: 9 } })).toThrow(CacheProfileError);
  });
});

describe('TeaCache', () => {
  /** Inputs scaled by 1.1 per step: the relative L1 change is exactly 0.1 every step. */
  const growing = (n: number): Step[] => Array.from({ length: n }, (_, i) => ({ input: filled(4, 1.1 ** i), output: filled(4, 1) }));

  it('accumulates f(rel-L1) and computes when it reaches δ; first and last steps always computed', () => {
    const identity = [0, 0, 0, 1, 0];
    // A: 0.1, 0.2 (reuse), 0.3 ≥ 0.25 → compute; again; step 7 is the last.
    expect(drive(createCachePolicy(validateCacheConfig({ method: 'teacache', threshold: 0.25, coefficients: identity })), growing(8))).toEqual([T, F, F, T, F, F, T, T]);
    // f(d) = 2d: 0.2 reuse, 0.4 compute.
    expect(drive(createCachePolicy(validateCacheConfig({ method: 'teacache', threshold: 0.25, coefficients: [0, 0, 0, 2, 0] })), growing(8))).toEqual([T, F, T, F, T, F, T, T]);
    // maxConsecutiveSkips 1 caps every run of reuses at one.
    expect(drive(createCachePolicy({ method: 'teacache', threshold: 3, coefficients: identity, maxConsecutiveSkips: 1 }), growing(8))).toEqual([T, F, T, F, T, F, T, T]);
  });

  it('uses the probe when the loop gives one, not the input', () => {
    const steps = growing(6).map((s) => ({ ...s, input: filled(4, 1), probe: s.input }));
    expect(drive(createCachePolicy(validateCacheConfig({ method: 'teacache', threshold: 0.25, coefficients: [0, 0, 0, 1, 0] })), steps)).toEqual([T, F, F, T, F, T]);
    const still = growing(6).map((s) => ({ ...s, input: filled(4, 1) }));
    expect(drive(createCachePolicy(validateCacheConfig({ method: 'teacache', threshold: 0.25, coefficients: [0, 0, 0, 1, 0] })), still)).toEqual([T, F, F, F, F, T]);
  });

  it('needs coefficients or a profile', () => {
    expect(() => createCachePolicy(validateCacheConfig({ method: 'teacache', threshold: 0.3 }))).toThrow(/calibration profile/);
  });
});

describe('EasyCache', () => {
  it('predicts ε = k·‖Δx‖₁/‖v_last‖₁ with k from the last two computed steps', () => {
    // x_k = k, v_k = 10 + k (constant vectors): k = 1, ε = 1/‖v_last‖ per element ratio.
    const steps: Step[] = Array.from({ length: 10 }, (_, i) => ({ input: filled(4, i), output: filled(4, 10 + i) }));
    // Warm-up ⌊0.25·10⌋ = 2. Last computed 1 (v = 11): E = 1/11, 2/11, 3/11 ≥ 0.25 at step 4 → compute.
    // Last computed 4 (v = 14): E = 1/14, 2/14, 3/14 < 0.25, 4/14 at step 8 → compute; step 9 is the last.
    expect(drive(createCachePolicy({ method: 'easycache', threshold: 0.25, warmupRatio: 0.25 }), steps)).toEqual([T, T, F, F, T, F, F, F, T, T]);
  });

  it('computes until k is known (two computed steps)', () => {
    const steps: Step[] = Array.from({ length: 5 }, (_, i) => ({ input: filled(4, i), output: filled(4, 10 + i) }));
    expect(drive(createCachePolicy({ method: 'easycache', threshold: 1, warmupRatio: 0 }), steps)).toEqual([T, T, F, F, T]);
  });
});
