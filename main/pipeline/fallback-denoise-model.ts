/**
 * A denoiser that runs on `primary` (a remote server) and, when a call to it fails, finishes the
 * run on `fallback` (the same model, local) from that call on, reporting the step it switched at.
 * The sampler state never leaves this process, so the switch needs no hand-over; the switched
 * step's output simply comes from the local model. Cancellation is never treated as a failure.
 */
import { StudioError } from '../../contract/errors';
import type { Branch } from '../../core/sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../core/sampling/denoise-model';

export class FallbackDenoiseModel implements DenoiseModel {
  private failed: { reason: string } | undefined;

  constructor(
    private readonly primary: DenoiseModel,
    private readonly fallback: DenoiseModel,
    /** Called once, with the timestep of the call that failed and why. */
    private readonly onSwitch: (timestep: number, reason: string) => void,
  ) {}

  async predict(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs> {
    if (this.failed === undefined) {
      try {
        return await this.primary.predict(x, timestep, branches);
      } catch (err) {
        if (err instanceof StudioError && err.code === 'CANCELLED') throw err;
        const reason = err instanceof Error ? err.message : String(err);
        this.failed = { reason };
        this.onSwitch(timestep, reason);
      }
    }
    return this.fallback.predict(x, timestep, branches);
  }
}
