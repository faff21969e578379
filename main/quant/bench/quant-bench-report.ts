/**
 * The `studio bench quant` report: one row per setting (fp32, the quantized denoiser with each
 * compensation, and the stacked quantized + TCEC + ERTACache row), each over the same prompts
 * and seeds, against the fp32 uncached image of the same prompt and seed.
 *
 *   msPerCall       median over prompts of (time inside denoiser calls / model calls), ms
 *   callSpeedup     fp32's msPerCall / this row's
 *   denoiseMs       median denoising wall time (sampler, hooks and model), ms
 *   denoiseSpeedup  fp32's denoiseMs / this row's (the stacked row's target)
 *   psnr, ssim      means over prompts (identical images count as PSNR_CAP_DB)
 *   top5            prompt accuracy through the evaluation classifier (labelled prompts only)
 *   overheadPct     median of compensation hook time / model time, %
 */
import { medianAndMean } from '../../../core/eval/timing-stats';
import { psnr } from '../../../core/metrics/psnr';
import { ssim } from '../../../core/metrics/ssim';
import type { QuantizeResult } from '../../../contract/quant';

export const PSNR_CAP_DB = 100;

export interface QuantBenchSample {
  rgb: Uint8Array;
  modelMs: number;
  denoiseMs: number;
  modelCalls: number;
  compensationMs: number;
}

export interface QuantBenchRow {
  name: string;
  precision: 'fp32' | 'w8a8' | 'w4a8';
  compensation: 'none' | 'ptqd' | 'tcec';
  strength: number;
  cache: string | null;
  msPerCall: number;
  callSpeedup: number;
  denoiseMs: number;
  denoiseSpeedup: number;
  modelCalls: number;
  psnr: number;
  ssim: number;
  top5: number | null;
  top1: number | null;
  overheadPct: number;
}

export interface QuantBenchReport {
  model: string;
  steps: number;
  cfg: number;
  scheduler: string;
  provider: string;
  prompts: { calibration: string[]; benchmark: string[]; labelled: number };
  seeds: { benchmark: number; calibration: number };
  weights: { fp32Bytes: number; quantizedBytes: number; ratio: number };
  quantize: (Omit<QuantizeResult, 'ops'> & { quantizedOps: number })[];
  machine: { cpus: number; cpuModel: string; node: string };
  protocol: { warmupRuns: number; order: string; psnrCapDb: number };
  rows: QuantBenchRow[];
  targets: { name: string; target: string; measured: string; met: boolean }[];
  createdAt: string;
  elapsedS: number;
}

export type RowSpec = Pick<QuantBenchRow, 'name' | 'precision' | 'compensation' | 'strength' | 'cache'>;

/** Row statistics from its samples and the fp32 reference samples (same prompt order). */
export function summarizeRow(spec: RowSpec, samples: readonly QuantBenchSample[], reference: readonly QuantBenchSample[], size: { width: number; height: number }, accuracy: { top1: number | null; top5: number | null }): QuantBenchRow {
  const perCall = (s: readonly QuantBenchSample[]) => medianAndMean(s.map((x) => x.modelMs / x.modelCalls)).median;
  const denoise = (s: readonly QuantBenchSample[]) => medianAndMean(s.map((x) => x.denoiseMs)).median;
  const quality = samples.map((s, i) => {
    const ref = (reference[i] as QuantBenchSample).rgb;
    const p = Math.min(PSNR_CAP_DB, psnr(ref, s.rgb));
    const q = ssim({ data: ref, width: size.width, height: size.height, channels: 3 }, { data: s.rgb, width: size.width, height: size.height, channels: 3 });
    return { p: Number.isFinite(p) ? p : PSNR_CAP_DB, q };
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  return {
    ...spec,
    msPerCall: perCall(samples),
    callSpeedup: perCall(reference) / perCall(samples),
    denoiseMs: denoise(samples),
    denoiseSpeedup: denoise(reference) / denoise(samples),
    modelCalls: mean(samples.map((s) => s.modelCalls)),
    psnr: mean(quality.map((x) => x.p)),
    ssim: mean(quality.map((x) => x.q)),
    top1: accuracy.top1,
    top5: accuracy.top5,
    overheadPct: 100 * medianAndMean(samples.map((s) => (s.modelMs > 0 ? s.compensationMs / s.modelMs : 0))).median,
  };
}

/** The task's targets, each with what was measured and whether it is met. */
export function quantTargets(rows: readonly QuantBenchRow[], weightRatio: number): QuantBenchReport['targets'] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const fp32 = row('fp32');
  const none = row('w8a8');
  const tcec = row('w8a8 + tcec');
  const out: QuantBenchReport['targets'] = [];
  if (none) out.push({ name: 'W8A8 denoiser speed per call', target: '≥ 1.5×', measured: `${none.callSpeedup.toFixed(2)}×`, met: none.callSpeedup >= 1.5 });
  out.push({ name: 'W8A8 weights smaller', target: '≥ 3.5×', measured: `${weightRatio.toFixed(2)}×`, met: weightRatio >= 3.5 });
  const aggressive = row('w4a8') ?? none;
  const aggressiveTcec = aggressive && row(`${aggressive.name} + tcec`);
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} dB`;
  if (aggressive && aggressiveTcec) out.push({ name: `TCEC PSNR over no compensation (${aggressive.name}, the most aggressive)`, target: '≥ +1.0 dB', measured: signed(aggressiveTcec.psnr - aggressive.psnr), met: aggressiveTcec.psnr - aggressive.psnr >= 1 });
  for (const p of ['w8a8', 'w4a8']) {
    const t = row(`${p} + tcec`);
    const q = row(`${p} + ptqd`);
    if (t && q) out.push({ name: `TCEC ≥ PTQD (${p}, PSNR)`, target: '≥ 0 dB', measured: signed(t.psnr - q.psnr), met: t.psnr >= q.psnr });
  }
  if (tcec && fp32 && tcec.top5 !== null && fp32.top5 !== null) {
    const gap = 100 * (fp32.top5 - tcec.top5);
    out.push({ name: 'W8A8 + TCEC top-5 accuracy vs fp32', target: 'within 2 points', measured: `${gap >= 0 ? '−' : '+'}${Math.abs(gap).toFixed(1)} points`, met: gap <= 2 });
  }
  for (const stacked of rows.filter((r) => r.cache !== null && r.precision !== 'fp32')) {
    out.push({ name: `stacked (${stacked.name}) vs fp32 uncached: denoising speed-up at PSNR`, target: '≥ 3× at ≥ 30 dB', measured: `${stacked.denoiseSpeedup.toFixed(2)}× at ${stacked.psnr.toFixed(2)} dB`, met: stacked.denoiseSpeedup >= 3 && stacked.psnr >= 30 });
  }
  return out;
}
