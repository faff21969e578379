/**
 * What the user picks: a caching method and its knobs, as a discriminated union so each method
 * carries exactly its own parameters. `validateCacheConfig` fills defaults and range-checks, and
 * the result (plain JSON) is what a recipe stores.
 *
 * Defaults follow the published code (cache-peers.md) scaled to whole-step, model-output caching;
 * thresholds are relative-L1 style quantities, so [0, 3] covers every published setting
 * (ComfyUI's EasyCache slider is 0–3).
 */
import { CacheConfigError } from './cache-errors';
import type { CacheMethod } from './types';

export const CACHE_METHODS: readonly CacheMethod[] = ['none', 'fora', 'teacache', 'magcache', 'easycache', 'ertacache'];

/** Largest accepted threshold/λ. */
export const MAX_THRESHOLD = 3;

export type CacheConfig =
  | { method: 'none' }
  /** FORA: compute when index mod interval = 0, reuse the residual on the steps between. */
  | { method: 'fora'; interval: number }
  /**
   * TeaCache: reuse while Σ f(rel-L1 of probe change) < threshold. `coefficients`: the rescaling
   * polynomial f, 5 numbers, HIGHEST power first (np.poly1d order, as TeaCache publishes them);
   * null → fitted from the calibration profile. `maxConsecutiveSkips` 0 = unlimited (ComfyUI's max_skip_steps).
   */
  | { method: 'teacache'; threshold: number; coefficients: number[] | null; maxConsecutiveSkips: number }
  /** MagCache: profiled magnitude ratios; reuse while accumulated error ≤ threshold and ≤ maxSkips in a row, after the first ⌊warmupRatio·T⌋ steps. */
  | { method: 'magcache'; threshold: number; maxSkips: number; warmupRatio: number }
  /** EasyCache: runtime-adaptive, no calibration; the first ⌈warmupRatio·T⌉ steps and the last step are computed. */
  | { method: 'easycache'; threshold: number; warmupRatio: number }
  /**
   * ERTACache: offline reuse set S for λ, plus (b) time adjustment φ and (c) residual
   * rectification. `rectification` 'channel' fits one affine error model per latent channel,
   * 'scalar' one per step, 'off' none. `phiReference` picks φ's denominator (erta/phi.ts):
   * 'velocity' ‖v_k‖₁ or 'velocity-change' ‖v_k − v_{k−1}‖₁. `signal` (erta/erta-signal.ts) is
   * what φ, rectification and the placed reuse set are fitted on under CFG: 'guided' the guided
   * output the sampler integrates, 'branches' each CFG branch's own output.
   */
  | {
      method: 'ertacache';
      lambda: number;
      timeAdjustment: boolean;
      rectification: 'channel' | 'scalar' | 'off';
      phiReference: 'velocity-change' | 'velocity';
      signal: 'guided' | 'branches';
      /** (a)'s rule: 'greedy' the paper's per-step λ test, 'placed' as many model calls placed for the least error bound (erta/placed-reuse-set.ts). */
      reuseSet: 'greedy' | 'placed';
    };

export type CacheConfigOf<M extends CacheMethod> = Extract<CacheConfig, { method: M }>;

/** Published-default configs, for the UI's initial values. */
export function defaultCacheConfig(method: CacheMethod): CacheConfig {
  switch (method) {
    case 'none':
      return { method };
    case 'fora':
      return { method, interval: 3 };
    case 'teacache':
      return { method, threshold: 0.4, coefficients: null, maxConsecutiveSkips: 0 };
    case 'magcache':
      return { method, threshold: 0.24, maxSkips: 5, warmupRatio: 0.2 };
    case 'easycache':
      return { method, threshold: 0.1, warmupRatio: 0.2 };
    case 'ertacache':
      // Measured defaults (README, ERTACache ablation on the bundled model): all three parts, with
      // the 'placed' reuse set (+1.6 to +3.2 dB over the greedy rule at 25–13 of 50 calls, −0.25 dB
      // at 38) and φ and rectification fitted on the guided output; the greedy rule is one switch away.
      return { method, lambda: 0.3, timeAdjustment: true, rectification: 'channel', phiReference: 'velocity', signal: 'guided', reuseSet: 'placed' };
  }
}

