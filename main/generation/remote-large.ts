/**
 * The large model of a hybrid run on a v2 (KServe / Triton) server: its Denoiser over a remote
 * runner, the endpoint each of its steps records, the traffic it caused, and — when the user chose
 * to finish locally on a server failure — the step the run switched at.
 */
import { nearestRankQuantile as quantile } from '../../core/eval/timing-stats';
import type { HybridRunStats } from '../../contract/api';
import { Denoiser } from '../runtime/denoiser';
import { RemoteRunner } from '../runtime/remote-runner';

export interface RemoteLarge {
  denoiser: Denoiser;
  endpoint: string;
  /** Present when a failure should switch the run to the local large model. */
  onFailure?: (stepIndex: number, reason: string) => void;
  stats(): NonNullable<HybridRunStats['remote']>;
  fellBack(): { atStep: number; reason: string } | undefined;
  dispose(): Promise<void>;
}

/** What the request asks of the server. */
export interface RemoteChoice {
  url: string;
  token?: string;
  /** 'local': finish on the local large model when the server fails mid-run. */
  fallback: 'fail' | 'local';
}

/**
 * Connects to the large model's server (health, readiness and metadata checks) and wraps it as a
 * Denoiser, which adapts its feeds to the metadata the server declares, as for a local export.
 * @throws StudioError REMOTE_UNAVAILABLE | REMOTE_AUTH | MODEL_NOT_FOUND | REMOTE_PROTOCOL | MODEL_LAYOUT
 */
export async function connectRemoteLarge(choice: RemoteChoice): Promise<RemoteLarge> {
  const runner = await RemoteRunner.connect(choice.url, choice.token === undefined ? {} : { token: choice.token });
  let denoiser: Denoiser;
  try {
    denoiser = new Denoiser(runner);
  } catch (err) {
    await runner.dispose();
    throw err;
  }
  let fellBack: { atStep: number; reason: string } | undefined;
  return {
    denoiser,
    endpoint: runner.endpoint,
    ...(choice.fallback === 'local'
      ? {
          onFailure: (atStep: number, reason: string) => {
            fellBack ??= { atStep, reason };
          },
        }
      : {}),
    stats: () => {
      const s = runner.stats();
      return { calls: s.calls, bytesSent: s.bytesSent, bytesReceived: s.bytesReceived, latencyMedianMs: quantile(s.latencyMs, 0.5), latencyP95Ms: quantile(s.latencyMs, 0.95) };
    },
    fellBack: () => fellBack,
    dispose: () => runner.dispose(),
  };
}
