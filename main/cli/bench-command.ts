/**
 * `studio bench cache --json FILE [options]`: the fair side-by-side benchmark of the caching
 * methods (main/cache/bench/run-cache-bench.ts). Prints a table to stdout, progress lines to
 * stderr, writes the full report as JSON and, with --plot, PSNR versus speedup as a PNG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES } from '../../contract/api';
import { CACHE_PROFILE_LIMITS } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { DEFAULT_BENCHMARK_PROMPTS, DEFAULT_CALIBRATION_PROMPTS } from '../cache/bench/bench-prompts';
import { formatBenchTable } from '../cache/bench/bench-report';
import { plotFileProblem, writeBenchPlot } from '../bench/plot-file';
import { runCacheBench, type CacheBenchOptions } from '../cache/bench/run-cache-bench';
import { MATCHED_CALLS } from '../cache/bench/matched-settings';
import { formatMatchedTable } from '../cache/bench/matched-table';
import { runMatchedBench } from '../cache/bench/run-matched-bench';
import { readPromptsFile } from '../eval/prompts-file';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { writeFileAtomic } from '../generation/output-file';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';
import type { CliContext } from './cli-context';
import { GENERATE_DEFAULTS } from './generate-command';
import { onInterrupt } from './interrupt';
import { benchHybridCommand } from './bench-hybrid-command';
import { benchQuantCommand } from './bench-quant-command';
import { benchPreviewCommand } from './bench-preview-command';
import { benchPlotCommand } from './bench-plot-command';
import { evalSetJudge } from '../eval/matched-quality';
import { defaultEvalDir } from './eval-command';
import { PROFILE_DEFAULTS } from './profile-command';

export const BENCH_DEFAULTS = { steps: 50, thresholdsPerMethod: 3, seed: 0 } as const;

export const BENCH_HELP = `Usage: studio bench cache --json FILE [options]

Runs the uncached sampler and every caching method (FORA 2/3/4; TeaCache, MagCache, EasyCache and
ERTACache at K thresholds each, chosen from the calibration profile to span ~1.3x-3x fewer model
calls, plus one per FORA budget for matched-NFE comparison) on the same prompts and seeds, interleaved per prompt after a warm-up, and reports model
calls (NFE), measured speedup of the denoise loop, PSNR/SSIM against the uncached image, model
and total time, and the cache's overhead. Calibration and benchmark prompts must be disjoint.

  --json FILE                  write the report here (required)
  --plot FILE.svg              also draw PSNR against the speed-up, as SVG
  --model ID|DIR               model (default: the default model)
  --steps N                    denoising steps (default: ${BENCH_DEFAULTS.steps})
  --cfg G                      guidance scale (default: ${GENERATE_DEFAULTS.cfg})
  --scheduler S                ${SCHEDULER_NAMES.join(' | ')} (default: the model's own)
  --provider P                 ${PROVIDER_CHOICES.join(' | ')} (default: auto)
  --prompts-file F             benchmark prompts, one per line (default: ${DEFAULT_BENCHMARK_PROMPTS.length} built-in captions)
  --n N                        use the first N benchmark prompts (default: all)
  --calib-prompts-file F2      calibration prompts (default: ${DEFAULT_CALIBRATION_PROMPTS.length} built-in captions)
  --thresholds-per-method K    thresholds per adaptive method, 1..10 (default: ${BENCH_DEFAULTS.thresholdsPerMethod})
  --seed S                     benchmark prompt i uses seed S + i (default: ${BENCH_DEFAULTS.seed}); calibration uses ${PROFILE_DEFAULTS.seed} + i
  --record-profile             record a new profile even if a matching one is stored
  --ablation                   also run ERTACache at each of its λ values with its parts switched off
                               and on (reuse set only, + time adjustment, + rectification, per-branch
                               fit, the paper's greedy reuse set), as in the paper's Table 3
  --matched-calls C1,C2,…      instead of the sweep: every method held to C model calls (FORA and
                               ERTACache; TaylorSeer order 1 and 2, the linear predictor, ERTACache
                               with forecasting) and plain sampling with C steps, at each C
                               (e.g. ${MATCHED_CALLS.join(',')})
  --tune                       with --matched-calls: also each forecasting method with one knob
                               changed from its default (for development prompts only)
  --frames F                   a video model's frames per clip (default: its own); PSNR and SSIM
                               are over every frame of the clip`;

const OPTIONS = {
  json: { type: 'string' },
  plot: { type: 'string' },
  model: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  scheduler: { type: 'string' },
  provider: { type: 'string' },
  'prompts-file': { type: 'string' },
  n: { type: 'string' },
  'calib-prompts-file': { type: 'string' },
  'thresholds-per-method': { type: 'string' },
  seed: { type: 'string' },
  'record-profile': { type: 'boolean' },
  ablation: { type: 'boolean' },
  'matched-calls': { type: 'string' },
  tune: { type: 'boolean' },
  frames: { type: 'string' },
} as const;

export interface ParsedBench {
  options: CacheBenchOptions;
  json: string;
  plot?: string;
  /** --matched-calls: the budgets (and --tune); absent for the sweep. */
  matched?: { points: number[]; tune: boolean };
}

/** "38,25,17": integers 2..steps−1, each at most once. */
function matchedCallsOption(text: string, steps: number): number[] {
  const points = text.split(',').map((t) => t.trim());
  const values = points.map((t) => Number(t));
  const bad = points.find((t, i) => !/^\d+$/.test(t) || (values[i] as number) < 2 || (values[i] as number) >= steps);
  if (bad !== undefined) throw new UsageError(`--matched-calls takes integers from 2 to ${steps - 1} (below --steps), separated by commas; got "${bad}"`);
  return [...new Set(values)];
}

