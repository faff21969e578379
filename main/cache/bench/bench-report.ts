/**
 * From the benchmark's raw measurements to its JSON rows, summary and printed table.
 *
 * Per setting (medians and means over the benchmark prompts, each prompt with the same seed for
 * every setting):
 *   nfe          denoiser calls per image (a batched CFG call counts once), mean over prompts
 *   speedup      median uncached denoise-loop ms / median denoise-loop ms of this setting
 *   psnr, ssim   means of the per-prompt PSNR (dB, RGB8, identical images counted as PSNR_CAP_DB)
 *                and SSIM (luminance) against the uncached image of the same prompt and seed
 *   model_ms     median ms per image inside denoiser runs
 *   denoise_ms   median ms per image of the whole denoise loop (model + sampler + cache work)
 *   total_ms     median ms per image, text encoding to decoded pixels
 *   overhead_pct median over images of (denoise − model) / model × 100: what the loop and the
 *                cache's own work (residuals, probe, decisions) cost on top of the model
 */
import type { CacheConfig } from '../../../contract/cache';
import type { BenchRun, BenchSummary, MatchedNfe } from '../../../contract/cache-bench';
import { medianAndMean } from '../../../core/eval/timing-stats';
import { psnr } from '../../../core/metrics/psnr';
import { ssim } from '../../../core/metrics/ssim';
import { knobValue } from '../cache-knobs';

/** PSNR of identical images is infinite; it is counted as this many dB so means stay finite. */
export const PSNR_CAP_DB = 100;

/** One image of one setting. */
export interface BenchSample {
  rgb: Uint8Array;
  denoiseMs: number;
  modelMs: number;
  totalMs: number;
  modelCalls: number;
}

export type { BenchRun, BenchSummary, MatchedNfe };

const median = (values: number[]): number => medianAndMean(values).median;
const mean = (values: number[]): number => medianAndMean(values).mean;

function quality(a: Uint8Array, ref: Uint8Array, width: number, height: number): { psnr: number; ssim: number } {
  return {
    psnr: Math.min(PSNR_CAP_DB, psnr(a, ref)),
    ssim: ssim({ data: a, width, height, channels: 3 }, { data: ref, width, height, channels: 3 }),
  };
}

/**
 * @param samples per setting, per prompt (same prompt order as `reference`)
 * @param reference the uncached images, per prompt
 * @returns the reference row first, then one row per setting
 */
export function benchRuns(
  configs: readonly { config: CacheConfig; predicted: BenchRun['predicted']; variant?: string }[],
  samples: readonly (readonly BenchSample[])[],
  reference: readonly BenchSample[],
  size: { width: number; height: number },
): BenchRun[] {
  const refDenoise = median(reference.map((s) => s.denoiseMs));
  const row = (config: CacheConfig, predicted: BenchRun['predicted'], list: readonly BenchSample[], variant: string | null): BenchRun => {
    const q = list.map((s, i) => quality(s.rgb, (reference[i] as BenchSample).rgb, size.width, size.height));
    return {
      method: config.method,
      params: config,
      variant,
      knob: knobValue(config),
      nfe: mean(list.map((s) => s.modelCalls)),
      speedup: refDenoise / median(list.map((s) => s.denoiseMs)),
      psnr: mean(q.map((x) => x.psnr)),
      ssim: mean(q.map((x) => x.ssim)),
      model_ms: median(list.map((s) => s.modelMs)),
      denoise_ms: median(list.map((s) => s.denoiseMs)),
      total_ms: median(list.map((s) => s.totalMs)),
      overhead_pct: median(list.map((s) => ((s.denoiseMs - s.modelMs) / s.modelMs) * 100)),
      predicted,
    };
  };
  return [row({ method: 'none' }, null, reference, null), ...configs.map((c, i) => row(c.config, c.predicted, samples[i] ?? [], c.variant ?? null))];
}

/** Matched-NFE and Pareto summaries compare the methods as shipped: ablation rows are left out. */
export function benchSummary(all: readonly BenchRun[]): BenchSummary {
  const runs = all.filter((r) => r.variant === null);
  const budgets = [...new Set(runs.filter((r) => r.method === 'fora').map((r) => r.nfe))].sort((a, b) => b - a);
  const methods = [...new Set(runs.map((r) => r.method).filter((m) => m !== 'none'))];
  const matchedNfe = budgets.map((nfe) => ({
    nfe,
    best: Object.fromEntries(methods.map((m) => {
      const fit = runs.filter((r) => r.method === m && r.nfe <= nfe * 1.1).sort((a, b) => b.psnr - a.psnr)[0];
      return [m, fit === undefined ? null : { params: fit.params, nfe: fit.nfe, speedup: fit.speedup, psnr: fit.psnr, ssim: fit.ssim }];
    })),
  }));
  const pareto = runs
    .filter((r) => r.method !== 'none' && !runs.some((o) => o !== r && o.method !== 'none' && o.speedup >= r.speedup && o.psnr >= r.psnr && (o.speedup > r.speedup || o.psnr > r.psnr)))
    .sort((a, b) => a.speedup - b.speedup)
    .map((r) => ({ method: r.method, params: r.params, speedup: r.speedup, psnr: r.psnr }));
  return { matchedNfe, pareto };
}

/** A fixed-width table for stdout, one line per row. */
export function formatBenchTable(runs: readonly BenchRun[]): string {
  const head = ['method', 'knob', 'nfe', 'speedup', 'psnr dB', 'ssim', 'model ms', 'total ms', 'overhead'];
  const lines = runs.map((r) => [
    r.variant === null ? r.method : `${r.method} (${r.variant})`,
    r.knob === null ? '-' : String(r.knob),
    r.nfe.toFixed(1),
    `${r.speedup.toFixed(2)}x`,
    r.psnr >= PSNR_CAP_DB ? 'identical' : r.psnr.toFixed(2),
    r.ssim.toFixed(4),
    r.model_ms.toFixed(1),
    r.total_ms.toFixed(1),
    `${r.overhead_pct.toFixed(1)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}
