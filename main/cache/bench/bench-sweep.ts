/**
 * The cache settings a benchmark compares: FORA at intervals 2, 3, 4, and for each of TeaCache,
 * MagCache, EasyCache and ERTACache K values of its main knob chosen so the PREDICTED model-call
 * reduction (planSchedule on the calibration profile) spans about 1.3× to 3× — the range where
 * published methods are compared — instead of fixed thresholds that mean different things on
 * different models. Targets are geometric, 1.3·(3/1.3)^(k/(K−1)), plus FORA's own budgets
 * (T / NFE of FORA 2/3/4), so every method has a setting with at most FORA's model calls to be
 * compared with it at matched NFE; for each target the smallest knob value (bisection over
 * [0, 3], rounded up to 4 decimals) whose plan reaches it, or 3 when none does. Settings that land
 * on the same value are run once. Every other knob keeps its default.
 */
import type { CacheConfig } from '../../../contract/cache';
import { planSchedule, type CacheCalibration, type CacheMethod } from '../../../core/cache';
import { CACHE_KNOBS, configWithKnob } from '../cache-knobs';

export const FORA_INTERVALS = [2, 3, 4] as const;
export const SPEEDUP_RANGE = [1.3, 3] as const;
const ADAPTIVE: readonly Exclude<CacheMethod, 'none' | 'fora'>[] = ['teacache', 'magcache', 'easycache', 'ertacache'];

export interface SweepOptions {
  steps: number;
  /** Knob values per adaptive method (K ≥ 1). */
  perMethod: number;
  /** Whether the scheduler allows ERTACache's time adjustment (Euler-type); when false it is forced off. */
  timeAdjustment: boolean;
}

/** Target speedups, geometric over SPEEDUP_RANGE. */
export function speedupTargets(k: number): number[] {
  const [lo, hi] = SPEEDUP_RANGE;
  if (k === 1) return [Math.sqrt(lo * hi)];
  return Array.from({ length: k }, (_, i) => lo * (hi / lo) ** (i / (k - 1)));
}

function configFor(method: Exclude<CacheMethod, 'none' | 'fora'>, value: number, o: SweepOptions): CacheConfig {
  const c = configWithKnob(method, value);
  return c.method === 'ertacache' ? { ...c, timeAdjustment: c.timeAdjustment && o.timeAdjustment } : c;
}

/** Model-call speedups of FORA's intervals: T / ⌈T / interval⌉ (FORA computes every interval-th step from 0). */
export function foraBudgetTargets(steps: number): number[] {
  return FORA_INTERVALS.filter((n) => n <= steps).map((n) => steps / Math.ceil(steps / n));
}

/** Smallest knob value in [0, max] whose planned speedup reaches `target` (max when none does). */
function knobFor(method: Exclude<CacheMethod, 'none' | 'fora'>, target: number, o: SweepOptions, calibration: CacheCalibration): number {
  const max = CACHE_KNOBS[method].max;
  const speedup = (v: number): number => planSchedule(configFor(method, v, o), o.steps, calibration).predictedSpeedup;
  if (speedup(max) < target) return max;
  let lo = 0;
  let hi = max;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (speedup(mid) >= target) hi = mid;
    else lo = mid;
  }
  return Math.min(max, Math.ceil(hi * 1e4) / 1e4);
}

/** Every setting to run, FORA first, then each adaptive method by increasing knob. */
export function sweepConfigs(calibration: CacheCalibration, o: SweepOptions): CacheConfig[] {
  const out: CacheConfig[] = FORA_INTERVALS.filter((n) => n <= o.steps).map((interval) => ({ method: 'fora', interval }));
  for (const method of ADAPTIVE) {
    const targets = [...speedupTargets(o.perMethod), ...foraBudgetTargets(o.steps)];
    const values = [...new Set(targets.map((t) => knobFor(method, t, o, calibration)))].sort((a, b) => a - b);
    out.push(...values.map((v) => configFor(method, v, o)));
  }
  return out;
}

/** The paper's ablation (its Table 3): ERTACache with components removed or added, same λ. */
export interface AblationEntry {
  config: CacheConfig;
  /** Which components the row has, for tables and plots. */
  variant: string;
}

/**
 * For every ERTACache setting of a sweep, the same λ with each combination of (b) time adjustment
 * (where the scheduler allows it) and (c) rectification on top of (a) the reuse set, except the
 * sweep's own combination; with CFG also the sweep's setting with φ and rectification fitted per
 * branch instead of on the guided output (erta-signal.ts); with a profile that carries a measured
 * reuse cost (`measured`) also the same calls placed by it, with all parts and alone.
 */
export function ertaAblationConfigs(sweep: readonly CacheConfig[], timeAdjustment: boolean, guidance: boolean, measured = false): AblationEntry[] {
  const out: AblationEntry[] = [];
  for (const c of sweep) {
    if (c.method !== 'ertacache') continue;
    const rectification = c.rectification === 'off' ? 'channel' : c.rectification;
    const combos: [boolean, boolean, string][] = [
      [false, false, 'reuse set only'],
      [true, false, '+ time adjustment'],
      [false, true, '+ rectification'],
      [true, true, '+ time adjustment + rectification'],
    ];
    for (const [ta, rect, variant] of combos) {
      if ((ta && !timeAdjustment) || (ta === c.timeAdjustment && rect === (c.rectification !== 'off'))) continue;
      out.push({ config: { ...c, timeAdjustment: ta, rectification: rect ? rectification : 'off' }, variant });
    }
    if (guidance && c.signal === 'guided') out.push({ config: { ...c, signal: 'branches' }, variant: 'per-branch signal' });
    out.push({ config: { ...c, reuseSet: c.reuseSet === 'greedy' ? 'placed' : 'greedy' }, variant: c.reuseSet === 'greedy' ? 'placed reuse set' : 'greedy reuse set' });
    if (measured && c.reuseSet !== 'measured') out.push({ config: { ...c, reuseSet: 'measured' }, variant: 'measured placement' });
    if (measured && c.reuseSet !== 'measured') out.push({ config: { ...c, reuseSet: 'measured', timeAdjustment: false, rectification: 'off' }, variant: 'measured placement, reuse set only' });
  }
  return out;
}
