/**
 * Each method's main knob — what `--cache-threshold X` sets on the CLI and what the benchmark
 * sweeps — with its accepted range (the same ranges core/cache's validateCacheConfig enforces):
 *
 *   fora       interval   integer 1..100 (compute every X-th step)
 *   teacache   threshold  0..3 (accumulated rescaled probe change)
 *   magcache   threshold  0..3 (accumulated magnitude-ratio error)
 *   easycache  threshold  0..3 (accumulated predicted output change)
 *   ertacache  lambda     0..3 (λ of the offline reuse set)
 *   taylorseer interval   integer 1..100 (compute every X-th step after the warm-up)
 *   linear, ertacache-forecast
 *              calls      integer 2..1000 (model calls per run)
 *
 * The other knobs keep their published defaults (defaultCacheConfig).
 */
import type { CacheConfig, CacheMethod } from '../../contract/cache';
import { defaultCacheConfig, validateCacheConfig } from '../../core/cache';
import { MAX_THRESHOLD } from '../../core/cache/cache-config';

export interface CacheKnob {
  field: string;
  min: number;
  max: number;
  integer: boolean;
}

/** The main knob per method ('none' has none). */
export const CACHE_KNOBS: Readonly<Record<Exclude<CacheMethod, 'none'>, CacheKnob>> = {
  fora: { field: 'interval', min: 1, max: 100, integer: true },
  teacache: { field: 'threshold', min: 0, max: MAX_THRESHOLD, integer: false },
  magcache: { field: 'threshold', min: 0, max: MAX_THRESHOLD, integer: false },
  easycache: { field: 'threshold', min: 0, max: MAX_THRESHOLD, integer: false },
  ertacache: { field: 'lambda', min: 0, max: MAX_THRESHOLD, integer: false },
  taylorseer: { field: 'interval', min: 1, max: 100, integer: true },
  linear: { field: 'calls', min: 2, max: 1000, integer: true },
  'ertacache-forecast': { field: 'calls', min: 2, max: 1000, integer: true },
};

/**
 * The default config of `method` with its main knob set to `value` (undefined keeps the default).
 * @throws CacheConfigError when the value is out of range
 */
export function configWithKnob(method: CacheMethod, value: number | undefined): CacheConfig {
  const base = defaultCacheConfig(method);
  if (method === 'none' || value === undefined) return base;
  return validateCacheConfig({ ...base, [CACHE_KNOBS[method].field]: value });
}

/** The main knob's value in a config, or null for 'none'. */
export function knobValue(config: CacheConfig): number | null {
  if (config.method === 'none') return null;
  const value = (config as unknown as Record<string, unknown>)[CACHE_KNOBS[config.method].field];
  return typeof value === 'number' ? value : null;
}
