/**
 * End-to-end loop check: a fake "oracle" denoiser that knows the clean sample x₀ returns the exact
 * prediction for whatever latent and timestep it is given (computed here from the published
 * forward process, not from scheduler code). Driving each scheduler's full loop with it must
 * keep the latent on the forward-process trajectory x = fwd(x₀, ε, level) after every step and
 * finish at x₀ — which checks timesteps, model-input scaling, prediction conversion and the update
 * together, for every prediction type.
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Scheduler } from '../../../core/sampler/types';
import { SD15_CONFIG, maxAbsDiff, referenceSigmaAt, sdAlphaBar, testValues } from './reference-formulas';

const alphaBar = sdAlphaBar();
const x0 = testValues(256, 11);
const eps = testValues(256, 12).map((v) => v * 1.7);

type DdpmPrediction = 'epsilon' | 'v_prediction' | 'sample';

/** The exact model output for a VP model input √ᾱ·x₀ + √(1−ᾱ)·ε at noise level ᾱ. */
function vpOracle(prediction: DdpmPrediction, modelInput: Float32Array, a: number): Float32Array {
  return modelInput.map((xin, i) => {
    const clean = x0[i] as number;
    const noise = (xin - Math.sqrt(a) * clean) / Math.sqrt(1 - a);
    if (prediction === 'epsilon') return noise;
    if (prediction === 'v_prediction') return Math.sqrt(a) * noise - Math.sqrt(1 - a) * clean;
    return clean;
  });
}

/**
 * Runs the loop from `start`; `landing(i)` is the forward-process latent step i should land on
 * (null: not checked), `oracle` answers the model call. Returns the final latent.
 */
function runLoop(
  s: Scheduler,
  start: Float32Array,
  oracle: (modelInput: Float32Array, t: number) => Float32Array,
  landing: (i: number) => Float32Array | null,
  tolerance: number,
): Float32Array {
  let x = start;
  // Worst distance to the forward process over the steps with a known landing point.
  let worst = 0;
  for (let i = 0; i < s.numSteps; i++) {
    const out = oracle(s.scaleModelInput(x, i), s.timesteps[i] as number);
    x = s.step(out, i, x);
    const want = landing(i);
    worst = want === null ? worst : Math.max(worst, maxAbsDiff(x, want));
  }
  expect(worst).toBeLessThan(tolerance);
  return x;
}

/** VP forward process at ᾱ. */
const vpForward = (a: number) => x0.map((c, i) => Math.sqrt(a) * c + Math.sqrt(1 - a) * (eps[i] as number));
/** Sigma-space forward process at σ. */
const veForward = (sigma: number) => x0.map((c, i) => c + sigma * (eps[i] as number));

describe.each(['epsilon', 'v_prediction', 'sample'] as const)('oracle loop, %s', (prediction) => {
  const config = { ...SD15_CONFIG, prediction_type: prediction };

  it.each(['leading', 'trailing', 'linspace'] as const)('DDIM (%s spacing) lands on ᾱ[t − ⌊T/N⌋] and ends at x₀', (spacing) => {
    const steps = 25;
    const s = createScheduler({ ...config, set_alpha_to_one: true, timestep_spacing: spacing }, steps, 'ddim');
    const stride = Math.floor(1000 / steps);
    // Each step lands on the forward process at ᾱ[t − ⌊T/N⌋] (diffusers' prev_timestep). With
    // linspace spacing that is not the next step's timestep, so only the end point is checked.
    const landing = (i: number) => {
      if (i === steps - 1) return x0;
      return spacing === 'linspace' ? null : vpForward(alphaBar[(s.timesteps[i] as number) - stride] as number);
    };
    const final = runLoop(
      s,
      vpForward(alphaBar[s.timesteps[0] as number] as number),
      (xin, t) => vpOracle(prediction, xin, alphaBar[t] as number),
      landing,
      2e-5,
    );
    expect(maxAbsDiff(final, x0)).toBeLessThan(2e-5);
  });

  it('DDIM with set_alpha_to_one false ends at the forward process at ᾱ₀', () => {
    const s = createScheduler(config, 20, 'ddim');
    let x: Float32Array = vpForward(alphaBar[s.timesteps[0] as number] as number);
    for (let i = 0; i < s.numSteps; i++) x = s.step(vpOracle(prediction, s.scaleModelInput(x, i), alphaBar[s.timesteps[i] as number] as number), i, x);
    expect(maxAbsDiff(x, vpForward(alphaBar[0] as number))).toBeLessThan(2e-5);
  });

  it.each(['leading', 'linspace'] as const)('Euler (%s spacing) follows x₀ + σ·ε and ends at x₀', (spacing) => {
    const s = createScheduler({ ...config, timestep_spacing: spacing }, 30, 'euler');
    const sigmaAt = (t: number) => referenceSigmaAt(alphaBar, t);
    const oracle = (xin: Float32Array, t: number) => vpOracle(prediction, xin, 1 / (sigmaAt(t) ** 2 + 1));
    const nextSigma = (i: number) => (i + 1 < s.numSteps ? sigmaAt(s.timesteps[i + 1] as number) : 0);
    const final = runLoop(s, veForward(sigmaAt(s.timesteps[0] as number)), oracle, (i) => veForward(nextSigma(i)), 2e-4);
    expect(maxAbsDiff(final, x0)).toBeLessThan(2e-5);
  });

  it.each([8, 25])('DPM-Solver++(2M), %i steps, follows α·x₀ + s·ε and ends at x₀', (steps) => {
    const s = createScheduler(config, steps, 'dpmpp-2m');
    const final = runLoop(
      s,
      vpForward(alphaBar[s.timesteps[0] as number] as number),
      (xin, t) => vpOracle(prediction, xin, alphaBar[t] as number),
      (i) => (i + 1 < s.numSteps ? vpForward(alphaBar[s.timesteps[i + 1] as number] as number) : x0),
      2e-5,
    );
    expect(maxAbsDiff(final, x0)).toBeLessThan(2e-5);
  });
});

describe('oracle loop, flow', () => {
  it.each([1, 3])('flow Euler (shift %d) follows (1−σ)·x₀ + σ·n and ends at x₀', (shift) => {
    const s = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift }, 20);
    const flowForward = (sigma: number) => x0.map((c, i) => (1 - sigma) * c + sigma * (eps[i] as number));
    // The model is told t = σ·T; the exact velocity for a latent at σ is (x − x₀)/σ = n − x₀.
    const oracle = (xin: Float32Array, t: number) => xin.map((x, i) => (x - (x0[i] as number)) / (t / 1000));
    const nextSigma = (i: number) => (i + 1 < s.numSteps ? (s.timesteps[i + 1] as number) / 1000 : 0);
    expect(s.initNoiseSigma).toBe(1);
    expect(s.timesteps[0]).toBe(1000); // σ₀ = 1: the start is pure noise
    const final = runLoop(s, eps, oracle, (i) => flowForward(nextSigma(i)), 2e-5);
    expect(maxAbsDiff(final, x0)).toBeLessThan(2e-5);
  });
});
