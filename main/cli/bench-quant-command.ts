/**
 * `studio bench quant --model ID --steps 50 [--prompts-file F] [--n N] --json FILE`: fp32 against
 * the W8A8 denoiser with no compensation, PTQD and TCEC, plus the stacked quantized + TCEC +
 * ERTACache row (main/quant/bench/run-quant-bench.ts). Prints a table and the targets, writes
 * the JSON report.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { LIMITS, SCHEDULER_NAMES } from '../../contract/api';
import { DEFAULT_CALIBRATION_PROMPTS } from '../cache/bench/bench-prompts';
import { loadEvalAssets } from '../eval/eval-assets';
import { captionItems, promptItems } from '../eval/eval-items';
import { readPromptsFile } from '../eval/prompts-file';
import { writeFileAtomic } from '../generation/output-file';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { QuantBenchReport } from '../quant/bench/quant-bench-report';
import { clearBenchPipelines, runQuantBench, type QuantBenchOptions } from '../quant/bench/run-quant-bench';
import { QUANTIZE_DEFAULTS } from '../quant/quantize-request';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';
import type { CliContext } from './cli-context';
import { defaultEvalDir } from './eval-command';
import { onInterrupt } from './interrupt';

export const BENCH_QUANT_HELP = `Usage: studio bench quant --model ID --json FILE [options]

Quantizes the model's denoiser (W8A8, and W4A8 with simulated 4-bit weights) on calibration
prompts, then runs fp32, each precision with no compensation, PTQD and TCEC, and W8A8 + TCEC +
ERTACache (against fp32 + ERTACache at the same λ) on the same benchmark prompts and
seeds, in interleaved order. Reports denoiser ms per call, weights, PSNR/SSIM against fp32,
top-5 prompt accuracy and the compensation's overhead.
  --steps N            denoising steps (default 50)
  --cfg G              guidance scale (default ${QUANTIZE_DEFAULTS.cfg})
  --prompts-file F     benchmark prompts (default: the evaluation captions, evenly spaced)
  --n N                benchmark prompts to use (default 32)
  --seed S             benchmark prompt i uses seed S + i (default 0)
  --calib-n N          calibration prompts (default ${QUANTIZE_DEFAULTS.calibN}; the built-in set, disjoint from any benchmark)
  --stack-lambda L,…   ERTACache's λ values for the stacked rows (default 0.09,0.14,0.22)
  --scheduler S, --eval-dir DIR`;

const OPTIONS = {
  model: { type: 'string' },
  json: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  'prompts-file': { type: 'string' },
  n: { type: 'string' },
  seed: { type: 'string' },
  'calib-n': { type: 'string' },
  'stack-lambda': { type: 'string' },
  scheduler: { type: 'string' },
  'eval-dir': { type: 'string' },
} as const;

export function parseBenchQuantArgs(args: string[], defaultModel: () => string): { options: QuantBenchOptions; json: string } {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const json = requiredText('json', values.json);
  const evalDir = values['eval-dir'] ?? defaultEvalDir();
  const assets = loadEvalAssets(evalDir);
  const n = integerOption('n', values.n, 1, 1000, 32);
  const seed = integerOption('seed', values.seed, 0, LIMITS.seedMax - 1000, 0);
  const calibrationPrompts = DEFAULT_CALIBRATION_PROMPTS.slice(0, integerOption('calib-n', values['calib-n'], 1, DEFAULT_CALIBRATION_PROMPTS.length, QUANTIZE_DEFAULTS.calibN));
  const calib = new Set(calibrationPrompts.map((p) => p.toLowerCase()));
  const file = values['prompts-file'];
  // Eval captions that are also calibration prompts are dropped, keeping the sets disjoint.
  const pool = file === undefined ? captionItems(assets.captions, undefined, seed).filter((it) => !calib.has(it.prompt.toLowerCase())) : promptItems(readPromptsFile(file), undefined, seed, assets.keywords);
  if (n > pool.length) throw new UsageError(`--n ${n} is more than the ${pool.length} benchmark prompts available`);
  const items = (file === undefined ? Array.from({ length: n }, (_, i) => pool[Math.floor((i * pool.length) / n)]) : pool.slice(0, n)).map((it, i) => ({ ...(it as NonNullable<typeof it>), seed: seed + i }));
  return {
    json,
    options: {
      model: values.model ?? defaultModel(),
      steps: integerOption('steps', values.steps, 2, LIMITS.stepsMax, 50),
      cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, QUANTIZE_DEFAULTS.cfg),
      scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, 'default'),
      items,
      calibrationPrompts,
      calibrationSeed: QUANTIZE_DEFAULTS.seed,
      evalDir,
      stackLambdas: (values['stack-lambda'] ?? '0.09,0.14,0.22').split(',').map((v) => numberOption('stack-lambda', v.trim(), 0.001, 1, 0.14)),
    },
  };
}

export function formatQuantBench(r: QuantBenchReport): string {
  const pct = (v: number | null) => (v === null ? '  n/a' : `${(100 * v).toFixed(1)}%`);
  const lines = [
    ...r.quantize.flatMap((q) => (q.note ? [`${q.precision}: ${q.note}`] : [])),
    `${r.model}: ${r.steps} steps, cfg ${r.cfg}, ${r.prompts.benchmark.length} prompts; weights ${(r.weights.fp32Bytes / 1e6).toFixed(2)} MB → ${(r.weights.quantizedBytes / 1e6).toFixed(2)} MB (${r.weights.ratio.toFixed(2)}×)`,
    `${'row'.padEnd(36)} ${'λ'.padStart(4)} ${'ms/call'.padStart(8)} ${'×call'.padStart(6)} ${'denoise'.padStart(8)} ${'×den'.padStart(6)} ${'PSNR'.padStart(7)} ${'SSIM'.padStart(6)} ${'top-5'.padStart(6)} ${'ovh'.padStart(6)}`,
    ...r.rows.map((x) => `${x.name.padEnd(36)} ${x.strength.toFixed(2).padStart(4)} ${x.msPerCall.toFixed(2).padStart(8)} ${x.callSpeedup.toFixed(2).padStart(6)} ${x.denoiseMs.toFixed(1).padStart(8)} ${x.denoiseSpeedup.toFixed(2).padStart(6)} ${x.psnr.toFixed(2).padStart(7)} ${x.ssim.toFixed(4).padStart(6)} ${pct(x.top5).padStart(6)} ${x.overheadPct.toFixed(2).padStart(5)}%`),
    'targets:',
    ...r.targets.map((t) => `  ${t.met ? 'met ' : 'MISS'} ${t.name}: ${t.measured} (target ${t.target})`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function benchQuantCommand(args: string[], ctx: CliContext): Promise<number> {
  const { options, json } = parseBenchQuantArgs(args, () => ctx.registry.defaultModel().id);
  if (fs.existsSync(json) && fs.statSync(json).isDirectory()) throw new UsageError(`${json} is a folder; give a file name`);
  const interrupt = onInterrupt('the benchmark');
  try {
    const report = await runQuantBench(options, { registry: ctx.registry, db: ctx.db(), paths: ctx.paths }, { signal: interrupt.signal, onStatus: (line) => process.stderr.write(`studio bench quant: ${line}\n`) });
    writeFileAtomic(json, Buffer.from(`${JSON.stringify(report, null, 2)}\n`));
    process.stdout.write(formatQuantBench(report));
    return 0;
  } finally {
    interrupt.dispose();
    await defaultPipelineCache.clear();
    await clearBenchPipelines();
  }
}
