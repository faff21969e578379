/**
 * Post-training quantization: the `quantize` job's request and result, and the precisions and
 * compensations a generation can ask for. Pure TypeScript, like contract/api.ts.
 */
import type { ProviderChoice, SchedulerName } from './api';

/** Weight/activation bit widths. The 4-bit ones are simulated on the int8 kernels (QuantizeResult.note). */
export const PRECISIONS = ['fp32', 'w8a8', 'w4a8', 'w4a16'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** The variant name each quantized precision is installed under. */
export function variantNameOf(precision: Exclude<Precision, 'fp32'>): string {
  return `int8-${precision}`.replace('int8-w4', 'int4-w4');
}

export interface QuantizeRequest {
  model: string;
  precision: Exclude<Precision, 'fp32'>;
  /** Calibration prompts: disjoint from any benchmark prompts. */
  prompts: string[];
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  /** Prompt i runs with seed + i. */
  seed: number;
  provider: ProviderChoice;
}

export interface QuantizedOp {
  name: string;
  opType: string;
  /** 'w8a8' | 'weight-only' | 'fp32'. */
  decision: string;
  reason: string;
  inputRange?: { lo: number; hi: number };
  weightScale?: [number, number];
}

export interface QuantizeResult {
  id: number;
  modelId: string;
  variant: string;
  variantSha256: string;
  precision: Exclude<Precision, 'fp32'>;
  /** Said plainly for the 4-bit precisions: how they are run. */
  note?: string;
  /** Bytes of the weights (initializers) in the fp32 model and in the variant. */
  weightBytes: { fp32: number; quantized: number };
  /** Activation range method picked, and the output MSE each candidate gave on held-out calibration steps. */
  rangeMethod: 'percentile' | 'mse';
  rangeErrors: Record<string, number>;
  /** Conditioning-path weights: stored int8 or kept fp32, and the output MSE of each. */
  conditioningWeights: 'int8' | 'fp32';
  conditioningErrors: Record<string, number>;
  ops: QuantizedOp[];
  fp32OpTypes: { opType: string; count: number; reason: string }[];
  /** Id of the stored compensation tables fitted for the request's steps, CFG and scheduler. */
  calibrationId: number;
  /** Default strength λ per method, picked by final-latent error on the calibration prompts. */
  strength: { ptqd: number; tcec: number };
  /** Final-latent MSE against fp32 per method and λ. */
  strengthErrors: Record<string, Record<string, number>>;
  createdAt: string;
}

/** Settings a variant's compensation tables were fitted for (one per stored calibration). */
export interface QuantCalibrationInfo {
  variant: string;
  /** The scheduler name the calibration used ('default' = the model's own). */
  scheduler: string;
  steps: number;
  cfg: number;
}
