/**
 * generate's quantization options: --precision fp32|w8a8|… picks the denoiser variant the
 * quantizer installs for that precision, --compensation none|ptqd|tcec and
 * --compensation-strength λ the correction. A compensation without a quantized precision is
 * refused here already (the run-time check in compensation-setup.ts covers the API).
 */
import type { GenerateRequest, ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { PRECISIONS, type Precision, variantNameOf } from '../../contract/quant';
import { checkPrecision } from './precision-support';

const METHODS = ['none', 'ptqd', 'tcec'] as const;

export const PRECISION_OPTIONS = {
  precision: { type: 'string' },
  compensation: { type: 'string' },
  'compensation-strength': { type: 'string' },
} as const;

/** The request fields the options ask for. @throws StudioError INVALID_REQUEST | PROVIDER_UNAVAILABLE */
export function parsePrecisionOptions(values: { precision?: string; compensation?: string; 'compensation-strength'?: string }, provider: ProviderChoice): Pick<GenerateRequest, 'denoiserVariant' | 'compensation'> {
  const bad = (msg: string): never => {
    throw new StudioError('INVALID_REQUEST', msg);
  };
  const precision = (values.precision ?? 'fp32') as Precision;
  if (!(PRECISIONS as readonly string[]).includes(precision)) bad(`--precision must be one of ${PRECISIONS.join(', ')}`);
  checkPrecision(precision, provider);
  const method = values.compensation ?? 'none';
  if (!(METHODS as readonly string[]).includes(method)) bad(`--compensation must be one of ${METHODS.join(', ')}`);
  if (method !== 'none' && precision === 'fp32') bad(`--compensation ${method} corrects a quantized denoiser; add --precision w8a8`);
  const rawStrength = values['compensation-strength'];
  if (rawStrength !== undefined && method === 'none') bad('--compensation-strength needs --compensation ptqd or tcec');
  const strength = rawStrength === undefined ? undefined : Number(rawStrength);
  if (strength !== undefined && (!Number.isFinite(strength) || strength < 0 || strength > 4)) bad('--compensation-strength must be a number 0..4');
  return {
    ...(precision === 'fp32' ? {} : { denoiserVariant: variantNameOf(precision) }),
    ...(method === 'none' ? {} : { compensation: { method: method as 'ptqd' | 'tcec', ...(strength === undefined ? {} : { strength }) } }),
  };
}
