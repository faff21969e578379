/**
 * Runtime validators for every request in `StudioCalls`.
 *
 * Why: the types in `contract/api.ts` vanish at a process boundary (IPC, HTTP, argv), so
 * everything a front end sends is checked here before the back end touches it. Each
 * validator returns a fresh object holding only the known fields (defaults filled in), or
 * throws `StudioError('INVALID_REQUEST', message, field)` whose message names the field,
 * the rule and the offending value, e.g.
 * `seed must be an integer between 0 and 4294967295 (got "abc")`.
 *
 * Pure TypeScript: no node, electron or DOM imports, so the renderer can reuse it for
 * form checks.
 */
import {
  CALL_NAMES,
  LIMITS,
  PROVIDER_CHOICES,
  SCHEDULER_NAMES,
  type CallName,
  type CallRequest,
  type GenerateRequest,
  type HistoryQuery,
  type ProviderChoice,
  type SchedulerName,
} from './api';
import { CACHE_PROFILE_LIMITS, type CachePlanRequest, type CacheRunTarget, type ProfileStartRequest } from './cache';
import { CacheConfigError } from '../core/cache/cache-errors';
import { type CacheConfig, validateCacheConfig } from '../core/cache/cache-config';
import { StudioError } from './errors';
import { jobIdRequestSchema, jobsListSchema, parseWith } from './job-schemas';

type Fields = Record<string, unknown>;

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

function invalid(field: string, message: string): never {
  throw new StudioError('INVALID_REQUEST', message, field);
}

/**
 * The request must be a plain object (JSON object). `undefined`/`null` count as `{}` only
 * when `allowEmpty` (calls whose request has no required field), so `POST /api/app.info`
 * with no body works. Unknown keys are rejected so a typo (`cfgScale`) is not silently ignored.
 */
function asObject(call: string, value: unknown, allowed: readonly string[], allowEmpty: boolean): Fields {
  if ((value === undefined || value === null) && allowEmpty) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid('request', `${call} request must be a JSON object (got ${describeValue(value)})`);
  }
  const fields = value as Fields;
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) {
      const known = allowed.length > 0 ? `known fields: ${allowed.join(', ')}` : 'it takes no fields';
      invalid(key, `${call} request has an unknown field "${key}" (${known})`);
    }
  }
  return fields;
}

function integerIn(fields: Fields, field: string, min: number, max: number): number {
  const v = fields[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    invalid(field, `${field} must be an integer between ${min} and ${max} (got ${describeValue(v)})`);
  }
  return v;
}

function numberIn(fields: Fields, field: string, min: number, max: number): number {
  const v = fields[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    invalid(field, `${field} must be a number between ${min} and ${max} (got ${describeValue(v)})`);
  }
  return v;
}

/** Length is counted in UTF-16 code units, the same unit as an HTML `maxlength`. */
function text(fields: Fields, field: string, opts: { max: number; nonEmpty: boolean; fallback?: string }): string {
  const v = fields[field] === undefined && opts.fallback !== undefined ? opts.fallback : fields[field];
  if (typeof v !== 'string') invalid(field, `${field} must be a string (got ${describeValue(v)})`);
  if (opts.nonEmpty && v.trim() === '') invalid(field, `${field} must not be empty`);
  if (v.length > opts.max) {
    invalid(field, `${field} must be at most ${opts.max} characters (got ${v.length})`);
  }
  return v;
}

function oneOf<T extends string>(fields: Fields, field: string, choices: readonly T[], fallback?: T): T {
  const v = fields[field] === undefined ? fallback : fields[field];
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    invalid(field, `${field} must be one of ${choices.join(', ')} (got ${describeValue(fields[field])})`);
  }
  return v as T;
}

const GENERATE_FIELDS = ['prompt', 'negativePrompt', 'steps', 'cfg', 'seed', 'model', 'provider', 'scheduler', 'cache'] as const;

