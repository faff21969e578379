/** The benchmark's row statistics and target checks, on synthetic samples. */
import { describe, expect, test } from 'vitest';
import { quantTargets, type QuantBenchSample, summarizeRow } from '../../../main/quant/bench/quant-bench-report';

const size = { width: 16, height: 16 };
const image = (f: (i: number) => number) => Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => f(i));
const sample = (rgb: Uint8Array, modelMs: number, calls = 10, compensationMs = 0): QuantBenchSample => ({ rgb, modelMs, denoiseMs: modelMs + 1, modelCalls: calls, compensationMs });

describe('quant bench report', () => {
  test('speed-ups are ratios of medians; identical images score the PSNR cap; overhead is hook time over model time', () => {
    const ref = [sample(image((i) => i % 200), 40), sample(image((i) => (i * 7) % 250), 60), sample(image((i) => (i * 3) % 90), 50)];
    const same = summarizeRow({ name: 'fp32', precision: 'fp32', compensation: 'none', strength: 0, cache: null }, ref, ref, size, { top1: 0.5, top5: 1 });
    expect(same.psnr).toBe(100);
    expect(same.callSpeedup).toBe(1);
    const faster = ref.map((s) => sample(Uint8Array.from(s.rgb, (v, i) => (i % 5 === 0 ? Math.min(255, v + 4) : v)), s.modelMs / 2, 10, s.modelMs / 200));
    const row = summarizeRow({ name: 'w8a8 + tcec', precision: 'w8a8', compensation: 'tcec', strength: 1, cache: null }, faster, ref, size, { top1: null, top5: null });
    expect(row.msPerCall).toBeCloseTo(2.5, 9);
    expect(row.callSpeedup).toBeCloseTo(2, 9);
    expect(row.overheadPct).toBeCloseTo(1, 9);
    // MSE = 16/5 per pixel value → PSNR = 10·log10(255² / 3.2).
    expect(row.psnr).toBeCloseTo(10 * Math.log10((255 * 255) / 3.2), 1);
    expect(row.ssim).toBeLessThan(1);
  });

  test('targets say met or missed with the measured value', () => {
    const base = { compensation: 'none' as const, strength: 0, cache: null, msPerCall: 1, denoiseMs: 1, modelCalls: 50, ssim: 1, top1: 0.5, overheadPct: 0 };
    const targets = quantTargets(
      [
        { ...base, name: 'fp32', precision: 'fp32', callSpeedup: 1, denoiseSpeedup: 1, psnr: 100, top5: 0.8 },
        { ...base, name: 'w8a8', precision: 'w8a8', callSpeedup: 1.6, denoiseSpeedup: 1.6, psnr: 30, top5: 0.8 },
        { ...base, name: 'w8a8 + ptqd', precision: 'w8a8', compensation: 'ptqd', callSpeedup: 1.6, denoiseSpeedup: 1.6, psnr: 30.5, top5: 0.8 },
        { ...base, name: 'w8a8 + tcec', precision: 'w8a8', compensation: 'tcec', callSpeedup: 1.6, denoiseSpeedup: 1.6, psnr: 30.2, top5: 0.75 },
      ],
      3.75,
    );
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['W8A8 denoiser speed per call', true],
      ['W8A8 weights smaller', true],
      ['TCEC PSNR over no compensation (w8a8, the most aggressive)', false],
      ['TCEC ≥ PTQD (w8a8, PSNR)', false],
      ['W8A8 + TCEC top-5 accuracy vs fp32', false],
    ]);
    expect(targets[4]?.measured).toBe('−5.0 points');
  });
});
