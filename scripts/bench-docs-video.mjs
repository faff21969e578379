/**
 * The video part of the generated benchmark docs: the motion evaluation (`video-eval-*.json`,
 * `studio eval` on a video model) and step caching on clips (`video-cache-*.json`, `studio bench
 * cache --frames F`), each checked against its targets, plus one summary sentence for the README.
 * Pure functions of the parsed reports, used by scripts/bench-docs.mjs.
 */

const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);
const pct = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const calls = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const NAMES = { none: 'none', fora: 'FORA', teacache: 'TeaCache', magcache: 'MagCache', easycache: 'EasyCache', ertacache: 'ERTACache' };
const KNOBS = { fora: 'interval', teacache: 'δ', magcache: 'δ', easycache: 'τ', ertacache: 'λ' };
const SETS = [['held-out emoji', 'held-out emoji'], ['held-out pair', 'held-out pairs'], ['overall', 'both']];
/** A peer counts at ERTACache's model calls when it used at most this many more on average (as for stills). */
const SLACK = 0.8;

/** Where a real-vs-real floor is above the generated distance, the figure is mostly sample-size bias: say so. */
function floorNote(r) {
  const above = SETS.filter(([key]) => r.sets[key].frechet.floor !== null && r.sets[key].frechet.generated !== null && r.sets[key].frechet.floor > r.sets[key].frechet.generated);
  if (above.length === 0) return [];
  return ['', `For ${above.map(([, name]) => name).join(' and ')} the real-vs-real floor is above the generated clips' distance: with this few clips per set against the motion classifier's 128 feature dimensions the distance is dominated by sample-size bias, which grows with a sample's spread, and the real clips are more varied than the generated ones. Read those Fréchet figures as uninformative.`];
}

function evalSection({ file, report: r }) {
  const s = r.sets;
  const col = (f) => SETS.map(([key]) => f(s[key]));
  // The image model's stills are measured in the same run; its hash says which version drew them.
  const image = r.imageModel ? `\`${r.imageModel.model}\` (\`${r.imageModel.modelHash.slice(0, 8)}…\`)` : 'image model';
  return [
    `\`${r.model}\` (sha256 \`${r.modelHash.slice(0, 8)}…\`), ${r.n} held-out prompts (seeds ${r.seeds.base}..${r.seeds.base + r.n - 1}), ${r.frames} frames, ${r.steps} steps, cfg ${r.cfg}, ${r.scheduler}, onnxruntime ${r.provider}${r.cache ? `, cached with ${NAMES[r.cache.config.method] ?? r.cache.config.method}${r.cache.config.lambda === undefined ? '' : ` λ ${r.cache.config.lambda}`} (${calls(Math.round(r.cache.modelCallsPerClip * 10) / 10)} model calls per clip)` : ''} ([${file}](${file})). Held-out emoji were never trained on; held-out pairs are trained emoji with a motion they were never trained with. Per-frame accuracy is the subcategory classifier on every frame, beside ${image} making one still per clip from the emoji's name (same seed); identity is the share of a clip's frames on its majority class; the motion ceiling is the motion classifier on real held-out clips; the Fréchet floor compares as many real clips with the other half of the real ones.`,
    '',
    table(['', ...SETS.map(([, name]) => name)], [
      ['clips', ...col((f) => String(f.clips))],
      ['per-frame top-1 / top-5', ...col((f) => `${pct(f.perFrame.top1)} / ${pct(f.perFrame.top5)}`)],
      [`${image} top-5`, ...col((f) => pct(f.imageModel?.top5))],
      ['identity', ...col((f) => pct(f.perFrame.identity))],
      ['motion top-1 (ceiling)', ...col((f) => `${pct(f.motion.top1)} (${pct(f.ceiling.top1)})`)],
      ['motion top-5 (ceiling)', ...col((f) => `${pct(f.motion.top5)} (${pct(f.ceiling.top5)})`)],
      ['Fréchet (real-vs-real floor)', ...col((f) => (f.frechet.generated === null ? '–' : `${f2(f.frechet.generated)} (${f.frechet.floor === null ? '–' : f2(f.frechet.floor)})`))],
      ['SSIM of consecutive frames', ...col((f) => (f.consistency ? f3(f.consistency.ssim) : '–'))],
      ['mean abs(Δx) / abs(Δ²x)', ...col((f) => (f.consistency ? `${f3(f.consistency.step)} / ${f3(f.consistency.accel)}` : '–'))],
      ['s / clip (median)', ...col((f) => (f.secondsPerClip ? f2(f.secondsPerClip.median) : '–'))],
    ]),
    '',
    `Motion top-1 per motion: ${r.perMotion.map((m) => `${m.motion} ${pct(m.top1)}`).join(', ')}.`,
    ...floorNote(r),
  ].join('\n');
}

const sweep = (r) => r.runs.filter((x) => x.variant === null && x.method !== 'none');

/** ERTACache against the best other method at each of its model-call counts (as for stills). */
export function videoMatched(r) {
  const runs = sweep(r);
  return runs
    .filter((x) => x.method === 'ertacache')
    .sort((a, b) => b.nfe - a.nfe)
    .map((erta) => ({ erta, peer: runs.filter((x) => x.method !== 'ertacache' && x.nfe <= erta.nfe + SLACK).sort((a, b) => b.psnr - a.psnr)[0] }));
}

/** The fastest ERTACache setting at ≥ 30 dB, or undefined. */
export function ertaAt30(r) {
  return sweep(r).filter((x) => x.method === 'ertacache' && x.psnr >= 30).sort((a, b) => b.speedup - a.speedup)[0];
}

