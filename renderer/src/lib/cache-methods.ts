/**
 * What the Speed-up panel says about each caching method: a label, one line on how it decides,
 * and its main knob (the slider). Pure data plus two helpers that read and set the main knob of
 * any CacheConfig, so components never switch on the method themselves.
 */
import type { CacheConfig } from '../../../contract/cache';
import { MAX_THRESHOLD } from '../../../core/cache/cache-config';
import type { CacheMethod } from '../../../core/cache/types';

export interface MainKnob {
  label: string;
  /** For one-line summaries: "interval 2", "λ 0.30". */
  short: string;
  min: number;
  max: number;
  step: number;
  /** Which way makes it faster, for the slider's end labels. */
  fasterWhenHigher: boolean;
  format: (value: number) => string;
}

export interface MethodInfo {
  label: string;
  blurb: string;
  /** Needs a calibration profile of this model/steps/cfg/scheduler before it can run. */
  needsProfile: boolean;
  knob: MainKnob | null;
}

const threshold = (label: string, short = 'threshold'): MainKnob => ({
  label,
  short,
  min: 0,
  max: MAX_THRESHOLD,
  step: 0.01,
  fasterWhenHigher: true,
  format: (v) => v.toFixed(2),
});

const calls: MainKnob = { label: 'Model calls', short: 'calls', min: 2, max: 50, step: 1, fasterWhenHigher: false, format: (v) => String(v) };

export const METHOD_INFO: Readonly<Record<CacheMethod, MethodInfo>> = {
  none: { label: 'None', blurb: 'Every step runs the model.', needsProfile: false, knob: null },
  fora: {
    label: 'FORA',
    blurb: 'Runs the model every N-th step and reuses its output in between.',
    needsProfile: false,
    knob: { label: 'Interval', short: 'interval', min: 1, max: 8, step: 1, fasterWhenHigher: true, format: (v) => String(v) },
  },
  teacache: {
    label: 'TeaCache',
    blurb: 'Skips while the accumulated change of the model input stays under the threshold.',
    needsProfile: true,
    knob: threshold('Threshold'),
  },
  magcache: {
    label: 'MagCache',
    blurb: 'Skips while profiled output-magnitude ratios say the error stays under the threshold.',
    needsProfile: true,
    knob: threshold('Threshold'),
  },
  easycache: {
    label: 'EasyCache',
    blurb: 'Adapts at run time: skips while the measured change rate predicts a small change.',
    // Runs without one; only its plan preview replays the rule on a profile.
    needsProfile: false,
    knob: threshold('Threshold'),
  },
  ertacache: {
    label: 'ERTACache',
    blurb: 'Picks the steps to reuse offline from a profile, then corrects time and residual error.',
    needsProfile: true,
    knob: threshold('λ (error budget)', 'λ'),
  },
  taylorseer: {
    label: 'TaylorSeer',
    blurb: 'Runs the model every N-th step and forecasts the steps between by a Taylor expansion of its recent outputs.',
    needsProfile: false,
    knob: { label: 'Interval', short: 'interval', min: 1, max: 12, step: 1, fasterWhenHigher: true, format: (v) => String(v) },
  },
  linear: {
    label: 'Linear forecast',
    blurb: 'Forecasts skipped steps as a weighted sum of the last computed outputs, weights fitted on this model\'s profile.',
    needsProfile: true,
    knob: calls,
  },
  'ertacache-forecast': {
    label: 'ERTACache + forecast',
    blurb: 'ERTACache\'s profiled choice of steps, with the fitted linear forecast on every skipped step.',
    needsProfile: true,
    knob: calls,
  },
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

/** "FORA · every 2", "TeaCache · threshold 0.40": what a recipe card says a run used. */
export function describeCache(config: CacheConfig): string {
  const info = METHOD_INFO[config.method];
  const value = mainKnobValue(config);
  return info.knob && value !== null ? `${info.label} · ${info.knob.short} ${info.knob.format(value)}` : info.label;
}
