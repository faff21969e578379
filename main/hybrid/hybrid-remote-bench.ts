/**
 * The remote part of `studio bench hybrid`: the same split run twice per caption, once in
 * process and once with the large model's steps on a v2 server. The images must be identical
 * (tensors cross as binary fp32); the server's per-call latency, against the same call's median
 * time in process, is what the protocol costs on this link.
 */
import { nearestRankQuantile as quantile } from '../../core/eval/timing-stats';
import type { SchedulerName } from '../../contract/api';
import type { HybridOrder } from '../../core/hybrid/hybrid-plan';
import { LARGE } from '../../core/hybrid/hybrid-plan';
import type { EvalItem } from '../eval/eval-items';
import { throwIfCancelled, txt2img } from '../pipeline/txt2img';
import { Denoiser } from '../runtime/denoiser';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { RemoteRunner } from '../runtime/remote-runner';
import type { HybridBenchRemote } from '../../contract/hybrid-bench';

export interface RemoteCheckRun {
  large: LoadedPipeline;
  small: LoadedPipeline;
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
}

export async function runRemoteCheck(
  remote: { url: string; largeSteps: number; order: HybridOrder },
  items: readonly EvalItem[],
  run: RemoteCheckRun,
  signal?: AbortSignal,
): Promise<HybridBenchRemote> {
  const runner = await RemoteRunner.connect(remote.url);
  try {
    const denoiser = new Denoiser(runner);
    const localCallMs: number[] = [];
    let identical = true;
    for (const item of items) {
      throwIfCancelled(signal);
      const params = { prompt: item.prompt, negativePrompt: '', steps: run.steps, cfg: run.cfg, seed: item.seed, scheduler: run.scheduler };
      const split = { small: run.small, largeSteps: remote.largeSteps, order: remote.order };
      const local = await txt2img(run.large, { ...params, hybrid: split });
      const onServer = await txt2img(run.large, { ...params, hybrid: { ...split, largeDenoiser: denoiser } });
      identical &&= equalBytes(local.rgb, onServer.rgb);
      if (remote.largeSteps > 0) localCallMs.push((local.hybrid?.modelMsByKey.get(LARGE) ?? 0) / remote.largeSteps);
    }
    const s = runner.stats();
    const latencyMedianMs = quantile(s.latencyMs, 0.5);
    const localCallMedianMs = quantile(localCallMs, 0.5);
    const reported = s.serverComputeMs.length === s.latencyMs.length && s.latencyMs.length > 0;
    const overheads = reported ? s.latencyMs.map((ms, i) => ms - (s.serverComputeMs[i] as number)) : [latencyMedianMs - localCallMedianMs];
    return {
      endpoint: runner.endpoint,
      images: items.length,
      identicalPixels: identical,
      order: remote.order,
      largeSteps: remote.largeSteps,
      calls: s.calls,
      bytesSentPerCall: s.calls > 0 ? s.bytesSent / s.calls : 0,
      bytesReceivedPerCall: s.calls > 0 ? s.bytesReceived / s.calls : 0,
      latencyMedianMs,
      latencyP95Ms: quantile(s.latencyMs, 0.95),
      localCallMedianMs,
      serverComputeMedianMs: reported ? quantile(s.serverComputeMs, 0.5) : null,
      overheadMedianMs: quantile(overheads, 0.5),
    };
  } finally {
    await runner.dispose();
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
