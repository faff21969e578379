/**
 * What the Speed-up panel says about each caching method: a label, one line on how it decides,
 * and its main knob (the slider). Pure data plus two helpers that read and set the main knob of
 * any CacheConfig, so components never switch on the method themselves.
 */
import type { CacheConfig } from '../../../contract/cache';
import { MAIN_KNOB_RANGE, mainKnobValue, type KnobRange } from '../../../core/cache/main-knob';
import type { CacheMethod } from '../../../core/cache/types';

// Reading and setting the main knob, and its range, are core's (the back end sweeps the same grid).
export { mainKnobValue, withMainKnob } from '../../../core/cache/main-knob';

export interface MainKnob extends KnobRange {
  label: string;
  /** For one-line summaries: "interval 2", "λ 0.30". */
  short: string;
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

/** The range of `method`'s knob (it has one). */
const range = (method: CacheMethod): KnobRange => MAIN_KNOB_RANGE[method] as KnobRange;

const threshold = (method: CacheMethod, label: string, short = 'threshold'): MainKnob => ({
  label,
  short,
  ...range(method),
  fasterWhenHigher: true,
  format: (v) => v.toFixed(2),
});

const calls = (method: CacheMethod): MainKnob => ({ label: 'Model calls', short: 'calls', ...range(method), fasterWhenHigher: false, format: (v) => String(v) });

export const METHOD_INFO: Readonly<Record<CacheMethod, MethodInfo>> = {
  none: { label: 'None', blurb: 'Every step runs the model.', needsProfile: false, knob: null },
  fora: {
    label: 'FORA',
    blurb: 'Runs the model every N-th step and reuses its output in between.',
    needsProfile: false,
    knob: { label: 'Interval', short: 'interval', ...range('fora'), fasterWhenHigher: true, format: (v) => String(v) },
  },
  teacache: {
    label: 'TeaCache',
    blurb: 'Skips while the accumulated change of the model input stays under the threshold.',
    needsProfile: true,
    knob: threshold('teacache', 'Threshold'),
  },
  magcache: {
    label: 'MagCache',
    blurb: 'Skips while profiled output-magnitude ratios say the error stays under the threshold.',
    needsProfile: true,
    knob: threshold('magcache', 'Threshold'),
  },
  easycache: {
    label: 'EasyCache',
    blurb: 'Adapts at run time: skips while the measured change rate predicts a small change.',
    // Runs without one; only its plan preview replays the rule on a profile.
    needsProfile: false,
    knob: threshold('easycache', 'Threshold'),
  },
  ertacache: {
    label: 'ERTACache',
    blurb: 'Picks the steps to reuse offline from a profile, then corrects time and residual error.',
    needsProfile: true,
    knob: threshold('ertacache', 'λ (error budget)', 'λ'),
  },
  taylorseer: {
    label: 'TaylorSeer',
    blurb: 'Runs the model every N-th step and forecasts the steps between by a Taylor expansion of its recent outputs.',
    needsProfile: false,
    knob: { label: 'Interval', short: 'interval', ...range('taylorseer'), fasterWhenHigher: true, format: (v) => String(v) },
  },
  linear: {
    label: 'Linear forecast',
    blurb: 'Forecasts skipped steps as a weighted sum of the last computed outputs, weights fitted on this model\'s profile.',
    needsProfile: true,
    knob: calls('linear'),
  },
  'ertacache-forecast': {
    label: 'ERTACache + forecast',
    blurb: 'ERTACache\'s profiled choice of steps, with the fitted linear forecast on every skipped step.',
    needsProfile: true,
    knob: calls('ertacache-forecast'),
  },
};

/** "FORA · every 2", "TeaCache · threshold 0.40": what a recipe card says a run used. */
export function describeCache(config: CacheConfig): string {
  const info = METHOD_INFO[config.method];
  const value = mainKnobValue(config);
  return info.knob && value !== null ? `${info.label} · ${info.knob.short} ${info.knob.format(value)}` : info.label;
}