function cacheSection({ file, report: r }) {
  const none = r.runs.find((x) => x.method === 'none');
  const order = Object.keys(NAMES);
  const rows = sweep(r)
    .sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method) || b.nfe - a.nfe)
    .map((x) => [NAMES[x.method] ?? x.method, x.knob === null ? '–' : `${KNOBS[x.method] ?? 'knob'} ${x.knob}`, calls(Math.round(x.nfe * 10) / 10), `${f2(x.speedup)}×`, f2(x.psnr), x.ssim.toFixed(4), f2(x.total_ms / 1000)]);
  rows.unshift(['none', '–', String(none.nfe), '1.00×', '–', '1.0000', f2(none.total_ms / 1000)]);
  const matched = videoMatched(r);
  const wins = matched.filter((p) => p.peer === undefined || p.erta.psnr >= p.peer.psnr).length;
  const best = ertaAt30(r);
  const m = r.machine;
  return [
    `\`studio bench cache --model ${r.model} --frames ${r.frames} --steps ${r.steps} --cfg ${r.cfg} --prompts-file docs/bench/prompts-motion-report.txt --n ${r.prompts.benchmark.length} --calib-prompts-file docs/bench/prompts-motion-dev.txt --record-profile\` on \`${r.model}\` (sha256 \`${r.modelHash.slice(0, 8)}…\`), ${r.frames}-frame clips, ${r.scheduler}, ${r.steps} steps, cfg ${r.cfg}, onnxruntime ${r.provider} on ${m.cpus} × ${m.cpuModel} ([${file}](${file})). ${r.prompts.benchmark.length} report prompts (\`prompts-motion-report.txt\`, seeds ${r.seeds.benchmark}+); the profile comes from ${r.profile.prompts} other motion prompts (\`prompts-motion-dev.txt\`, seeds ${r.seeds.calibration}+) and nothing was tuned on the report prompts. Order: ${r.protocol.order}, after ${r.protocol.warmupRuns} warm-up runs. PSNR and SSIM are over every frame of the clip against the uncached clip; the speed-up is of the denoising loop (medians); s / clip is the median of encode + denoise + decode.`,
    '',
    table(['method', 'setting', 'calls', 'speedup', 'PSNR dB', 'SSIM', 's / clip'], rows),
    '',
    table(['target', 'measured', 'met'], [
      ['ERTACache ≥ 2.0× denoising speed-up at PSNR ≥ 30 dB', best ? `${f2(best.speedup)}× at ${f2(best.psnr)} dB (λ ${best.knob}, ${calls(best.nfe)} calls)` : 'no ERTACache setting reached 30 dB', best && best.speedup >= 2 ? 'yes' : '**no**'],
      [`ERTACache's PSNR ≥ every peer's at matched model calls (peers within ${SLACK} calls)`, `${wins} of ${matched.length} points: ${matched.map((p) => `${calls(p.erta.nfe)} calls ${f2(p.erta.psnr)} vs ${p.peer ? `${NAMES[p.peer.method]} ${f2(p.peer.psnr)}` : 'no peer'}`).join('; ')}`, wins === matched.length ? 'yes' : '**no**'],
    ]),
  ].join('\n');
}

export function videoSection(videos) {
  const evals = videos.filter(({ report }) => report.kind === 'video');
  const caches = videos.filter(({ report }) => report.kind !== 'video');
  const parts = ['## Video', ''];
  if (evals.length > 0) parts.push('### Motion evaluation (`studio eval`)', '', ...evals.map(evalSection), '');
  if (caches.length > 0) parts.push('### Step caching on clips (`studio bench cache --frames`)', '', ...caches.map(cacheSection));
  return parts.join('\n').trimEnd();
}

/** One or two sentences for the README summary. */
export function videoSummary(videos) {
  const e = videos.find(({ report }) => report.kind === 'video' && report.cache === null)?.report;
  const cachedEval = videos.find(({ report }) => report.kind === 'video' && report.cache !== null)?.report;
  const c = videos.find(({ report }) => report.kind !== 'video')?.report;
  const pieces = [];
  if (e) {
    const o = e.sets.overall;
    pieces.push(`Video on \`${e.model}\` (${e.n} held-out prompts, ${e.frames} frames): motion top-1 ${pct(o.motion.top1)} (the motion classifier on real clips: ${pct(o.ceiling.top1)}), per-frame subcategory top-5 ${pct(o.perFrame.top5)} against ${pct(o.imageModel?.top5)} for \`${e.imageModel?.model ?? 'image model'}\`${e.imageModel ? ` (sha256 \`${e.imageModel.modelHash.slice(0, 8)}…\`)` : ''}, identity ${pct(o.perFrame.identity)}, Fréchet ${f2(o.frechet.generated)} (real-vs-real ${f2(o.frechet.floor)}).`);
  }
  if (cachedEval) {
    const o = cachedEval.sets.overall;
    pieces.push(`With ${NAMES[cachedEval.cache.config.method] ?? cachedEval.cache.config.method} (${calls(Math.round(cachedEval.cache.modelCallsPerClip * 10) / 10)} model calls per clip): motion top-1 ${pct(o.motion.top1)}, per-frame top-5 ${pct(o.perFrame.top5)}.`);
  }
  if (c) {
    const none = c.runs.find((x) => x.method === 'none');
    const best = ertaAt30(c);
    if (best) pieces.push(`One ${c.frames}-frame clip at ${c.steps} steps with CFG: ${f2(none.total_ms / 1000)} s uncached, ${f2(best.total_ms / 1000)} s with ERTACache (${f2(best.speedup)}× denoising, ${f2(best.psnr)} dB).`);
  }
  return pieces.length === 0 ? undefined : pieces.join(' ');
}
