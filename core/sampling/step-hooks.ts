/**
 * The ordered chain of hooks around each step's model call. One step, for hooks h₁…hₙ:
 *
 *   (probe, when the run asks for it)
 *   for h in chain: out = h.beforeCall(call)   the first hook that returns outputs skips the
 *                                              model (a cache reuse); later hooks are not asked
 *   no hook supplied outputs:
 *     out = model.predict(...)
 *     for h in chain: out = h.correct(call, out)      output correction (quantization compensation)
 *     for h in chain: h.afterCall(call, out)          cache bookkeeping, calibration recording
 *   pred = uncond + cfg·(cond − uncond)   (else cond)
 *
 * Correction runs before afterCall so a cache stores, and later reuses, corrected outputs; a
 * reused output is therefore not corrected twice. Hooks see one step at a time, in order. On a
 * step that injects noise, the noise is multiplied by every hook's noiseScale.
 */
import type { Branch } from './branch';
import type { BranchOutputs } from './denoise-model';

export interface StepCall {
  /** Step index 0..numSteps−1. */
  index: number;
  numSteps: number;
  /** Timestep fed to the model. */
  timestep: number;
  /** Key of the model the plan assigns to this step. */
  model: string;
  /** Model input per branch (after scaleModelInput), latent-sized; one array may serve both branches. */
  inputs: ReadonlyMap<Branch, Float32Array>;
  /** The probe per branch, when the run computes one. */
  probe?: ReadonlyMap<Branch, Float32Array>;
}

export interface StepHook {
  /** Short name for messages and stats ('cache', 'recorder', 'tcec'). */
  readonly name: string;
  /** Outputs that replace the model call this step, or undefined to let it run. */
  beforeCall?(call: StepCall): BranchOutputs | undefined;
  /** Corrects a computed step's outputs; returns the corrected outputs (new arrays or the same). */
  correct?(call: StepCall, outputs: BranchOutputs): BranchOutputs;
  /** Sees a computed step's (corrected) outputs. */
  afterCall?(call: StepCall, outputs: ReadonlyMap<Branch, Float32Array>): void;
  /**
   * Factor (0..1) on the fresh noise a stochastic step injects, when the hook knows part of that
   * variance is already in the latent (PTQD: uncorrelated quantization error). Factors of several
   * hooks multiply; a deterministic step never asks.
   */
  noiseScale?(call: StepCall): number;
}
