/**
 * `studio quantize --model ID --precision w8a8 [--calib-prompts F] [--calib-n N] [--steps S]
 *   [--cfg G] [--scheduler S] [--seed S] [--json]`
 *
 * Writes the quantized variant of the model's denoiser (main/quant/quantize-model.ts) and fits
 * its PTQD/TCEC tables for the given steps, CFG and scheduler, so `studio generate --precision
 * w8a8 --compensation tcec` with the same settings can use them at once. Ctrl-C stops and
 * leaves no variant behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, SCHEDULER_NAMES } from '../../contract/api';
import { PRECISIONS, type QuantizeRequest, type QuantizeResult } from '../../contract/quant';
import { readPromptsFile } from '../eval/prompts-file';
import { writeFileAtomic } from '../generation/output-file';
import { FORCE_OPTION, refuseOverwrite } from './out-file';
import { exportTables, importTables } from '../quant/tables-io';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { runQuantize } from '../quant/quantize-model';
import { CALIB_PROMPTS_MAX, defaultCalibrationPrompts, QUANTIZE_DEFAULTS, validateQuantizeRequest } from '../quant/quantize-request';
import { choiceOption, integerOption, numberOption, requiredText } from './cli-options';
import type { CliContext } from './cli-context';
import { onInterrupt } from './interrupt';
import { createProgressBar } from './progress-bar';

export const QUANTIZE_HELP = `Usage: studio quantize --model ID --precision w8a8 [options]

Writes an int8 (W8A8 QDQ) variant of the model's denoiser and fits its error-compensation
tables (PTQD, TCEC) for the given sampling settings.
  --precision P       ${PRECISIONS.filter((p) => p !== 'fp32').join(' | ')} (w4*: int4 simulated on int8 kernels)
  --calib-prompts F   calibration prompts, one per line (default: built-in set, disjoint from the benchmark's)
  --calib-n N         use the first N calibration prompts (default: ${QUANTIZE_DEFAULTS.calibN})
  --steps S           steps the tables are fitted for (default: ${QUANTIZE_DEFAULTS.steps})
  --cfg G             guidance scale the tables are fitted for (default: ${QUANTIZE_DEFAULTS.cfg})
  --scheduler S       ${SCHEDULER_NAMES.join(' | ')} (default: the model's own)
  --seed S            calibration prompt i uses seed S + i (default: ${QUANTIZE_DEFAULTS.seed})
  --json              print the report as JSON

       studio quantize export ID --out FILE [--force]   write compensation tables #ID as JSON
       studio quantize import FILE            store tables from such a file (checked first)`;

const OPTIONS = {
  model: { type: 'string' },
  precision: { type: 'string' },
  'calib-prompts': { type: 'string' },
  'calib-n': { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  scheduler: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function parseQuantizeArgs(args: string[], defaultModel: () => string): { request: QuantizeRequest; json: boolean } {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const n = integerOption('calib-n', values['calib-n'], 1, CALIB_PROMPTS_MAX, QUANTIZE_DEFAULTS.calibN);
  const file = values['calib-prompts'];
  const prompts = (file === undefined ? defaultCalibrationPrompts(n) : readPromptsFile(file).map((p) => p.text)).slice(0, n);
  const request = {
    model: values.model ?? defaultModel(),
    precision: choiceOption('precision', requiredText('precision', values.precision), PRECISIONS, 'w8a8'),
    prompts,
    steps: integerOption('steps', values.steps, 2, LIMITS.stepsMax, QUANTIZE_DEFAULTS.steps),
    cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, QUANTIZE_DEFAULTS.cfg),
    scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, 'default'),
    seed: integerOption('seed', values.seed, 0, LIMITS.seedMax - CALIB_PROMPTS_MAX, QUANTIZE_DEFAULTS.seed),
    provider: 'cpu',
  };
  return { request: validateQuantizeRequest(request), json: values.json ?? false };
}

export function formatQuantizeResult(r: QuantizeResult): string {
  const counts = new Map<string, number>();
  for (const op of r.ops) counts.set(`${op.decision} (${op.reason})`, (counts.get(`${op.decision} (${op.reason})`) ?? 0) + 1);
  const lines = [
    ...(r.note ? [`note: ${r.note}`] : []),
    `variant ${r.variant} of ${r.modelId}  sha256 ${r.variantSha256.slice(0, 12)}`,
    `weights ${(r.weightBytes.fp32 / 1e6).toFixed(2)} MB fp32 → ${(r.weightBytes.quantized / 1e6).toFixed(2)} MB (${(r.weightBytes.fp32 / r.weightBytes.quantized).toFixed(2)}× smaller)`,
    `activation ranges: ${r.rangeMethod} (output MSE ${Object.entries(r.rangeErrors).map(([k, v]) => `${k} ${v.toExponential(3)}`).join(', ')})`,
    `conditioning weights: ${r.conditioningWeights} (output MSE ${Object.entries(r.conditioningErrors).map(([k, v]) => `${k} ${v.toExponential(3)}`).join(', ')})`,
    ...[...counts].map(([k, c]) => `  ${String(c).padStart(3)} weight ops: ${k}`),
    ...r.fp32OpTypes.map((o) => `  ${String(o.count).padStart(3)} ${o.opType}: ${o.reason}`),
    `compensation tables #${r.calibrationId} (PTQD, TCEC)`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `studio quantize export ID --out FILE [--force]` and `studio quantize import FILE`: the compensation tables as JSON. */
function tablesCommand(args: string[], ctx: CliContext): number {
  const [verb, arg, ...rest] = args;
  if (verb === 'export') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, ...FORCE_OPTION }, strict: true });
    const out = requiredText('out', values.out);
    refuseOverwrite(path.resolve(out), values.force ?? false);
    const text = exportTables(ctx.db().quantCalibrations, integerOption('id', requiredText('id', arg), 1, Number.MAX_SAFE_INTEGER, 0));
    writeFileAtomic(out, Buffer.from(text));
    return 0;
  }
  const stored = importTables(ctx.db().quantCalibrations, fs.readFileSync(requiredText('file', arg), 'utf8'));
  const k = stored.tables.key;
  process.stdout.write(`imported compensation tables #${stored.id}: ${k.variant} ${k.scheduler} ${k.steps} steps cfg ${k.cfg} ${k.width}x${k.height}\n`);
  return 0;
}

export async function quantizeCommand(args: string[], ctx: CliContext): Promise<number> {
  if (args[0] === 'export' || args[0] === 'import') return tablesCommand(args, ctx);
  const { request, json } = parseQuantizeArgs(args, () => ctx.registry.defaultModel().id);
  const interrupt = onInterrupt();
  const bar = createProgressBar(process.stderr);
  try {
    const result = await runQuantize(request, { registry: ctx.registry, db: ctx.db(), paths: ctx.paths }, {
      signal: interrupt.signal,
      onProgress: (p) => bar.update(p.stage, p.step, p.totalSteps),
    });
    bar.done();
    process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatQuantizeResult(result));
    return 0;
  } finally {
    bar.done();
    interrupt.dispose();
    await defaultPipelineCache.clear();
  }
}
