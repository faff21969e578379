/**
 * The result of `studio eval` on a video model: the JSON report written to --json FILE and the
 * table printed to stdout. Figures per held-out set (emoji left out of training; emoji × motion
 * pairs left out) and over both:
 *
 *   perFrame        the image classifier on every frame: its subcategory top-1/top-5 (counted in
 *                   frames), and identity — the mean share of a clip's frames equal to the clip's
 *                   majority top-1 (core/eval/identity-consistency.ts)
 *   imageModel      the same classifier on one still per clip from the image model, prompted with
 *                   the emoji's label (same seed): what per-frame accuracy is compared with
 *   motion          the motion classifier's top-1/top-5 (counted in clips), beside `ceiling`, its
 *                   own accuracy on the real held-out clips
 *   frechet         d² over motion-classifier features, generated vs the set's real clips, and the
 *                   floor: m real clips (m = generated clips, at most half the real ones) vs the
 *                   other half, so sampling error alone gives `floor`
 *   consistency     core/eval/clip-consistency.ts: SSIM of consecutive frames, mean |Δx| and
 *                   mean |Δ²x| in pixel units 0..1
 *   secondsPerClip  txt2vid wall time (encode + denoise + decode) per clip
 *
 * Accuracies are fractions 0..1 with 95% Wilson intervals; null when nothing was counted.
 */
import type { Provider } from '../../contract/api';
import type { CacheConfig } from '../../contract/cache';
import type { CountedAccuracy } from './eval-report';
import { MOTION_SETS, type MotionSet } from './motion-assets';

export interface VideoSetFigures {
  clips: number;
  perFrame: CountedAccuracy & { identity: number | null };
  imageModel: CountedAccuracy | null;
  motion: CountedAccuracy;
  ceiling: { top1: number; top5: number; clips: number };
  frechet: { generated: number | null; floor: number | null; realClips: number; floorClips: number };
  consistency: { ssim: number; step: number; accel: number } | null;
  secondsPerClip: { median: number; mean: number } | null;
}

export interface VideoEvalItem {
  prompt: string;
  set: MotionSet;
  motion: string;
  subcategory: string;
  hexcode: string;
  seed: number;
  /** Motion classifier's five best motions, best first. */
  motionTop5: string[];
  /** Image classifier's top-1 subcategory per frame. */
  frameTop1: string[];
  identity: number;
  consistency: { ssim: number; step: number; accel: number };
  seconds: number;
  /** The image model's still for the emoji's label: the classifier's five best subcategories. */
  imageTop5?: string[];
  /** Model calls of the clip, with a cache. */
  modelCalls?: number;
}

export interface VideoEvalReport {
  kind: 'video';
  model: string;
  modelHash: string;
  provider: Provider;
  scheduler: string;
  steps: number;
  cfg: number;
  frames: number;
  /** Clips generated. */
  n: number;
  seeds: { base: number };
  /** The evaluation folder and its motion/ subfolder (reportPath). */
  evalDir: string;
  /** The cache that ran and the mean model calls per clip; null without one. */
  cache: { config: CacheConfig; modelCallsPerClip: number } | null;
  /** The image model compared per frame: null when none was. */
  imageModel: { model: string; modelHash: string; steps: number; cfg: number } | null;
  sets: Record<MotionSet | 'overall', VideoSetFigures>;
  /** Motion accuracy per motion class, over both sets. */
  perMotion: { motion: string; clips: number; top1: number | null; top5: number | null }[];
  items: VideoEvalItem[];
  createdAt: string;
}

const COLUMNS = [...MOTION_SETS, 'overall'] as const;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`;
}

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(digits);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
}

/** The per-set table and a few lines, for a terminal; `jsonFile` is where the full report went. */
export function formatVideoEvalSummary(r: VideoEvalReport, jsonFile: string): string {
  const s = r.sets;
  const row = (name: string, cell: (f: VideoSetFigures) => string): string[] => [name, ...COLUMNS.map((c) => cell(s[c]))];
  const rows: string[][] = [
    ['', ...COLUMNS],
    row('clips', (f) => String(f.clips)),
    row('per-frame top-1', (f) => pct(f.perFrame.top1)),
    row('per-frame top-5', (f) => pct(f.perFrame.top5)),
    row(`  ${r.imageModel?.model ?? 'image model'} top-5`, (f) => pct(f.imageModel?.top5)),
    row('identity', (f) => pct(f.perFrame.identity)),
    row('motion top-1', (f) => `${pct(f.motion.top1)} (ceiling ${pct(f.ceiling.top1)})`),
    row('motion top-5', (f) => `${pct(f.motion.top5)} (ceiling ${pct(f.ceiling.top5)})`),
    row('Fréchet (floor)', (f) => `${num(f.frechet.generated, 2)} (${num(f.frechet.floor, 2)})`),
    row('SSIM t,t+1', (f) => num(f.consistency?.ssim, 4)),
    row('|Δx|', (f) => num(f.consistency?.step, 4)),
    row('|Δ²x|', (f) => num(f.consistency?.accel, 4)),
    row('s / clip (median)', (f) => num(f.secondsPerClip?.median, 2)),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((rw) => (rw[i] ?? '').length))) ?? [];
  const lastSeed = r.seeds.base + r.n - 1;
  const cache = r.cache === null ? 'no cache' : `cache ${r.cache.config.method}, ${r.cache.modelCallsPerClip.toFixed(1)} model calls per clip`;
  const motions = r.perMotion.map((m) => `${m.motion} ${pct(m.top1)}`).join(', ');
  return [
    `eval:       ${r.n} clips of ${r.frames} frames; model ${r.model} (${r.modelHash.slice(0, 10)}) on ${r.provider}, ${r.steps} steps, cfg ${r.cfg}, ${r.scheduler}, ${cache}, seeds ${r.seeds.base}..${lastSeed}`,
    ...(r.imageModel ? [`image model: ${r.imageModel.model} (${r.imageModel.modelHash.slice(0, 10)}), one still per clip from the emoji's label, same seed, ${r.imageModel.steps} steps, cfg ${r.imageModel.cfg}`] : []),
    '',
    ...rows.map((rw) => pad(rw, widths)),
    '',
    `motion top-1 per motion: ${motions}`,
    `report:     ${jsonFile}`,
  ].join('\n');
}
