/**
 * Reads a calibration profile from untrusted JSON (a file the user may have edited, truncated or
 * copied from another version) and checks every field's type and every array's length against the
 * step count and latent shape, so the policies can index it without further checks.
 *
 * Two zod passes: the header (version, key, latent shape) first, because the step count T, the
 * channel count C and the CFG branches it fixes size every array of the body.
 * @throws CacheProfileError with the path of the first bad field, e.g.
 *   'cache profile: stats.cond.prompts[2].residualDist has 10 values, expected 45'.
 */
import { z } from 'zod';
import { formatIssuePath } from '../../schema/issue-path';
import { CacheProfileError } from '../cache-errors';
import { BRANCHES, type Branch } from '../types';
import { diagonalPairCount, strictPairCount } from './pair-index';
import { type BranchProfile, type CacheProfile, type MeasuredReuseCost, type PooledChannelSums, type PromptTrajectoryStats, READABLE_PROFILE_VERSIONS, branchesForCfg } from './profile-types';

/** Messages below are predicates; profileProblem puts the field's path in front. */
const shown = (issue: { input?: unknown }): string => JSON.stringify(issue.input);
const object = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: 'must be an object' });

/** `length` finite numbers. */
function series(length: number) {
  return z
    .array(z.number({ error: (issue) => `is ${shown(issue)}, not a finite number` }), { error: 'must be an array of numbers' })
    .length(length, { error: (issue) => `has ${(issue.input as unknown[]).length} values, expected ${length}` });
}

const integerFrom = (min: number) => z.int({ error: (issue) => `must be an integer ≥ ${min}, got ${shown(issue)}` }).min(min, { error: (issue) => `must be an integer ≥ ${min}, got ${shown(issue)}` });

const headerSchema = object({
  version: z.literal(READABLE_PROFILE_VERSIONS, { error: (issue) => `is ${shown(issue)}, this build reads versions ${READABLE_PROFILE_VERSIONS.join(' and ')}; recalibrate` }),
  key: object({
    modelHash: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
    scheduler: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
    steps: integerFrom(2),
    shift: z.number({ error: (issue) => `must be a positive number, got ${shown(issue)}` }).positive({ error: (issue) => `must be a positive number, got ${shown(issue)}` }),
    cfg: z.number({ error: (issue) => `must be a number ≥ 0, got ${shown(issue)}` }).min(0, { error: (issue) => `must be a number ≥ 0, got ${shown(issue)}` }),
    width: integerFrom(1),
    height: integerFrom(1),
    frames: integerFrom(1).optional(),
  }),
  latentShape: series(3)
    .refine((shape) => shape.every((v) => Number.isInteger(v) && v > 0), { error: 'must be 3 positive integers' })
    .transform((shape) => shape as [number, number, number]),
});

/** One calibration prompt's per-step series (length T) and pair series (T(T−1)/2). */
function promptSchema(T: number): z.ZodType<PromptTrajectoryStats> {
  const pairs = series(strictPairCount(T));
  return object({
    inputL1: series(T), outputL1: series(T), residualL1: series(T), probeRelL1: series(T), magnitudeRatio: series(T),
    inputDist: pairs, outputDist: pairs, residualDist: pairs,
  });
}

/** Per-channel sums: the row count is checked before the rows, so a wrong shape names the grid. */
function pooledSchema(T: number, channels: number): z.ZodType<PooledChannelSums> {
  const rows = `must have one row per latent channel (${channels})`;
  const grid = (n: number) => z.array(z.unknown(), { error: rows }).length(channels, { error: rows }).pipe(z.array(series(n)));
  return object({
    count: z.int({ error: 'must be a positive integer' }).min(1, { error: 'must be a positive integer' }),
    x: grid(T), xx: grid(T), r: grid(T), rr: grid(T), xr: grid(diagonalPairCount(T)), rr2: grid(strictPairCount(T)),
  });
}

/** ERTACache's measured reuse cost: per-step gains, finite and ≥ 0. */
function reuseCostSchema(T: number): z.ZodType<MeasuredReuseCost> {
  const gains = series(T).refine((g) => g.every((v) => v >= 0), { error: 'must hold numbers ≥ 0' });
  return object({
    method: z.literal('rollout', { error: (issue) => `must be "rollout", got ${shown(issue)}` }),
    space: z.enum(['image', 'latent'], { error: (issue) => `must be "image" or "latent", got ${shown(issue)}` }),
    prompts: integerFrom(1),
    finalGain: gains,
    x0Gain: gains,
  });
}

function branchSchema(T: number, channels: number): z.ZodType<BranchProfile> {
  return object({ prompts: z.array(promptSchema(T), { error: 'must be a non-empty array' }).min(1, { error: 'must be a non-empty array' }), pooled: pooledSchema(T, channels) });
}

/** Everything after the header, for a run of T steps, `channels` latent channels and CFG scale `cfg`. */
function bodySchema(T: number, channels: number, cfg: number) {
  const branches = branchesForCfg(cfg);
  const branch = branchSchema(T, channels);
  const absent = (what: string) => z.undefined({ error: `is present but CFG scale ${cfg} has no ${what}` });
  const stats = Object.fromEntries(BRANCHES.map((b) => [b, branches.includes(b) ? branch : absent(`${b} branch`)]));
  return z.object({
    branches: z
      .unknown()
      .refine((listed) => Array.isArray(listed) && listed.length === branches.length && branches.every((b, i) => listed[i] === b), {
        error: (issue) => `must be ${JSON.stringify(branches)} for CFG scale ${cfg}, got ${shown(issue)}`,
      })
      .transform((): Branch[] => branches),
    timesteps: series(T),
    sigmas: series(T + 1).nullable(),
    probeSource: z.enum(['input', 'probe'], { error: (issue) => `must be "input" or "probe", got ${shown(issue)}` }),
    stats: object(stats).transform((s) => s as Partial<Record<Branch, BranchProfile>>),
    // Profiles recorded before the guided series existed have none (ERTACache's 'branches' signal uses them).
    guided: (branches.length === 1 ? z.null().or(absent('guidance')) : branch.nullish()).transform((g) => g ?? null),
    // Version-1 profiles have none; a version-2 profile has it or null.
    reuseCost: reuseCostSchema(T).nullish().transform((c) => c ?? null),
  });
}

/** The first issue of a failed parse as one sentence, its path in front. */
function profileProblem(error: z.ZodError): CacheProfileError {
  const issue = error.issues[0];
  const path = issue === undefined ? '' : formatIssuePath(issue.path);
  return new CacheProfileError(`cache profile${path === '' ? '' : `: ${path}`} ${issue?.message ?? 'is invalid'}`);
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw profileProblem(result.error);
  return result.data;
}

/** Parses a JSON string or an already-parsed value. */
export function parseCacheProfile(json: unknown): CacheProfile {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new CacheProfileError(`cache profile is not valid JSON: ${(err as Error).message}`);
    }
  }
  const { version, key, latentShape } = parseWith(headerSchema, value);
  const body = parseWith(bodySchema(key.steps, latentShape[0], key.cfg), value);
  return { version, key, latentShape, ...body, reuseCost: version === 1 ? null : body.reuseCost };
}
