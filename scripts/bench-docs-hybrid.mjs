/**
 * The hybrid-inference part of the generated benchmark docs: one section per `hybrid-*.json`
 * report of `studio bench hybrid`, and one summary sentence for the README. Pure functions of
 * the parsed reports, used by scripts/bench-docs.mjs.
 */

const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);
const pct = (x) => `${(100 * x).toFixed(0)}%`;
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const mmacs = (m) => (m === null ? 'unknown' : `${(m / 1e6).toFixed(2)} M`);
const macsText = (m) => `${mmacs(m)} MACs`;

/** The large-only point (K = N) of a report. */
export function largeOnly(report) {
  return report.points.find((p) => p.largeSteps === report.steps);
}

/**
 * The split that saves the most large-model compute while its top-5 accuracy stays within
 * `points` (0.02 = 2 points) of large-only's, or undefined when none does.
 */
export function bestWithin(report, points = 0.02) {
  const ref = largeOnly(report);
  return report.points
    .filter((p) => p.largeSteps < report.steps && p.largeSteps > 0 && ref.top5 - p.top5 <= points + 1e-12)
    .sort((a, b) => b.largeComputeSaved - a.largeComputeSaved || b.top5 - a.top5)[0];
}

/** The split with the best top-5 among those saving at least `saved` of the large model's compute (small-only excluded). */
export function bestAtLeast(report, saved) {
  return report.points.filter((p) => p.largeComputeSaved >= saved - 1e-12 && p.largeSteps > 0).sort((a, b) => b.top5 - a.top5 || b.largeComputeSaved - a.largeComputeSaved)[0];
}

export function hybridSection(hybrids) {
  const parts = ['## Hybrid inference (`studio bench hybrid`)', ''];
  for (const { file, report: r } of hybrids) {
    const ref = largeOnly(r);
    parts.push(
      `\`${r.large.id}\` (sha256 \`${r.large.hash.slice(0, 8)}…\`, ${macsText(r.large.macsPerCall)} per call) for K of ${r.steps} steps and \`${r.small.id}\` (\`${r.small.hash.slice(0, 8)}…\`, ${macsText(r.small.macsPerCall)}) for the rest, cfg ${r.cfg}, ${r.n} held-out evaluation captions, seeds ${r.seedBase}+, one scheduler for the whole run ([${file}](${file})). K = ${r.steps} is large-only; PSNR and SSIM compare with its image. Large-first is Hybrid SD's order, small-first T-Stitch's. Denoise time is the median of the sampling loop on ${r.provider}, with every split interleaved per caption.`,
      '',
      table(
        ['order', 'K', 'large compute saved', 'denoise ms', 'PSNR dB', 'SSIM', 'top-1', 'top-5', 'Fréchet'],
        r.points.map((p) => [p.largeSteps === r.steps ? 'large only' : p.largeSteps === 0 ? 'small only' : p.order, String(p.largeSteps), pct(p.largeComputeSaved), p.denoiseMsMedian.toFixed(0), p.largeSteps === r.steps ? '–' : f2(p.psnr), f3(p.ssim), f3(p.top1), f3(p.top5), p.frechet === null ? '–' : p.frechet.toFixed(1)]),
      ),
      '',
      `The evaluation classifier scores ${f3(r.classifierOnReal.top1)} / ${f3(r.classifierOnReal.top5)} (top-1 / top-5) on the real images. With ${r.n} captions one standard error of a top-5 near ${f3(ref.top5)} is about ${f3(Math.sqrt((ref.top5 * (1 - ref.top5)) / r.n))}.`,
    );
    const best = bestWithin(r);
    const at60 = bestAtLeast(r, 0.6);
    const within =
      best === undefined
        ? `No split keeps top-5 within 2 points of large-only (${f3(ref.top5)}).`
        : `The most large-model compute saved with top-5 within 2 points of large-only (${f3(ref.top5)}): ${pct(best.largeComputeSaved)} (${best.order}, K = ${best.largeSteps}, top-5 ${f3(best.top5)}).`;
    const sixty = at60 === undefined ? '' : ` At 60% or more saved the best split is ${at60.order} K = ${at60.largeSteps}: top-5 ${f3(at60.top5)}, ${f2((ref.top5 - at60.top5) * 100)} points below large-only.`;
    parts.push('', within + sixty);
    if (r.remote) {
      const x = r.remote;
      parts.push(
        '',
        `**Through \`studio serve-model\` on 127.0.0.1** (a separate process, ${x.order} K = ${x.largeSteps}, ${x.images} captions): pixels ${x.identicalPixels ? 'identical to' : 'DIFFERENT from'} the in-process run; ${x.calls} calls of ${(x.bytesSentPerCall / 1024).toFixed(1)} KiB sent and ${(x.bytesReceivedPerCall / 1024).toFixed(1)} KiB received; latency median ${f2(x.latencyMedianMs)} ms (p95 ${f2(x.latencyP95Ms)} ms), of which ${x.serverComputeMedianMs === null ? `the same call takes ${f2(x.localCallMedianMs)} ms in process` : `the server reports ${f2(x.serverComputeMedianMs)} ms inside the model (${f2(x.localCallMedianMs)} ms in process)`}: ${f2(x.overheadMedianMs)} ms per call (median) of protocol, copies and scheduling on this 2-core machine.`,
      );
    }
  }
  return parts.join('\n');
}

/** One sentence for the README summary, from the first hybrid report. */
export function hybridSummary(hybrids) {
  const r = hybrids[0]?.report;
  if (r === undefined) return undefined;
  const ref = largeOnly(r);
  const at60 = bestAtLeast(r, 0.6);
  const best = bestWithin(r);
  const pieces = [`Hybrid inference (\`${r.large.id}\` for K of ${r.steps} steps, \`${r.small.id}\` for the rest): large-only top-5 ${f3(ref.top5)}`];
  if (at60) pieces.push(`the best split saving ≥ 60% of the large model's compute, ${at60.order} K = ${at60.largeSteps} (${pct(at60.largeComputeSaved)} saved), ${f3(at60.top5)}`);
  pieces.push(best === undefined ? 'no split within 2 points of it' : `within 2 points of it down to ${pct(best.largeComputeSaved)} saved (${best.order}, K = ${best.largeSteps})`);
  return `${pieces.join('; ')}.`;
}
