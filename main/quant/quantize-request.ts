/**
 * Checks a quantize request from any boundary (argv, the API, a stored job): field types and
 * ranges, and the calibration prompts. Defaults: the cache benchmark's calibration prompts
 * (disjoint from every benchmark prompt set), 8 of them.
 */
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { PRECISIONS, type QuantizeRequest } from '../../contract/quant';
import { DEFAULT_CALIBRATION_PROMPTS } from '../cache/bench/bench-prompts';

export const QUANTIZE_DEFAULTS = { calibN: 8, steps: 20, cfg: 5, seed: 7000 } as const;
export const CALIB_PROMPTS_MAX = 64;

export function defaultCalibrationPrompts(n: number): string[] {
  return DEFAULT_CALIBRATION_PROMPTS.slice(0, n);
}

/** @throws StudioError INVALID_REQUEST naming the first bad field */
export function validateQuantizeRequest(raw: unknown): QuantizeRequest {
  const bad = (msg: string): never => {
    throw new StudioError('INVALID_REQUEST', `quantize: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) bad('the request must be an object');
  const r = raw as Record<string, unknown>;
  if (typeof r.model !== 'string' || r.model === '') bad('"model" must be a model id');
  if (typeof r.precision !== 'string' || !(PRECISIONS as readonly string[]).includes(r.precision) || r.precision === 'fp32') bad(`"precision" must be one of ${PRECISIONS.filter((p) => p !== 'fp32').join(', ')}`);
  if (!Array.isArray(r.prompts) || r.prompts.length < 1 || r.prompts.length > CALIB_PROMPTS_MAX || !r.prompts.every((p) => typeof p === 'string' && p.trim() !== '')) bad(`"prompts" must be 1..${CALIB_PROMPTS_MAX} non-empty calibration prompts`);
  if (!Number.isInteger(r.steps) || (r.steps as number) < 2 || (r.steps as number) > LIMITS.stepsMax) bad(`"steps" must be an integer 2..${LIMITS.stepsMax}`);
  if (typeof r.cfg !== 'number' || r.cfg < LIMITS.cfgMin || r.cfg > LIMITS.cfgMax) bad(`"cfg" must be ${LIMITS.cfgMin}..${LIMITS.cfgMax}`);
  if (typeof r.scheduler !== 'string' || !(SCHEDULER_NAMES as readonly string[]).includes(r.scheduler)) bad(`"scheduler" must be one of ${SCHEDULER_NAMES.join(', ')}`);
  if (!Number.isInteger(r.seed) || (r.seed as number) < 0 || (r.seed as number) > LIMITS.seedMax - CALIB_PROMPTS_MAX) bad('"seed" is out of range');
  if (typeof r.provider !== 'string' || !(PROVIDER_CHOICES as readonly string[]).includes(r.provider)) bad(`"provider" must be one of ${PROVIDER_CHOICES.join(', ')}`);
  return raw as QuantizeRequest;
}
