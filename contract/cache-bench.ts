/**
 * The report of the cache benchmark (`studio bench cache`, and `bench.start` with kind 'cache'):
 * every caching method against the uncached sampler on the same prompts and seeds. The back end
 * writes it (main/cache/bench/), stores it as a benchmark report, and the app charts it.
 *
 * Pure TypeScript, like contract/api.ts.
 */
import type { ProviderChoice, SchedulerName } from './api';
import type { CacheConfig } from './cache';

/** One setting's row, means and medians over the benchmark prompts (main/cache/bench/bench-report.ts). */
export interface BenchRun {
  method: CacheConfig['method'];
  params: CacheConfig;
  /** Ablation rows (--ablation): which ERTACache components the row keeps; null for the sweep's own rows. */
  variant: string | null;
  /** The swept knob's value (fora interval, threshold, λ); null for the uncached reference. */
  knob: number | null;
  /** Denoiser calls per image (a batched CFG call counts once), mean over prompts. */
  nfe: number;
  /** Median uncached denoise-loop ms / median denoise-loop ms of this setting. */
  speedup: number;
  /** Mean PSNR (dB, RGB8) and SSIM against the uncached image of the same prompt and seed. */
  psnr: number;
  ssim: number;
  model_ms: number;
  denoise_ms: number;
  total_ms: number;
  overhead_pct: number;
  /** What planSchedule predicted from the profile (model calls, speedup in calls); null for the reference. */
  predicted: { nfe: number; speedup: number } | null;
}

export interface MatchedNfe {
  /** FORA's NFE at one interval: the budget every method is held to. */
  nfe: number;
  /** Per method: its best-PSNR setting with nfe ≤ 1.1 × budget, or null when it has none that cheap. */
  best: Record<string, Pick<BenchRun, 'params' | 'nfe' | 'speedup' | 'psnr' | 'ssim'> | null>;
}

export interface BenchSummary {
  matchedNfe: MatchedNfe[];
  /** Settings no other setting beats in both speedup and PSNR, by increasing speedup. */
  pareto: Pick<BenchRun, 'method' | 'params' | 'speedup' | 'psnr'>[];
}

export interface CacheBenchReport {
  model: string;
  modelHash: string;
  provider: string;
  scheduler: string;
  steps: number;
  cfg: number;
  /** A video model's frames per clip (PSNR and SSIM over all of them); absent for stills. */
  frames?: number;
  prompts: { calibration: string[]; benchmark: string[] };
  seeds: { benchmark: number; calibration: number };
  profile: { source: 'recorded' | 'reused'; id: number; sha256: string; prompts: number; createdAt: string; note: string };
  machine: { cpus: number; cpuModel: string; node: string; platform: string; arch: string };
  protocol: {
    warmupRuns: number;
    order: string;
    /** Whether the scheduler allows ERTACache's time adjustment (Euler-type σ grid). */
    ertacacheTimeAdjustmentAvailable: boolean;
    psnrCapDb: number;
  };
  runs: BenchRun[];
  summary: BenchSummary;
  createdAt: string;
  elapsedS: number;
}

/** The cache benchmark as a job of the studio's queue (`bench.start`), on the built-in prompts. */
export interface CacheBenchRequest {
  kind: 'cache';
  model: string;
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  provider: ProviderChoice;
  /** The first n built-in benchmark prompts; prompt i uses seed + i. */
  n: number;
  /** Built-in calibration prompts for the profile, when no matching profile is stored. */
  calibrationN: number;
  /** Knob values per adaptive method. */
  thresholdsPerMethod: number;
  seed: number;
}

/** A stored cache benchmark report (bench_reports, kind 'cache'). */
export interface CacheBenchRecord {
  id: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  kind: 'cache';
  report: CacheBenchReport;
}
