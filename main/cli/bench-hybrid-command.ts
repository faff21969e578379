/**
 * `studio bench hybrid --large ID --small ID --json FILE [options]`: the K sweep of a hybrid pair
 * (main/hybrid/run-hybrid-bench.ts) on the evaluation captions, in both orders, plus a few images
 * through a `studio serve-model` child process on 127.0.0.1 to check remote runs give the same
 * pixels and to measure the protocol's cost per call. Prints a table, writes the JSON report and,
 * with --plot, the speed-versus-quality chart as SVG (main/bench/plot-file.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { HYBRID_ORDERS } from '../../core/hybrid/hybrid-plan';
import { plotFileProblem, writeBenchPlot } from '../bench/plot-file';
import type { HybridBenchReport } from '../../contract/hybrid-bench';
import { writeFileAtomic } from '../generation/output-file';
import { runHybridBench, type HybridBenchOptions } from '../hybrid/run-hybrid-bench';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';
import type { CliContext } from './cli-context';
import { defaultEvalDir, EVAL_DEFAULTS } from './eval-command';
import { onInterrupt } from './interrupt';

export const BENCH_HYBRID_HELP = `Usage: studio bench hybrid --large ID --small ID --json FILE [options]

Sweeps K, the large model's share of the steps, in both orders (large-first as Hybrid SD,
small-first as T-Stitch) on the evaluation captions, every point on the same seeds. Reports
large-model compute saved, denoise time, PSNR/SSIM against the large-only image, and prompt
accuracy and Fréchet distance through the evaluation classifier.

  --large ID, --small ID   the pair (checked: latent space, schedule, prediction, conditioning)
  --json FILE              write the report here (required)
  --plot FILE.svg          also draw PSNR against the speed-up, as SVG
  --steps N                denoising steps (default ${EVAL_DEFAULTS.steps})
  --cfg G                  guidance scale (default ${EVAL_DEFAULTS.cfg})
  --ks K1,K2,…             large-model steps to sweep (default 50,40,30,25,20,15,10,5,0 scaled to --steps)
  --n N                    evaluation captions to use, evenly spaced (default all)
  --seed S                 caption i uses seed S + i (default ${EVAL_DEFAULTS.seed})
  --eval-dir DIR           evaluation set (default: the bundled one)
  --scheduler S, --provider P
  --remote-images M        also run M captions with the large model on a serve-model process (default 8; 0 = none)
  --remote-k K             the split for those (default: 40% of the steps), --remote-order large-first|small-first`;

const OPTIONS = {
  large: { type: 'string' },
  small: { type: 'string' },
  json: { type: 'string' },
  plot: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  ks: { type: 'string' },
  n: { type: 'string' },
  seed: { type: 'string' },
  'eval-dir': { type: 'string' },
  scheduler: { type: 'string' },
  provider: { type: 'string' },
  'remote-images': { type: 'string' },
  'remote-k': { type: 'string' },
  'remote-order': { type: 'string' },
} as const;

const DEFAULT_KS_OF_50 = [50, 40, 30, 25, 20, 15, 10, 5, 0];

export interface ParsedHybridBench {
  options: Omit<HybridBenchOptions, 'remote'>;
  remote: { images: number; largeSteps: number; order: (typeof HYBRID_ORDERS)[number] };
  json: string;
  plot?: string;
}

export function parseHybridBenchArgs(args: string[]): ParsedHybridBench {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const steps = integerOption('steps', values.steps, 2, LIMITS.stepsMax, EVAL_DEFAULTS.steps);
  const ks = values.ks === undefined ? DEFAULT_KS_OF_50.map((k) => Math.round((k * steps) / 50)) : values.ks.split(',').map((k) => integerOption('ks', k.trim(), 0, steps));
  return {
    options: {
      large: requiredText('large', values.large),
      small: requiredText('small', values.small),
      provider: choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto'),
      scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, 'default'),
      steps,
      cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, EVAL_DEFAULTS.cfg),
      evalDir: values['eval-dir'] === undefined ? defaultEvalDir() : path.resolve(requiredText('eval-dir', values['eval-dir'])),
      ...(values.n === undefined ? {} : { n: integerOption('n', values.n, 1, 100_000) }),
      seedBase: integerOption('seed', values.seed, 0, LIMITS.seedMax, EVAL_DEFAULTS.seed),
      largeSteps: ks.map((k) => k as number),
    },
    remote: {
      images: integerOption('remote-images', values['remote-images'], 0, 1000, 8),
      largeSteps: integerOption('remote-k', values['remote-k'], 0, steps, Math.round(0.4 * steps)),
      order: choiceOption('remote-order', values['remote-order'], HYBRID_ORDERS, 'large-first'),
    },
    json: path.resolve(requiredText('json', values.json)),
    ...(values.plot === undefined ? {} : { plot: path.resolve(requiredText('plot', values.plot)) }),
  };
}

/** Runs `studio bench hybrid`; resolves to the exit code. */
export async function benchHybridCommand(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseHybridBenchArgs(args);
  for (const out of [parsed.json, parsed.plot]) {
    if (out !== undefined && fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`${out} is a folder; give a file name`);
  }
  const plotProblem = parsed.plot === undefined ? undefined : plotFileProblem(parsed.plot);
  if (plotProblem !== undefined) throw new UsageError(`--plot: ${plotProblem}`);
  const interrupt = onInterrupt('the benchmark');
  const server = parsed.remote.images > 0 ? await startServeModel(parsed.options.large) : undefined;
  try {
    const report = await runHybridBench(
      { ...parsed.options, ...(server ? { remote: { url: server.url, images: parsed.remote.images, largeSteps: parsed.remote.largeSteps, order: parsed.remote.order } } : {}) },
      { registry: ctx.registry, pipelines: defaultPipelineCache },
      { signal: interrupt.signal, onStatus: (line) => process.stderr.write(`studio bench: ${line}\n`) },
    );
    writeFileAtomic(parsed.json, Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'));
    if (parsed.plot !== undefined) await writeBenchPlot(parsed.plot, report);
    process.stdout.write(`${formatHybridBench(report)}\nreport: ${parsed.json}${parsed.plot ? `\nplot:   ${parsed.plot}` : ''}\n`);
    return 0;
  } finally {
    interrupt.dispose();
    server?.child.kill('SIGTERM');
    await defaultPipelineCache.clear();
  }
}

/** A table: one row per point. */
export function formatHybridBench(r: HybridBenchReport): string {
  const head = `${r.large.id} (${r.large.hash.slice(0, 10)}) + ${r.small.id} (${r.small.hash.slice(0, 10)}), ${r.steps} steps, cfg ${r.cfg}, ${r.n} captions`;
  const rows = r.points.map(
    (p) =>
      `${p.order.padEnd(11)} K=${String(p.largeSteps).padStart(3)}  saved ${(100 * p.largeComputeSaved).toFixed(0).padStart(3)}%  ${p.denoiseMsMedian.toFixed(0).padStart(5)} ms  PSNR ${p.psnr.toFixed(2).padStart(6)}  SSIM ${p.ssim.toFixed(4)}  top-5 ${p.top5.toFixed(3)}  top-1 ${p.top1.toFixed(3)}  FD ${p.frechet?.toFixed(1) ?? '–'}`,
  );
  const remote = r.remote
    ? [`remote (${r.remote.order}, K=${r.remote.largeSteps}, ${r.remote.images} images): identical pixels ${r.remote.identicalPixels}, ${r.remote.calls} calls, ${(r.remote.bytesSentPerCall / 1024).toFixed(1)} KiB sent and ${(r.remote.bytesReceivedPerCall / 1024).toFixed(1)} KiB received per call, latency median ${r.remote.latencyMedianMs.toFixed(2)} ms (p95 ${r.remote.latencyP95Ms.toFixed(2)}), in process ${r.remote.localCallMedianMs.toFixed(2)} ms, server compute ${r.remote.serverComputeMedianMs?.toFixed(2) ?? '–'} ms, overhead ${r.remote.overheadMedianMs.toFixed(2)} ms`]
    : [];
  return [head, ...rows, ...remote].join('\n');
}

/** `studio serve-model` for the large model in a child process on 127.0.0.1; resolves once it prints its URL. */
function startServeModel(model: string): Promise<{ url: string; child: ChildProcess }> {
  const script = process.argv[1];
  if (script === undefined) throw new StudioError('INTERNAL', 'cannot tell which script runs the CLI, to start serve-model');
  const child = spawn(process.execPath, [script, 'serve-model', '--model', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(`serve-model printed no URL within 60 s: ${err.trim()}`), 60_000);
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new StudioError('REMOTE_UNAVAILABLE', reason));
    };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/v2\/models\/\S+)/.exec(out)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({ url, child });
      }
    });
    child.once('exit', (code) => fail(`serve-model exited with code ${code}: ${err.trim()}`));
  });
}
