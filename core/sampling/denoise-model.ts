/**
 * What the sampling loop needs of a denoiser, independent of how it runs: given the model input
 * (the scheduler-scaled latent, flattened in LatentShape order) and a timestep, the prediction
 * for each CFG branch. The prompt conditioning is bound into the implementation (one text
 * encoding serves every model of a hybrid pair), so the loop never handles embeddings.
 */
import type { Branch } from './branch';

export type BranchOutputs = Map<Branch, Float32Array>;

export interface DenoiseModel {
  /**
   * One prediction per branch for the same input x, in one batched call where the model allows.
   * @param x model input, latentSize values
   * @param branches ['uncond', 'cond'] under classifier-free guidance, else ['cond']
   * @returns a latentSize array per branch (may be views of one batched output)
   */
  predict(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs>;
  /**
   * TeaCache's cheap per-step probe (block 0's modulated input), when the model has one.
   * @returns one flattened probe per branch
   */
  probe?(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs>;
}
