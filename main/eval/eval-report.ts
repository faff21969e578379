/**
 * The result of `studio eval`: the JSON report written to --json FILE, and the short
 * human summary printed to stdout.
 *
 * Accuracies are fractions in 0..1 (null when no item had an intended subcategory);
 * frechetDistance is d² in squared classifier-feature units (null when either set has
 * fewer than 2 images, since a covariance needs two); times are seconds.
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
  /** The classifier's five best subcategories for the generated image, best first. */
  top5: string[];
  seed: number;
}

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
  promptAccuracy: {
    top1: number | null;
    top5: number | null;
    counted: number;
    excluded: number;
    /** 95% Wilson intervals [low, high] of top1 and top5 over the counted items (null when none). */
    ci95: { top1: [number, number] | null; top5: [number, number] | null };
  };
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

/** A few lines for a terminal; `jsonFile` is where the full report went. */
export function formatEvalSummary(r: EvalReport, jsonFile: string): string {
  const pa = r.promptAccuracy;
  const source = r.promptsFile === null ? 'eval captions' : r.promptsFile;
  const lastSeed = r.seeds.base + r.n - 1;
  return [
    `eval:               ${r.n} images from ${source}; model ${r.model} (${r.modelHash.slice(0, 10)}) on ${r.provider}, ${r.steps} steps, cfg ${r.cfg}, ${r.scheduler}, seeds ${r.seeds.base}..${lastSeed}`,
    `prompt accuracy:    top-1 ${withInterval(pa.top1, pa.ci95.top1)}, top-5 ${withInterval(pa.top5, pa.ci95.top5)} (${pa.counted} counted, ${pa.excluded} excluded${pa.excluded > 0 ? ': no clear subcategory in the prompt' : ''})`,
    `Fréchet distance:   ${r.frechetDistance === null ? 'n/a (needs at least 2 images in each set)' : r.frechetDistance.toFixed(4)} (classifier features, ${r.n} generated vs ${r.classifierOnReal.n} real)`,
    `seconds per image:  median ${r.secondsPerImage.median.toFixed(3)}, mean ${r.secondsPerImage.mean.toFixed(3)} (generation only)`,
    `classifier on real: top-1 ${percent(r.classifierOnReal.top1)}, top-5 ${percent(r.classifierOnReal.top5)} (${r.classifierOnReal.n} images)`,
    `report:             ${jsonFile}`,
  ].join('\n');
}
