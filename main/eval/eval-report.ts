/**
 * The result of `studio eval`: the JSON report written to --json FILE, and the short
 * human summary printed to stdout.
 *
 * Accuracies are fractions in 0..1 (null when no item had an intended subcategory);
 * frechetDistance is d² in squared classifier-feature units (null when either set has
 * fewer than 2 images, since a covariance needs two); times are seconds.
 *
 * Exact emoji (labelled prompts files with an emoji column, and an evaluation folder with an
 * emoji bank): how often the real emoji nearest to the generated image in classifier
 * features (emoji-bank.ts, core/eval/nearest-emoji.ts) is the intended one, first or among
 * the first five of every emoji in the bank.
 */
import path from 'node:path';
import type { Provider } from '../../contract/api';

/**
 * A file as a report names it: relative to `root` with forward slashes when inside it, else
 * its base name only. Reports get committed (docs/bench), and an absolute path would name
 * one machine's folders and mean nothing on another.
 */
export function reportPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
}

export interface EvalReportItem {
  prompt: string;
  /** The subcategory the prompt asks for, or null (then `reason` says why and the item is not counted). */
  intended: string | null;
  reason?: string;
  /** The emoji the prompt asks for (hex code points), when the prompts file names one. */
  emoji?: string;
  /** Whether that emoji was left out of training, when known. */
  heldOut?: boolean;
  /** The classifier's five best subcategories for the generated image, best first. */
  top5: string[];
  /** The five real emoji nearest to the generated image in classifier features, best first (with an emoji bank). */
  nearestEmoji?: string[];
  seed: number;
}

/** Top-1 / top-5 fractions over `counted` items with their 95% Wilson intervals (null when none counted). */
export interface CountedAccuracy {
  top1: number | null;
  top5: number | null;
  counted: number;
  ci95: { top1: [number, number] | null; top5: [number, number] | null };
}

/** Where each item's intended subcategory came from. */
export type LabelSource = 'captions' | 'keywords' | 'file';

export interface EvalReport {
  model: string;
  modelHash: string;
  /** Provider the denoiser ran on. */
  provider: Provider;
  scheduler: string;
  steps: number;
  cfg: number;
  /** Images generated. */
  n: number;
  /** Item i used seed base + i. */
  seeds: { base: number };
  /** Where the prompts came from: null for the eval captions, else the prompts file (reportPath). */
  promptsFile: string | null;
  /** The evaluation folder (reportPath). */
  evalDir: string;
  /** captions: the eval captions' own; keywords: inferred from a free-text prompts file; file: a labelled prompts file's. */
  labels: LabelSource;
  promptAccuracy: CountedAccuracy & {
    excluded: number;
    /** Excluded items per kind of reason ("no subcategory keyword in prompt", "ambiguous between subcategories"). */
    excludedBecause: Record<string, number>;
  };
  /** promptAccuracy over prompts about emoji held out from training and over the others; null when no item says. */
  heldOutAccuracy: { heldOut: CountedAccuracy; seen: CountedAccuracy } | null;
  /** Null without a labelled emoji column or without an emoji bank. */
  exactEmoji: {
    /**
     * Emoji in the bank (every one is a candidate) and their real images; leaveOneOut is each
     * real image scored the same way against the others: the ceiling of these figures.
     */
    bank: { emoji: number; images: number; leaveOneOut: { top1: number; top5: number; counted: number } | null };
    all: CountedAccuracy;
    heldOut: CountedAccuracy;
    seen: CountedAccuracy;
  } | null;
  /** Generated vs all real evaluation images, over classifier features. */
  frechetDistance: number | null;
  /** txt2img wall time per image (encode + denoise + decode). */
  secondsPerImage: { median: number; mean: number };
  /** The classifier on the real evaluation images: how far its verdicts can be trusted. */
  classifierOnReal: { top1: number; top5: number; n: number };
  items: EvalReportItem[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

function percent(v: number | null): string {
  return v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`;
}

function withInterval(v: number | null, ci: [number, number] | null): string {
  return ci ? `${percent(v)} [${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}% at 95%]` : percent(v);
}

function brief(a: CountedAccuracy): string {
  return `top-1 ${percent(a.top1)}, top-5 ${percent(a.top5)} (${a.counted})`;
}

function exclusions(pa: EvalReport['promptAccuracy']): string {
  if (pa.excluded === 0) return '';
  return `: ${Object.entries(pa.excludedBecause).map(([why, count]) => `${count} ${why}`).join(', ')}`;
}

function extraLines(r: EvalReport): string[] {
  const lines: string[] = [];
  if (r.heldOutAccuracy) lines.push(`by training:        held-out emoji ${brief(r.heldOutAccuracy.heldOut)}; trained emoji ${brief(r.heldOutAccuracy.seen)}`);
  if (r.exactEmoji) {
    const e = r.exactEmoji;
    lines.push(`exact emoji:        top-1 ${withInterval(e.all.top1, e.all.ci95.top1)}, top-5 ${withInterval(e.all.top5, e.all.ci95.top5)} (${e.all.counted} counted, nearest of ${e.bank.emoji} real emoji)`);
    lines.push(`exact emoji split:  held-out emoji ${brief(e.heldOut)}; trained emoji ${brief(e.seen)}`);
    const c = e.bank.leaveOneOut;
    if (c) lines.push(`exact emoji, real:  top-1 ${percent(c.top1)}, top-5 ${percent(c.top5)} (each of ${c.counted} real images against the others: the ceiling)`);
  }
  return lines;
}

/** A few lines for a terminal; `jsonFile` is where the full report went. */
export function formatEvalSummary(r: EvalReport, jsonFile: string): string {
  const pa = r.promptAccuracy;
  const source = r.promptsFile === null ? 'eval captions' : r.promptsFile;
  const lastSeed = r.seeds.base + r.n - 1;
  return [
    `eval:               ${r.n} images from ${source}; model ${r.model} (${r.modelHash.slice(0, 10)}) on ${r.provider}, ${r.steps} steps, cfg ${r.cfg}, ${r.scheduler}, seeds ${r.seeds.base}..${lastSeed}`,
    `prompt accuracy:    top-1 ${withInterval(pa.top1, pa.ci95.top1)}, top-5 ${withInterval(pa.top5, pa.ci95.top5)} (${pa.counted} counted, ${pa.excluded} excluded${exclusions(pa)})`,
    ...extraLines(r),
    `Fréchet distance:   ${r.frechetDistance === null ? 'n/a (needs at least 2 images in each set)' : r.frechetDistance.toFixed(4)} (classifier features, ${r.n} generated vs ${r.classifierOnReal.n} real)`,
    `seconds per image:  median ${r.secondsPerImage.median.toFixed(3)}, mean ${r.secondsPerImage.mean.toFixed(3)} (generation only)`,
    `classifier on real: top-1 ${percent(r.classifierOnReal.top1)}, top-5 ${percent(r.classifierOnReal.top5)} (${r.classifierOnReal.n} images)`,
    `report:             ${jsonFile}`,
  ].join('\n');
}
