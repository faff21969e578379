/**
 * Request schemas of the benchmark calls: `bench.start` (a hybrid K sweep or the cache
 * benchmark, told apart by `kind`), `bench.list` and `bench.chart`; registered in CALL_SCHEMAS
 * (contract/call-schema.ts).
 */
import { z } from 'zod';
import { SCHEDULER_NAMES } from '../core/sampler/scheduler-names';
import { LIMITS, PROVIDER_CHOICES } from './api';
import { BENCH_REF_MAX } from './bench';
import { CACHE_PROFILE_LIMITS } from './cache';
import { integerIn, numberIn, oneOf, requestObject, text } from './field-schema';
import { hybridBenchRequestSchema } from './request-schema';

/**
 * The cache benchmark as a job. The defaults keep it to seconds on the bundled models: two
 * benchmark prompts, two knob values per adaptive method, four calibration prompts when no
 * matching profile is stored.
 */
export const cacheBenchRequestSchema = requestObject(
  'bench.start',
  {
    kind: oneOf(['cache'] as const),
    model: text(4096, { nonEmpty: true }),
    steps: integerIn(2, LIMITS.stepsMax),
    cfg: numberIn(LIMITS.cfgMin, LIMITS.cfgMax),
    scheduler: oneOf(SCHEDULER_NAMES).default('default'),
    provider: oneOf(PROVIDER_CHOICES).default('auto'),
    n: integerIn(1, 64).default(2),
    calibrationN: integerIn(CACHE_PROFILE_LIMITS.promptsMin, 16).default(4),
    thresholdsPerMethod: integerIn(1, 10).default(2),
    seed: integerIn(0, LIMITS.seedMax - 64).default(0),
  },
  { allowEmpty: false },
);

/** `bench.start`: `kind` picks the benchmark; each kind's fields are checked by its own schema. */
export const benchStartRequestSchema = z.unknown().transform((value, ctx) => {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const schema = kind === 'cache' ? cacheBenchRequestSchema : kind === 'hybrid' ? hybridBenchRequestSchema : undefined;
  if (schema === undefined) {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: `kind must be one of hybrid, cache (got ${JSON.stringify(kind ?? null)})`, input: value });
    return z.NEVER;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export const benchListRequestSchema = requestObject('bench.list', { model: text(4096, { nonEmpty: true }).optional() }, { allowEmpty: true });

export const benchChartRequestSchema = requestObject('bench.chart', { ref: text(BENCH_REF_MAX, { nonEmpty: true }) }, { allowEmpty: false });
