/**
 * The large model of a hybrid run on a v2 (KServe / Triton) server: its Denoiser over a remote
 * runner, the endpoint each of its steps records, the traffic it caused, and — when the user chose
 * to finish locally on a server failure — the step the run switched at.
 */
import type { HybridRunStats } from '../../contract/api';
import type { Denoiser } from '../runtime/denoiser';

export interface RemoteLarge {
  denoiser: Denoiser;
  endpoint: string;
  /** Present when a failure should switch the run to the local large model. */
  onFailure?: (stepIndex: number, reason: string) => void;
  stats(): NonNullable<HybridRunStats['remote']>;
  fellBack(): { atStep: number; reason: string } | undefined;
  dispose(): Promise<void>;
}