/**
 * The cache config of a request, checked by core/cache's own validator (so the UI, the CLI and
 * the sampler accept exactly the same configs) with defaults filled in; its CacheConfigError
 * becomes an INVALID_REQUEST about `cache`, e.g.
 * `cache: fora: "interval" must be an integer in [1, 100], got 0`.
 */
export function validateCacheField(value: unknown): CacheConfig {
  try {
    return validateCacheConfig(value);
  } catch (err) {
    if (err instanceof CacheConfigError) invalid('cache', `cache: ${err.message}`);
    throw err;
  }
}

/** A model id or an absolute folder path; 4096 is PATH_MAX on Linux. */
function modelField(f: Fields): string {
  return text(f, 'model', { max: 4096, nonEmpty: true });
}

/**
 * Checks one text-to-image request. Defaults: `negativePrompt` '', `provider` 'auto',
 * `scheduler` 'default'; `cache` stays absent when not given; every other field is required.
 */
export function validateGenerateRequest(x: unknown): GenerateRequest {
  const f = asObject('generate.start', x, GENERATE_FIELDS, false);
  const prompt = text(f, 'prompt', { max: LIMITS.promptCharsMax, nonEmpty: true });
  const negativePrompt = text(f, 'negativePrompt', { max: LIMITS.promptCharsMax, nonEmpty: false, fallback: '' });
  const steps = integerIn(f, 'steps', LIMITS.stepsMin, LIMITS.stepsMax);
  const cfg = numberIn(f, 'cfg', LIMITS.cfgMin, LIMITS.cfgMax);
  const seed = integerIn(f, 'seed', 0, LIMITS.seedMax);
  const model = modelField(f);
  const provider: ProviderChoice = oneOf(f, 'provider', PROVIDER_CHOICES, 'auto');
  const scheduler: SchedulerName = oneOf(f, 'scheduler', SCHEDULER_NAMES, 'default');
  const request: GenerateRequest = { prompt, negativePrompt, steps, cfg, seed, model, provider, scheduler };
  if (f.cache !== undefined) request.cache = validateCacheField(f.cache);
  return request;
}

/** model, steps, cfg, scheduler: what a profile or a plan is for. */
function runTarget(f: Fields): CacheRunTarget {
  return {
    model: modelField(f),
    steps: integerIn(f, 'steps', LIMITS.stepsMin, LIMITS.stepsMax),
    cfg: numberIn(f, 'cfg', LIMITS.cfgMin, LIMITS.cfgMax),
    scheduler: oneOf(f, 'scheduler', SCHEDULER_NAMES, 'default'),
  };
}

/** `cache.plan`: a run target plus the cache config to plan. */
export function validateCachePlanRequest(x: unknown): CachePlanRequest {
  const f = asObject('cache.plan', x, ['model', 'steps', 'cfg', 'scheduler', 'cache'], false);
  return { ...runTarget(f), cache: validateCacheField(f.cache) };
}

/**
 * `profiles.start`: a run target, 1..CACHE_PROFILE_LIMITS.promptsMax non-blank prompts, a
 * provider and the first seed. Steps must be at least 2: a profile measures changes between steps.
 */
export function validateProfileStartRequest(x: unknown): ProfileStartRequest {
  const f = asObject('profiles.start', x, ['model', 'steps', 'cfg', 'scheduler', 'prompts', 'provider', 'seed'], false);
  const target = runTarget(f);
  if (target.steps < 2) invalid('steps', `steps must be at least 2 for a calibration profile (got ${target.steps})`);
  const list = f.prompts;
  const { promptsMin, promptsMax } = CACHE_PROFILE_LIMITS;
  if (!Array.isArray(list) || list.length < promptsMin || list.length > promptsMax) {
    invalid('prompts', `prompts must be a list of ${promptsMin} to ${promptsMax} prompts (got ${Array.isArray(list) ? `${list.length}` : describeValue(list)})`);
  }
  const prompts = list.map((p: unknown, i) => text({ [`prompts[${i}]`]: p }, `prompts[${i}]`, { max: LIMITS.promptCharsMax, nonEmpty: true }));
  const provider: ProviderChoice = oneOf(f, 'provider', PROVIDER_CHOICES, 'auto');
  const seed = integerIn(f, 'seed', 0, LIMITS.seedMax - (prompts.length - 1));
  return { ...target, prompts, provider, seed };
}

