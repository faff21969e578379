/**
 * Zod builders for the fields of a request, each with the message the user sees. Messages of
 * built-in checks are predicates ("must be an integer between 1 and 1000 (got 0)"):
 * contract/validate.ts puts the field's name in front. Messages of custom checks (a rule
 * across fields, the cache config) are whole sentences and are shown as written.
 *
 * Pure TypeScript: zod has no node or DOM dependency, so the renderer can reuse these.
 */
import { z } from 'zod';
import { cacheConfigProblem, cacheConfigSchema } from '../core/cache/cache-config';
import { unknownCacheKnob } from './cache';

/** A short, printable rendering of an offending value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const got = (issue: { input?: unknown }): string => `(got ${describeValue(issue.input)})`;

/** An integer in [min, max]; every failure (type, fraction, range) gets the same message. */
export function integerIn(min: number, max: number) {
  const error = (issue: { input?: unknown }) => `must be an integer between ${min} and ${max} ${got(issue)}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max: number) {
  const error = (issue: { input?: unknown }) => `must be a number between ${min} and ${max} ${got(issue)}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

/** A string of at most `max` UTF-16 code units (the unit of an HTML `maxlength`); `nonEmpty` also refuses blank text. */
export function text(max: number, opts: { nonEmpty: boolean }) {
  const base = z.string({ error: (issue) => `must be a string ${got(issue)}` });
  const checked = opts.nonEmpty ? base.regex(/\S/, { error: 'must not be empty' }) : base;
  return checked.max(max, { error: (issue) => `must be at most ${max} characters (got ${(issue.input as string).length})` });
}

/** One of `choices`. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, { error: (issue) => `must be one of ${choices.join(', ')} ${got(issue)}` });
}

/** An instant as ISO 8601 with a UTC offset (Z or ±hh:mm), as `Date.prototype.toISOString` writes it. */
export const isoInstant = () => z.iso.datetime({ offset: true, error: (issue) => `must be an ISO 8601 date and time such as 2026-01-31T23:00:00.000Z ${got(issue)}` });

/** A record id: a positive safe integer. */
export const recordId = () => integerIn(1, Number.MAX_SAFE_INTEGER);

/**
 * The request object of `call`: unknown keys are refused (a typo such as `cfgScale` must not
 * be ignored silently). With `allowEmpty` (a call whose fields are all optional) no request at
 * all (undefined or null) counts as `{}`, so `POST /api/app.info` needs no body.
 */
export function requestObject<S extends z.ZodRawShape>(call: string, shape: S, opts: { allowEmpty: boolean }) {
  const known = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has an unknown field "${issue.keys[0]}" (${known.length > 0 ? `known fields: ${known.join(', ')}` : 'it takes no fields'})`
        : `must be a JSON object ${got(issue)}`,
  });
  return opts.allowEmpty ? z.preprocess((value) => value ?? {}, schema) : schema;
}

/**
 * A cache config, checked by core/cache's own schema (so the UI, the CLI and the sampler accept
 * exactly the same configs) with defaults filled in; its problem becomes a sentence about
 * `cache`, e.g. `cache: fora: "interval" must be an integer in [1, 100], got 0`.
 */
export const cacheField = () =>
  z.unknown().transform((value, ctx) => {
    const unknownKnob = unknownCacheKnob(value);
    if (unknownKnob !== undefined) {
      ctx.addIssue({ code: 'custom', message: `cache: ${unknownKnob}`, input: value });
      return z.NEVER;
    }
    const result = cacheConfigSchema.safeParse(value);
    if (result.success) return result.data;
    ctx.addIssue({ code: 'custom', message: `cache: ${cacheConfigProblem(result.error)}`, input: value });
    return z.NEVER;
  });
