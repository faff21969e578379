/**
 * Checks a quantize request from any boundary (argv, the API, a stored job): field types and
 * ranges, and the calibration prompts. Defaults: the cache benchmark's calibration prompts
 * (disjoint from every benchmark prompt set), 8 of them.
 */
import type { QuantizeRequest } from '../../contract/quant';
import { validateCallRequest } from '../../contract/validate';
import { DEFAULT_CALIBRATION_PROMPTS } from '../cache/bench/bench-prompts';

export const QUANTIZE_DEFAULTS = { calibN: 8, steps: 20, cfg: 5, seed: 7000 } as const;
export const CALIB_PROMPTS_MAX = 64;

export function defaultCalibrationPrompts(n: number): string[] {
  return DEFAULT_CALIBRATION_PROMPTS.slice(0, n);
}

/** The `quantize.start` call's schema (contract/request-schema.ts) is the one check. @throws StudioError INVALID_REQUEST naming the bad field */
export function validateQuantizeRequest(raw: unknown): QuantizeRequest {
  return validateCallRequest('quantize.start', raw);
}