type Loose = Readonly<Record<string, unknown>>;

/**
 * Checks an untrusted config (e.g. from a request) and fills absent fields with the defaults.
 * @throws CacheConfigError naming the field and the accepted range.
 */
export function validateCacheConfig(input: unknown): CacheConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CacheConfigError('cache config must be an object with a "method"');
  const c = input as Loose;
  const method = c['method'];
  if (typeof method !== 'string' || !(CACHE_METHODS as readonly string[]).includes(method)) {
    throw new CacheConfigError(`cache method must be one of ${CACHE_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  }
  const d = defaultCacheConfig(method as CacheMethod) as Loose;
  const num = (key: string, min: number, max: number, integer = false): number => {
    const v = key in c ? c[key] : d[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      throw new CacheConfigError(`${method}: "${key}" must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(v)}`);
    }
    return v;
  };
  switch (method as CacheMethod) {
    case 'none':
      return { method: 'none' };
    case 'fora':
      return { method: 'fora', interval: num('interval', 1, 100, true) };
    case 'teacache':
      return { method: 'teacache', threshold: num('threshold', 0, MAX_THRESHOLD), coefficients: readCoefficients(c['coefficients']), maxConsecutiveSkips: num('maxConsecutiveSkips', 0, 100, true) };
    case 'magcache':
      return { method: 'magcache', threshold: num('threshold', 0, MAX_THRESHOLD), maxSkips: num('maxSkips', 1, 100, true), warmupRatio: num('warmupRatio', 0, 0.99) };
    case 'easycache':
      return { method: 'easycache', threshold: num('threshold', 0, MAX_THRESHOLD), warmupRatio: num('warmupRatio', 0, 0.99) };
    case 'ertacache': {
      const timeAdjustment = 'timeAdjustment' in c ? c['timeAdjustment'] : d['timeAdjustment'];
      if (typeof timeAdjustment !== 'boolean') throw new CacheConfigError(`ertacache: "timeAdjustment" must be true or false, got ${JSON.stringify(timeAdjustment)}`);
      const rectification = 'rectification' in c ? c['rectification'] : 'channel';
      if (rectification !== 'channel' && rectification !== 'scalar' && rectification !== 'off') {
        throw new CacheConfigError(`ertacache: "rectification" must be "channel", "scalar" or "off", got ${JSON.stringify(rectification)}`);
      }
      const phiReference = 'phiReference' in c ? c['phiReference'] : 'velocity';
      if (phiReference !== 'velocity' && phiReference !== 'velocity-change') {
        throw new CacheConfigError(`ertacache: "phiReference" must be "velocity" or "velocity-change", got ${JSON.stringify(phiReference)}`);
      }
      const signal = 'signal' in c ? c['signal'] : d['signal'];
      if (signal !== 'guided' && signal !== 'branches') {
        throw new CacheConfigError(`ertacache: "signal" must be "guided" or "branches", got ${JSON.stringify(signal)}`);
      }
      const reuseSet = 'reuseSet' in c ? c['reuseSet'] : d['reuseSet'];
      if (reuseSet !== 'greedy' && reuseSet !== 'placed') {
        throw new CacheConfigError(`ertacache: "reuseSet" must be "greedy" or "placed", got ${JSON.stringify(reuseSet)}`);
      }
      return { method: 'ertacache', lambda: num('lambda', 0, MAX_THRESHOLD), timeAdjustment, rectification, phiReference, signal, reuseSet };
    }
  }
}

function readCoefficients(v: unknown): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length !== 5 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new CacheConfigError(`teacache: "coefficients" must be null or 5 finite numbers (highest power first), got ${JSON.stringify(v)}`);
  }
  return v as number[];
}
