/**
 * The report of `studio bench hybrid` (JSON): a K sweep of a large/small pair in both orders on
 * the evaluation captions, every point on the same seeds, measured against the large-only image.
 */
import type { ProviderChoice, SchedulerName } from './api';

export interface HybridBenchPoint {
  order: 'large-first' | 'small-first';
  /** Steps on the large model (K of N). */
  largeSteps: number;
  /** 1 − K/N: the large-model compute this point saves against large-only. */
  largeComputeSaved: number;
  /** MACs per image on each model (CFG batch included), null where a model's MACs are unknown. */
  largeMacs: number | null;
  smallMacs: number | null;
  /** Median wall time of the denoising loop, ms. */
  denoiseMsMedian: number;
  /** Means against the large-only image of the same prompt and seed. */
  psnr: number;
  ssim: number;
  /** Prompt accuracy through the evaluation classifier, and the Fréchet distance to real images. */
  top1: number;
  top5: number;
  frechet: number | null;
}

export interface HybridBenchRemote {
  endpoint: string;
  /** Hybrid images made through the server, and whether each equals the in-process image. */
  images: number;
  identicalPixels: boolean;
  order: 'large-first' | 'small-first';
  largeSteps: number;
  calls: number;
  bytesSentPerCall: number;
  bytesReceivedPerCall: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  /** Median time of the same large-model call in process, ms. */
  localCallMedianMs: number;
  /** Median time inside the model on the server, as it reports it (null when it does not). */
  serverComputeMedianMs: number | null;
  /**
   * Median per-call cost of going through the server: latency − the server's own compute time
   * (so the protocol, copies and scheduling, not the model); latency − the in-process time when
   * the server does not report its compute time.
   */
  overheadMedianMs: number;
}

export interface HybridBenchReport {
  large: { id: string; hash: string; macsPerCall: number | null };
  small: { id: string; hash: string; macsPerCall: number | null };
  provider: string;
  scheduler: string;
  steps: number;
  cfg: number;
  n: number;
  seedBase: number;
  evalDir: string;
  classifierOnReal: { top1: number; top5: number };
  points: HybridBenchPoint[];
  remote?: HybridBenchRemote;
  createdAt: string;
}

/** A hybrid benchmark run as a job of the studio's queue (`bench.start`). */
export interface HybridBenchRequest {
  kind: 'hybrid';
  large: string;
  small: string;
  steps: number;
  cfg: number;
  /** Evaluation captions, evenly spaced. */
  n: number;
  /** Caption i uses seed seedBase + i. */
  seedBase: number;
  /** Large-model step counts to sweep, each in 0..steps. */
  largeSteps: number[];
  provider: ProviderChoice;
  scheduler: SchedulerName;
}

/** A stored benchmark report (migration 0006). */
export interface BenchRecord {
  id: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  kind: 'hybrid';
  report: HybridBenchReport;
}
