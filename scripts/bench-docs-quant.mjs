/**
 * The quantization part of the generated benchmark docs: one section per `quant-*.json` report of
 * `studio bench quant`, and one summary sentence for the README. Pure functions of the parsed
 * reports, used by scripts/bench-docs.mjs.
 */

const f2 = (x) => x.toFixed(2);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

export function quantSection(quants) {
  const parts = ['## Quantization (`studio bench quant`)', ''];
  for (const { file, report: r } of quants) {
    parts.push(
      `\`${r.model}\`, ${r.steps} steps, cfg ${r.cfg}, ${r.prompts.benchmark.length} benchmark prompts (seeds ${r.seeds.benchmark}+), tables fitted on ${r.prompts.calibration.length} disjoint calibration prompts (seeds ${r.seeds.calibration}+), onnxruntime ${r.provider} on ${r.machine.cpus} cores ([${file}](${file})). Every row runs every prompt on the same seed, rows interleaved per prompt after ${r.protocol.warmupRuns} warm-up runs. PSNR and SSIM compare with the fp32 uncached image; top-5 is prompt accuracy through the evaluation classifier; overhead is the compensation's share of model time.`,
      '',
      table(
        ['setting', 'ms / call', 'call speed-up', 'model calls', 'denoise speed-up', 'PSNR dB', 'SSIM', 'top-5', 'overhead'],
        r.rows.map((x) => [x.name, f2(x.msPerCall), `${f2(x.callSpeedup)}×`, String(x.modelCalls), `${f2(x.denoiseSpeedup)}×`, x.psnr >= 100 ? '–' : f2(x.psnr), x.ssim.toFixed(4), x.top5.toFixed(3), x.overheadPct === 0 ? '–' : `${x.overheadPct.toFixed(2)}%`]),
      ),
      '',
      `Weights: ${r.quantize.map((q) => `${q.precision} ${mb(q.weightBytes.quantized)}`).join(', ')} against ${mb(r.weights.fp32Bytes)} in fp32 (${f2(r.weights.ratio)}× smaller for ${r.quantize[0].precision}).`,
      '',
      table(['target', 'wanted', 'measured', 'met'], r.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : '**no**'])),
    );
  }
  return parts.join('\n');
}

/** One sentence for the README summary, from the first quantization report. */
export function quantSummary(quants) {
  const r = quants[0]?.report;
  if (r === undefined) return undefined;
  const w8 = r.rows.find((x) => x.precision === 'w8a8' && x.compensation === 'none' && x.cache === null);
  const stacked = r.rows.filter((x) => x.precision !== 'fp32' && x.cache !== null && x.psnr >= 30).sort((a, b) => b.denoiseSpeedup - a.denoiseSpeedup)[0];
  const pieces = [`Quantization on \`${r.model}\`: W8A8 weights ${f2(r.weights.ratio)}× smaller, ${f2(w8.callSpeedup)}× faster per call at ${f2(w8.psnr)} dB PSNR against fp32`];
  if (stacked) pieces.push(`stacked with its compensation and ERTACache, ${f2(stacked.denoiseSpeedup)}× faster denoising at ${f2(stacked.psnr)} dB (${stacked.name})`);
  return `${pieces.join('; ')}.`;
}

