/**
 * `studio bench preview [--model ID] [--steps 50] [--cfg 4] [--n 8] [--seed S] [--json FILE]`:
 * what live previews cost on a model (main/pipeline/preview-bench.ts). Prints the report as
 * JSON to stdout and, with --json, writes it there too.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES } from '../../contract/api';
import { DEFAULT_BENCHMARK_PROMPTS } from '../cache/bench/bench-prompts';
import { writeFileAtomic } from '../generation/output-file';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { runPreviewBench } from '../pipeline/preview-bench';
import { pipelineHash } from '../runtime/model-hash';
import { choiceOption, integerOption, numberOption, requiredText } from './cli-options';
import type { CliContext } from './cli-context';
import { onInterrupt } from './interrupt';

export const BENCH_PREVIEW_HELP = `Usage: studio bench preview [options]

Runs the same prompts and seeds with live previews off and on (alternating, after a warm-up of
each) and reports ms per preview, previews per run, the share of the run they take, and
whether every final image is identical with previews on and off.
  --model ID|DIR     model (default: the default model)
  --steps N          denoising steps (default 50)
  --cfg G            guidance scale (default 4)
  --n N              prompts, from the built-in benchmark captions (default 8)
  --seed S           prompt i uses seed S + i (default 0)
  --provider P, --scheduler S
  --json FILE        also write the report here`;

const OPTIONS = {
  model: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  n: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  scheduler: { type: 'string' },
  json: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export async function benchPreviewCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  if (values.help) {
    process.stdout.write(`${BENCH_PREVIEW_HELP}\n`);
    return 0;
  }
  const n = integerOption('n', values.n, 1, DEFAULT_BENCHMARK_PROMPTS.length, 8);
  const provider = choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto');
  const json = values.json === undefined ? undefined : path.resolve(requiredText('json', values.json));
  const model = ctx.registry.resolve(values.model ?? ctx.registry.defaultModel().id);
  const interrupt = onInterrupt('the benchmark');
  try {
    const { pipeline } = await defaultPipelineCache.get(model.dir, provider, { hashStore: ctx.db().folderHashes });
    const options = {
      prompts: DEFAULT_BENCHMARK_PROMPTS.slice(0, n),
      steps: integerOption('steps', values.steps, 2, LIMITS.stepsMax, 50),
      cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, 4),
      scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, 'default'),
      seed: integerOption('seed', values.seed, 0, LIMITS.seedMax - n, 0),
    };
    const result = await runPreviewBench(pipeline, options, interrupt.signal, (line) => process.stderr.write(`studio bench preview: ${line}\n`));
    const report = { model: model.id, modelHash: await pipelineHash(model.dir, ctx.db().folderHashes), provider: pipeline.provider, createdAt: new Date().toISOString(), ...result };
    const text = `${JSON.stringify(report, null, 2)}\n`;
    if (json !== undefined) writeFileAtomic(json, Buffer.from(text, 'utf8'));
    process.stdout.write(text);
    return 0;
  } finally {
    interrupt.dispose();
    await defaultPipelineCache.clear();
  }
}
