/**
 * The config fields every DDPM-family scheduler (DDIM, Euler, DPM-Solver) reads, validated, with
 * diffusers' defaults, plus the ᾱ table they define.
 *
 * Keys keep diffusers' snake_case names so a settings object serializes straight into the
 * recipe's effective config, and feeding that config back reproduces the same schedule.
 */
import { BETA_SCHEDULES, type BetaSchedule, alphasCumprod, makeBetas, rescaleZeroTerminalSnr } from './betas';
import {
  type ConfigObject,
  readBoolean,
  readEnum,
  readInteger,
  readNullableNumberArray,
  readNumber,
  requireSupported,
} from './config-fields';
import { TIMESTEP_SPACINGS, type TimestepSpacing } from './timestep-spacing';

export const DDPM_PREDICTION_TYPES = ['epsilon', 'v_prediction', 'sample'] as const;
export type DdpmPredictionType = (typeof DDPM_PREDICTION_TYPES)[number];

export interface NoiseScheduleSettings {
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  beta_schedule: BetaSchedule;
  /** Explicit betas (length num_train_timesteps); when set, the three fields above are unused. */
  trained_betas: number[] | null;
  rescale_betas_zero_snr: boolean;
  prediction_type: DdpmPredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
}

/** `defaultSpacing` is the target class's own default: 'leading' for DDIM, 'linspace' for Euler and DPM-Solver. */
export function readNoiseSchedule(c: ConfigObject, defaultSpacing: TimestepSpacing): NoiseScheduleSettings {
  const num_train_timesteps = readInteger(c, 'num_train_timesteps', 1000, 2, 100_000);
  const beta_start = readNumber(c, 'beta_start', 0.0001, 0, 1);
  const beta_end = readNumber(c, 'beta_end', 0.02, 0, 1);
  requireSupported(c, 'thresholding', false, 'dynamic thresholding is not implemented');
  return {
    num_train_timesteps,
    beta_start,
    beta_end,
    beta_schedule: readEnum(c, 'beta_schedule', BETA_SCHEDULES, 'linear'),
    trained_betas: readNullableNumberArray(c, 'trained_betas', num_train_timesteps),
    rescale_betas_zero_snr: readBoolean(c, 'rescale_betas_zero_snr', false),
    prediction_type: readEnum(c, 'prediction_type', DDPM_PREDICTION_TYPES, 'epsilon'),
    timestep_spacing: readEnum(c, 'timestep_spacing', TIMESTEP_SPACINGS, defaultSpacing),
    steps_offset: readInteger(c, 'steps_offset', 0, 0, num_train_timesteps),
  };
}

/** Betas from the settings (trained_betas wins), optionally rescaled to zero terminal SNR. */
export function settingsBetas(s: NoiseScheduleSettings): Float64Array {
  const betas = s.trained_betas !== null
    ? Float64Array.from(s.trained_betas)
    : makeBetas(s.beta_schedule, s.num_train_timesteps, s.beta_start, s.beta_end);
  return s.rescale_betas_zero_snr ? rescaleZeroTerminalSnr(betas) : betas;
}

/**
 * ᾱ for the sigma-space schedulers (Euler, DPM-Solver). With rescale_betas_zero_snr, diffusers
 * does not use the rescaled ᾱ_T = 0 (its sigma would be infinite) but sets ᾱ_T = 2⁻²⁴.
 */
export function sigmaSpaceAlphasCumprod(s: NoiseScheduleSettings): Float64Array {
  const alphaBar = alphasCumprod(settingsBetas(s));
  if (s.rescale_betas_zero_snr) alphaBar[alphaBar.length - 1] = 2 ** -24;
  return alphaBar;
}
