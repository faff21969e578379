/**
 * `--cache METHOD --cache-threshold X` for the CLI: X sets the method's main knob
 * (main/cache/cache-knobs.ts: fora/taylorseer interval, teacache/magcache/easycache threshold,
 * ertacache λ, linear/ertacache-forecast model calls) and the other knobs keep their defaults.
 * `--cache auto --cache-calls N` leaves the choice to the benchmark results
 * (main/cache/recommend-cache.ts). A value out of range is a usage error (exit 2) naming the
 * knob and its range.
 */
import type { CacheConfig } from '../../contract/cache';
import { CACHE_METHODS, CacheConfigError } from '../../core/cache';
import { CACHE_KNOBS, configWithKnob } from '../cache/cache-knobs';
import { choiceOption, integerOption, numberOption, UsageError } from './cli-options';

/**
 * The cache config of `--cache` / `--cache-threshold`, or undefined when --cache is absent.
 * @throws UsageError for an unknown method, a threshold without --cache or out of range
 */
export function parseCacheOptions(method: string | undefined, threshold: string | undefined): CacheConfig | undefined {
  if (method === undefined) {
    if (threshold !== undefined) throw new UsageError('--cache-threshold needs --cache METHOD');
    return undefined;
  }
  const m = choiceOption('cache', method, [...CACHE_METHODS, 'auto'] as const, 'none');
  if (m === 'auto') throw new UsageError('--cache auto needs --cache-calls N');
  if (m === 'none') {
    if (threshold !== undefined) throw new UsageError('--cache none takes no --cache-threshold');
    return { method: 'none' };
  }
  const knob = CACHE_KNOBS[m];
  const name = `cache-threshold (${m} ${knob.field})`;
  const value = threshold === undefined ? undefined : knob.integer ? integerOption(name, threshold, knob.min, knob.max) : numberOption(name, threshold, knob.min, knob.max, 0);
  try {
    return configWithKnob(m, value);
  } catch (err) {
    if (err instanceof CacheConfigError) throw new UsageError(`--${name}: ${err.message}`);
    throw err;
  }
}

/**
 * The budget of `--cache auto --cache-calls N`, or undefined when --cache is not auto.
 * @throws UsageError for --cache-calls without --cache auto, with --cache-threshold, or out of 2..steps−1
 */
export function parseAutoCacheCalls(method: string | undefined, threshold: string | undefined, calls: string | undefined, steps: number): number | undefined {
  if (method !== 'auto') {
    if (calls !== undefined) throw new UsageError('--cache-calls needs --cache auto');
    return undefined;
  }
  if (threshold !== undefined) throw new UsageError('--cache auto takes --cache-calls N, not --cache-threshold');
  if (calls === undefined) throw new UsageError('--cache auto needs --cache-calls N');
  if (steps < 3) throw new UsageError(`--cache auto needs at least 3 steps (got ${steps})`);
  return integerOption('cache-calls', calls, 2, steps - 1);
}