export function parseBenchArgs(args: string[], defaultModel: () => string): ParsedBench {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] !== 'cache') throw new UsageError(`studio bench takes one benchmark name, "cache"\n\n${BENCH_HELP}`);
  const json = path.resolve(requiredText('json', values.json));
  const plot = values.plot === undefined ? undefined : path.resolve(requiredText('plot', values.plot));
  const lines = (file: string | undefined, fallback: readonly string[]): string[] => (file === undefined ? [...fallback] : readPromptsFile(file).map((p) => p.text));
  let benchmark = lines(values['prompts-file'], DEFAULT_BENCHMARK_PROMPTS);
  const n = integerOption('n', values.n, 1, benchmark.length);
  if (n !== undefined) benchmark = benchmark.slice(0, n);
  const calibration = lines(values['calib-prompts-file'], DEFAULT_CALIBRATION_PROMPTS);
  if (calibration.length > CACHE_PROFILE_LIMITS.promptsMax) throw new UsageError(`--calib-prompts-file has ${calibration.length} prompts; at most ${CACHE_PROFILE_LIMITS.promptsMax}`);
  const options: CacheBenchOptions = {
    model: values.model ?? defaultModel(),
    provider: choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto'),
    scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, 'default'),
    steps: integerOption('steps', values.steps, 2, LIMITS.stepsMax, BENCH_DEFAULTS.steps),
    cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, GENERATE_DEFAULTS.cfg),
    calibrationPrompts: calibration,
    benchmarkPrompts: benchmark,
    thresholdsPerMethod: integerOption('thresholds-per-method', values['thresholds-per-method'], 1, 10, BENCH_DEFAULTS.thresholdsPerMethod),
    seed: integerOption('seed', values.seed, 0, LIMITS.seedMax - benchmark.length, BENCH_DEFAULTS.seed),
    calibrationSeed: PROFILE_DEFAULTS.seed,
    recordProfile: values['record-profile'] ?? false,
    ablation: values.ablation ?? false,
  };
  const frames = integerOption('frames', values.frames, LIMITS.framesMin, LIMITS.framesMax);
  if (frames !== undefined) options.frames = frames;
  if (values.tune && values['matched-calls'] === undefined) throw new UsageError('--tune needs --matched-calls');
  const matched = values['matched-calls'] === undefined ? undefined : { points: matchedCallsOption(values['matched-calls'], options.steps), tune: values.tune ?? false };
  return { options, json, ...(plot === undefined ? {} : { plot }), ...(matched === undefined ? {} : { matched }) };
}

/** Runs `studio bench …`; resolves to the exit code. */
export async function benchCommand(args: string[], ctx: CliContext): Promise<number> {
  if (args[0] === 'hybrid') return benchHybridCommand(args.slice(1), ctx);
  if (args[0] === 'quant') return benchQuantCommand(args.slice(1), ctx);
  if (args[0] === 'preview') return benchPreviewCommand(args.slice(1), ctx);
  if (args[0] === 'plot') return benchPlotCommand(args.slice(1));
  const parsed = parseBenchArgs(args, () => ctx.registry.defaultModel().id);
  for (const out of [parsed.json, parsed.plot]) {
    if (out !== undefined && fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`${out} is a folder; give a file name`);
  }
  const plotProblem = parsed.plot === undefined ? undefined : plotFileProblem(parsed.plot);
  if (plotProblem !== undefined) throw new UsageError(`--plot: ${plotProblem}`);
  const interrupt = onInterrupt('the benchmark');
  try {
    if (parsed.matched !== undefined) {
      const report = await runMatchedBench({ ...parsed.options, ...parsed.matched, judge: evalSetJudge(defaultEvalDir(), parsed.options.provider) }, { registry: ctx.registry, db: ctx.db() }, {
        signal: interrupt.signal,
        onStatus: (line) => process.stderr.write(`studio bench: ${line}\n`),
      });
      const bytes = Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
      writeFileAtomic(parsed.json, bytes);
      // Untuned results are what `generate --cache auto` chooses from (main/cache/recommend-cache.ts).
      if (!report.tuned) {
        fs.mkdirSync(path.join(ctx.paths.home, 'bench'), { recursive: true });
        writeFileAtomic(path.join(ctx.paths.home, 'bench', `matched-${report.model}-${report.createdAt.replace(/[:.]/g, '-')}.json`), bytes);
      }
      process.stdout.write(`${report.model} (${report.modelHash.slice(0, 10)}) on ${report.provider}, ${report.steps} steps, cfg ${report.cfg}, ${report.prompts.benchmark.length} prompts, profile ${report.profile.source} #${report.profile.id}\n`);
      process.stdout.write(`${formatMatchedTable(report.matched)}\nreport: ${parsed.json}\n`);
      return 0;
    }
    const report = await runCacheBench(parsed.options, { registry: ctx.registry, db: ctx.db() }, {
      signal: interrupt.signal,
      onStatus: (line) => process.stderr.write(`studio bench: ${line}\n`),
    });
    writeFileAtomic(parsed.json, Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'));
    if (parsed.plot !== undefined) await writeBenchPlot(parsed.plot, report);
    process.stdout.write(`${report.model} (${report.modelHash.slice(0, 10)}) on ${report.provider}, ${report.scheduler}, ${report.steps} steps, cfg ${report.cfg}, ${report.prompts.benchmark.length} prompts, profile ${report.profile.source} #${report.profile.id}\n`);
    process.stdout.write(`${formatBenchTable(report.runs)}\n`);
    process.stdout.write(`report: ${parsed.json}${parsed.plot ? `\nplot:   ${parsed.plot}` : ''}\n`);
    return 0;
  } finally {
    interrupt.dispose();
    await defaultPipelineCache.clear();
  }
}
