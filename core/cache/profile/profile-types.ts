/**
 * A calibration profile: statistics of full (uncached) runs over a few prompts, enough to drive
 * every method's calibration and predictions WITHOUT storing raw trajectories (which would be
 * steps × latent size × prompts floats). Plain JSON (number arrays), so it can be written to disk.
 *
 * What each method reads:
 *   TeaCache  — probeRelL1 (input of the polynomial fit) and outputDist/outputL1 (its target)
 *   MagCache  — magnitudeRatio γ_k
 *   EasyCache — inputDist, outputDist, outputL1 (replayed only for predictions; it needs no calibration)
 *   ERTACache — residualDist/residualL1 (greedy S for any λ), outputDist (φ), pooled (OLS a, c)
 *   plans     — residualDist/residualL1 (predicted error of reusing step j's residual at step k)
 * Size: per prompt and branch 3·T(T−1)/2 + 5·T numbers; pooled per branch C·(T² + 4T). For 50 steps,
 * 20 prompts, 2 branches, 4 channels: about 170k numbers.
 *
 * Notation: x_k model input, v_k model output, r_k = v_k − x_k residual at step k of one
 * trajectory; ‖·‖₁ sums over the whole latent.
 */
import type { Branch } from '../types';

/**
 * 2: adds `reuseCost`, ERTACache's measured reuse cost (null when not measured). Version-1
 * profiles still parse, with `reuseCost` null.
 */
export const CACHE_PROFILE_VERSION = 2;

/** The profile versions this build reads. */
export const READABLE_PROFILE_VERSIONS = [1, 2] as const;

/** What a profile was made for; any difference makes it inapplicable (profileMatches). */
export interface CacheProfileKey {
  /** Content hash of the denoiser (the registry's model hash). */
  modelHash: string;
  /** Scheduler that ran, e.g. 'FlowMatchEulerDiscreteScheduler'. */
  scheduler: string;
  steps: number;
  /** Flow-matching shift (1 for schedulers without one). */
  shift: number;
  /** Guidance scale; > 1 means two branches (uncond, cond). */
  cfg: number;
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Frames of a video model's clip; absent for a still image. A profile for 16 frames does not fit 8. */
  frames?: number;
}

/** One calibration prompt, one branch. Pair arrays: strict pairs j < k at k(k−1)/2 + j (pair-index.ts). */
export interface PromptTrajectoryStats {
  /** ‖x_k‖₁, length T. */
  inputL1: number[];
  /** ‖v_k‖₁. */
  outputL1: number[];
  /** ‖r_k‖₁. */
  residualL1: number[];
  /** TeaCache's input signal ‖p_k − p_{k−1}‖₁ / ‖p_{k−1}‖₁ with p the probe (or the input); 0 at k = 0. */
  probeRelL1: number[];
  /** MagCache's γ_k = mean over spatial positions of ‖r_k‖₂ / ‖r_{k−1}‖₂ (norm over channels); 1 at k = 0. */
  magnitudeRatio: number[];
  /** ‖x_j − x_k‖₁ for j < k. */
  inputDist: number[];
  /** ‖v_j − v_k‖₁ for j < k. */
  outputDist: number[];
  /** ‖r_j − r_k‖₁ for j < k: the L1 error of reusing step j's residual at step k. */
  residualDist: number[];
}

/**
 * Sums over all prompts and spatial positions, per latent channel c (outer index), for the
 * ERTACache rectification fit. With these, the OLS fit of ε = r_j − r_k on ṽ = x_k + r_j is
 * closed-form for every pair j < k (erta/rectification.ts).
 */
export interface PooledChannelSums {
  /** Values summed per channel and step: prompts × H × W. */
  count: number;
  /** Σ x_k, [C][T]. */
  x: number[][];
  /** Σ x_k². */
  xx: number[][];
  /** Σ r_k. */
  r: number[][];
  /** Σ r_k². */
  rr: number[][];
  /** Σ x_k·r_j for j ≤ k at k(k+1)/2 + j, [C][T(T+1)/2]. */
  xr: number[][];
  /** Σ r_j·r_k for j < k at k(k−1)/2 + j, [C][T(T−1)/2]. */
  rr2: number[][];
}

export interface BranchProfile {
  prompts: PromptTrajectoryStats[];
  pooled: PooledChannelSums;
}

/**
 * ERTACache's placement input, measured during profiling by re-running the sampler from every
 * step with that step's output reused (erta/measure-reuse-cost.ts). Per step k (length T, 0 at
 * step 0): the RMS over measured prompts of the L2 deviation reuse leaves, per unit of the L2
 * error it injects into the guided model output, in the final image or latent (finalGain, see
 * `space`) and in the next step's x̂₀ prediction (x0Gain): ratios of image (or latent) norms to
 * model-output norms.
 */
export interface MeasuredReuseCost {
  /** How the cost was measured: 'rollout' = every single-step reuse run to the end on the model. */
  method: 'rollout';
  /**
   * Where the final deviation was measured: 'image' the decoded image clamped to [−1, 1] (what
   * PSNR compares), 'latent' the final latent (when no decoder ran).
   */
  space: 'image' | 'latent';
  /** Calibration prompts measured (the first ones of the profile). */
  prompts: number;
  finalGain: number[];
  x0Gain: number[];
}

export interface CacheProfile {
  version: (typeof READABLE_PROFILE_VERSIONS)[number];
  key: CacheProfileKey;
  /** Latent [C, H, W]. */
  latentShape: [number, number, number];
  /** ['uncond', 'cond'] when key.cfg > 1, else ['cond']. */
  branches: Branch[];
  /** Timestep fed to the model at each step, length T. */
  timesteps: number[];
  /** The scheduler's σ grid (length T + 1) for Euler-type schedulers, else null. */
  sigmas: number[] | null;
  /** Whether TeaCache's probe was a separate signal or the model input. */
  probeSource: 'input' | 'probe';
  stats: Partial<Record<Branch, BranchProfile>>;
  /**
   * With CFG: the guided output g = v_uncond + cfg·(v_cond − v_uncond) recorded as one more series
   * (input x, shared by both branches; residual g − x), so ERTACache can profile, time-adjust and
   * rectify what the sampler actually integrates (ErtaSignal 'guided'). Null without CFG (the
   * cond branch is the guided output) and in profiles recorded before it existed.
   */
  guided: BranchProfile | null;
  /** ERTACache's measured reuse cost; null (or absent) when the profile was recorded without it, as every version-1 profile was. */
  reuseCost?: MeasuredReuseCost | null;
}

/** The branches a run with this guidance scale computes (diffusers: guidance only when cfg > 1). */
export function branchesForCfg(cfg: number): Branch[] {
  return cfg > 1 ? ['uncond', 'cond'] : ['cond'];
}

/** The stats of one branch; throws if the profile lacks it (parseCacheProfile guarantees it does not). */
export function branchProfile(profile: CacheProfile, branch: Branch): BranchProfile {
  const b = profile.stats[branch];
  if (b === undefined) throw new RangeError(`cache profile has no ${branch} branch`);
  return b;
}
