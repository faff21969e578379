/**
 * Whether two denoisers can share one sampling run (hybrid inference): one noisy latent passes
 * from one to the other mid-run with nothing converted, so they must agree on everything that
 * latent means. The rules, each checked and named in the refusal:
 *   latent-space     same latent channels and size, both image or both video latents, and the
 *                    same VAE scaling factor (a latent from one model must decode with the
 *                    other's VAE)
 *   noise-schedule   the same σ at every step of the run (one scheduler serves all N steps)
 *   prediction-type  both predict the same quantity (ε, v, x₀ or flow velocity)
 *   conditioning     the same prompt-embedding shape [L, D] (one text encoding serves both)
 */

export interface PairingFacts {
  /** Model id, for messages. */
  id: string;
  /** `frameAxis`: a video denoiser's latent [C, F, h, w]; absent or false for an image's [C, h, w]. */
  latent: { channels: number; height: number; width: number; frameAxis?: boolean };
  vaeScalingFactor: number;
  predictionType: string;
  /** σ per step plus the final one, of this model's scheduler at the run's step count. */
  sigmas: ArrayLike<number>;
  conditioning: { sequenceLength: number; hiddenSize: number };
}

export type PairingRule = 'latent-space' | 'noise-schedule' | 'prediction-type' | 'conditioning';

export class PairingError extends Error {
  constructor(
    readonly rule: PairingRule,
    message: string,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

/** Relative tolerance on σ: both schedules come from float32 tables. */
const SIGMA_TOLERANCE = 1e-6;

/** @throws PairingError naming the first rule the pair breaks */
export function checkPairing(a: PairingFacts, b: PairingFacts): void {
  const pair = `${a.id} and ${b.id}`;
  const la = a.latent;
  const lb = b.latent;
  if (la.channels !== lb.channels || la.height !== lb.height || la.width !== lb.width) {
    throw new PairingError('latent-space', `${pair} cannot share a run (rule latent-space): their latents are ${la.channels}×${la.height}×${la.width} and ${lb.channels}×${lb.height}×${lb.width}.`);
  }
  if ((la.frameAxis ?? false) !== (lb.frameAxis ?? false)) {
    throw new PairingError('latent-space', `${pair} cannot share a run (rule latent-space): ${la.frameAxis ? a.id : b.id} is a video model, whose latents have a frame axis, and ${la.frameAxis ? b.id : a.id} an image model.`);
  }
  if (Math.abs(a.vaeScalingFactor - b.vaeScalingFactor) > 1e-7 * Math.abs(a.vaeScalingFactor)) {
    throw new PairingError('latent-space', `${pair} cannot share a run (rule latent-space): their VAE scaling factors differ (${a.vaeScalingFactor} and ${b.vaeScalingFactor}).`);
  }
  if (a.predictionType !== b.predictionType) {
    throw new PairingError('prediction-type', `${pair} cannot share a run (rule prediction-type): one predicts ${a.predictionType}, the other ${b.predictionType}.`);
  }
  if (a.sigmas.length !== b.sigmas.length || Array.from(a.sigmas).some((s, i) => Math.abs(s - (b.sigmas[i] as number)) > SIGMA_TOLERANCE * Math.max(1, Math.abs(s)))) {
    throw new PairingError('noise-schedule', `${pair} cannot share a run (rule noise-schedule): their schedulers give different noise levels for this step count.`);
  }
  const ca = a.conditioning;
  const cb = b.conditioning;
  if (ca.sequenceLength !== cb.sequenceLength || ca.hiddenSize !== cb.hiddenSize) {
    throw new PairingError('conditioning', `${pair} cannot share a run (rule conditioning): their prompt embeddings are [${ca.sequenceLength}, ${ca.hiddenSize}] and [${cb.sequenceLength}, ${cb.hiddenSize}].`);
  }
}
