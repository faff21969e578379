/**
 * Each caching method's main knob — the one value a slider sets (FORA's interval, a threshold,
 * ERTACache's λ, a call budget) — with its range and grid, and the helpers that read and set it
 * on any CacheConfig. Shared by the Speed-up panel (the slider) and the plan preview's sweep of
 * the knob (plan-stops.ts), so both walk the same values.
 */
import { type CacheConfig, MAX_THRESHOLD } from './cache-config';
import type { CacheMethod } from './types';

export interface KnobRange {
  min: number;
  max: number;
  /** Grid of the slider and the sweep. */
  step: number;
}

const THRESHOLD: KnobRange = { min: 0, max: MAX_THRESHOLD, step: 0.01 };
const CALLS: KnobRange = { min: 2, max: 50, step: 1 };

export const MAIN_KNOB_RANGE: Readonly<Record<CacheMethod, KnobRange | null>> = {
  none: null,
  fora: { min: 1, max: 8, step: 1 },
  teacache: THRESHOLD,
  magcache: THRESHOLD,
  easycache: THRESHOLD,
  ertacache: THRESHOLD,
  taylorseer: { min: 1, max: 12, step: 1 },
  linear: CALLS,
  'ertacache-forecast': CALLS,
};

/** The value of a config's main knob, null for `none`. */
export function mainKnobValue(config: CacheConfig): number | null {
  switch (config.method) {
    case 'none':
      return null;
    case 'fora':
    case 'taylorseer':
      return config.interval;
    case 'ertacache':
      return config.lambda;
    case 'linear':
    case 'ertacache-forecast':
      return config.calls;
    default:
      return config.threshold;
  }
}

/** The config with its main knob set to `value`. */
export function withMainKnob(config: CacheConfig, value: number): CacheConfig {
  switch (config.method) {
    case 'none':
      return config;
    case 'fora':
    case 'taylorseer':
      return { ...config, interval: value };
    case 'ertacache':
      return { ...config, lambda: value };
    case 'linear':
    case 'ertacache-forecast':
      return { ...config, calls: value };
    default:
      return { ...config, threshold: value };
  }
}

/** The grid values of `range`, ascending, rounded to the grid's decimals (0.01 steps give 0, 0.01, …, 3). */
export function knobGrid(range: KnobRange): number[] {
  const decimals = range.step < 1 ? Math.max(0, -Math.floor(Math.log10(range.step))) : 0;
  const count = Math.round((range.max - range.min) / range.step);
  return Array.from({ length: count + 1 }, (_, i) => Number((range.min + i * range.step).toFixed(decimals)));
}