function validateProfilesList(x: unknown): { model?: string } {
  const f = asObject('profiles.list', x, ['model'], true);
  return f.model === undefined ? {} : { model: modelField(f) };
}

function validateProfileId(call: CallName, x: unknown): { id: number } {
  const f = asObject(call, x, ['id'], false);
  return { id: integerIn(f, 'id', 1, Number.MAX_SAFE_INTEGER) };
}

/** `profiles.import`: the profile file's text; its content is checked by parseCacheProfile on the back end. */
function validateProfileImport(x: unknown): { json: string } {
  const f = asObject('profiles.import', x, ['json'], false);
  return { json: text(f, 'json', { max: CACHE_PROFILE_LIMITS.importBytesMax, nonEmpty: true }) };
}

/** `history.list`: every field optional; `limit` 1..LIMITS.historyPageMax, `before` a record id. */
export function validateHistoryQuery(x: unknown): HistoryQuery {
  const f = asObject('history.list', x, ['search', 'limit', 'before'], true);
  const q: HistoryQuery = {};
  if (f.search !== undefined) q.search = text(f, 'search', { max: LIMITS.promptCharsMax, nonEmpty: false });
  if (f.limit !== undefined) q.limit = integerIn(f, 'limit', 1, LIMITS.historyPageMax);
  if (f.before !== undefined) q.before = integerIn(f, 'before', 1, Number.MAX_SAFE_INTEGER);
  return q;
}

function validateEmpty(call: CallName, x: unknown): Record<string, never> {
  asObject(call, x, [], true);
  return {};
}

function validateHistoryGet(x: unknown): { id: number } {
  const f = asObject('history.get', x, ['id'], false);
  return { id: integerIn(f, 'id', 1, Number.MAX_SAFE_INTEGER) };
}

/** One validator per call; the mapped type makes a missing call a compile error. */
const VALIDATORS: { [K in CallName]: (x: unknown) => CallRequest<K> } = {
  'app.info': (x) => validateEmpty('app.info', x),
  'models.list': (x) => validateEmpty('models.list', x),
  'providers.list': (x) => validateEmpty('providers.list', x),
  'generate.start': validateGenerateRequest,
  'history.list': validateHistoryQuery,
  'history.get': validateHistoryGet,
  'cache.plan': validateCachePlanRequest,
  'profiles.list': validateProfilesList,
  'profiles.start': validateProfileStartRequest,
  'profiles.export': (x) => validateProfileId('profiles.export', x),
  'profiles.import': validateProfileImport,
  'profiles.delete': (x) => validateProfileId('profiles.delete', x),
  'jobs.list': (x) => parseWith('jobs.list', jobsListSchema, x),
  'jobs.cancel': (x) => parseWith('jobs.cancel', jobIdRequestSchema, x),
  'jobs.retry': (x) => parseWith('jobs.retry', jobIdRequestSchema, x),
};

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (CALL_NAMES as readonly string[]).includes(name);
}

/**
 * Validates the request of any call. An unknown call name is itself an INVALID_REQUEST
 * (the name comes from a URL or an IPC channel, so it is untrusted too).
 */
export function validateCallRequest<K extends CallName>(name: K, x: unknown): CallRequest<K> {
  if (!isCallName(name)) {
    invalid('call', `Unknown call ${describeValue(name)} (known calls: ${CALL_NAMES.join(', ')})`);
  }
  const validator = VALIDATORS[name] as (x: unknown) => CallRequest<K>;
  return validator(x);
}
