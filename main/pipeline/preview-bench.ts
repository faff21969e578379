/**
 * What live previews cost: the same prompts and seeds run with previews off and on, in
 * alternating order after one warm-up run of each (so neither mode always runs on a warmer
 * machine), on one loaded pipeline. Reports the time per preview as the preview session
 * measures it (x̂₀, decode, PNG), previews per run, the denoising time of both modes, the
 * process CPU time of whole runs (all threads: less sensitive than wall time to other load on
 * the machine, and it counts work that wall time of the preview alone misses, such as idle
 * session threads spinning), and whether every final image came out identical — previews
 * must never change the pixels.
 */
import type { SchedulerName } from '../../contract/api';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { throwIfCancelled, txt2img } from './txt2img';

export interface PreviewBenchOptions {
  prompts: readonly string[];
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  /** Prompt i uses seed + i. */
  seed: number;
}

export interface PreviewBenchReport {
  steps: number;
  cfg: number;
  prompts: number;
  decoder: 'tiny' | 'full';
  /** Mean previews a run made. */
  previewsPerRun: number;
  /** Median over runs of that run's ms per preview. */
  msPerPreview: number;
  /** Median denoising ms of a run, previews off and on. */
  denoiseMsOff: number;
  denoiseMsOn: number;
  /** Median over runs of (preview ms / denoise ms off) · 100: the cost as a share of the run it shows. */
  previewSharePct: number;
  /** (denoiseMsOn − denoiseMsOff) / denoiseMsOff · 100, from the medians (noisier: includes run-to-run jitter). */
  wallOverheadPct: number;
  /** Median process CPU ms (user + system, all threads) of a whole run, previews off and on. */
  cpuMsOff: number;
  cpuMsOn: number;
  /** (cpuMsOn − cpuMsOff) / cpuMsOff · 100. */
  cpuOverheadPct: number;
  /** Every run's final image identical with previews on and off. */
  identicalPixels: boolean;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** @throws StudioError CANCELLED once `signal` aborts; whatever txt2img throws */
export async function runPreviewBench(pipeline: LoadedPipeline, options: PreviewBenchOptions, signal?: AbortSignal, onStatus?: (line: string) => void): Promise<PreviewBenchReport> {
  if (options.prompts.length === 0) throw new RangeError('the preview benchmark needs at least one prompt');
  const cpuMs = (): number => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  };
  const cpu = new Map<boolean, number[]>([[false, []], [true, []]]);
  const run = async (prompt: string, seed: number, preview: boolean) => {
    const before = cpuMs();
    const result = await txt2img(pipeline, { prompt, negativePrompt: '', steps: options.steps, cfg: options.cfg, seed, scheduler: options.scheduler }, { ...(signal ? { signal } : {}), ...(preview ? { onPreview: () => undefined } : {}) });
    cpu.get(preview)?.push(cpuMs() - before);
    return result;
  };
  // Warm-up: the first run of each mode pays for session and JIT start-up.
  await run(options.prompts[0] as string, options.seed, false);
  await run(options.prompts[0] as string, options.seed, true);
  for (const samples of cpu.values()) samples.length = 0;
  const off: number[] = [];
  const on: number[] = [];
  const msPerPreview: number[] = [];
  const shares: number[] = [];
  const counts: number[] = [];
  let identical = true;
  let decoder: PreviewBenchReport['decoder'] = 'full';
  for (const [i, prompt] of options.prompts.entries()) {
    throwIfCancelled(signal);
    const seed = options.seed + i;
    const order = i % 2 === 0 ? [false, true] : [true, false];
    const [first, second] = [await run(prompt, seed, order[0] as boolean), await run(prompt, seed, order[1] as boolean)];
    const plain = order[0] ? second : first;
    const previewed = order[0] ? first : second;
    const stats = previewed.preview;
    if (stats === undefined) throw new Error('a run with previews on reported no preview stats');
    decoder = stats.decoder;
    off.push(plain.timings.denoiseMs);
    on.push(previewed.timings.denoiseMs);
    counts.push(stats.count);
    if (stats.count > 0) msPerPreview.push(stats.ms / stats.count);
    shares.push((100 * stats.ms) / plain.timings.denoiseMs);
    identical &&= Buffer.from(plain.rgb).equals(Buffer.from(previewed.rgb));
    onStatus?.(`${i + 1}/${options.prompts.length} "${prompt}": off ${plain.timings.denoiseMs.toFixed(1)} ms, on ${previewed.timings.denoiseMs.toFixed(1)} ms, ${stats.count} previews in ${stats.ms.toFixed(1)} ms`);
  }
  const denoiseMsOff = median(off);
  const denoiseMsOn = median(on);
  const cpuMsOff = median(cpu.get(false) ?? []);
  const cpuMsOn = median(cpu.get(true) ?? []);
  return {
    steps: options.steps,
    cfg: options.cfg,
    prompts: options.prompts.length,
    decoder,
    previewsPerRun: counts.reduce((a, b) => a + b, 0) / counts.length,
    msPerPreview: msPerPreview.length > 0 ? median(msPerPreview) : 0,
    denoiseMsOff,
    denoiseMsOn,
    previewSharePct: median(shares),
    wallOverheadPct: (100 * (denoiseMsOn - denoiseMsOff)) / denoiseMsOff,
    cpuMsOff,
    cpuMsOn,
    cpuOverheadPct: (100 * (cpuMsOn - cpuMsOff)) / cpuMsOff,
    identicalPixels: identical,
  };
}
