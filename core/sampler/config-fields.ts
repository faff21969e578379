/**
 * Typed readers over an untrusted scheduler_config.json object.
 *
 * diffusers' `from_config` semantics: a key present in the JSON overrides the target class's
 * default, a key absent takes that default, and keys the target class does not know are ignored
 * (real configs carry many: `_diffusers_version`, `skip_prk_steps`, …). A key we do read must have
 * the right type, otherwise a SchedulerConfigError names it. `null` is accepted only where the
 * diffusers default itself is `None`.
 */
import { SchedulerConfigError } from './scheduler-config-error';

export type ConfigObject = Readonly<Record<string, unknown>>;

const WHERE = 'scheduler_config.json';

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function fail(key: string, expected: string, value: unknown): never {
  throw new SchedulerConfigError(`${WHERE}: "${key}" must be ${expected}, got ${describe(value)}`);
}

/** The config must be a plain JSON object (not an array, not null). */
export function asConfigObject(config: unknown): ConfigObject {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SchedulerConfigError(`${WHERE} must be a JSON object, got ${describe(config)}`);
  }
  return config as ConfigObject;
}

/** A finite number within [min, max] (inclusive); `fallback` when the key is absent. */
export function readNumber(c: ConfigObject, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  if (!(key in c)) return fallback;
  const value = c[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(key, 'a finite number', value);
  if (value < min || value > max) fail(key, `a number in [${min}, ${max}]`, value);
  return value;
}

/** A number > 0. */
export function readPositiveNumber(c: ConfigObject, key: string, fallback: number): number {
  const value = readNumber(c, key, fallback);
  if (value <= 0) fail(key, 'a number > 0', value);
  return value;
}

/** An integer within [min, max]. */
export function readInteger(c: ConfigObject, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!(key in c)) return fallback;
  const value = c[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(key, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

export function readBoolean(c: ConfigObject, key: string, fallback: boolean): boolean {
  if (!(key in c)) return fallback;
  const value = c[key];
  if (typeof value !== 'boolean') fail(key, 'true or false', value);
  return value;
}

/** A string. Required when `fallback` is undefined. */
export function readString(c: ConfigObject, key: string, fallback?: string): string {
  if (!(key in c)) {
    if (fallback === undefined) throw new SchedulerConfigError(`${WHERE}: "${key}" is missing`);
    return fallback;
  }
  const value = c[key];
  if (typeof value !== 'string') fail(key, 'a string', value);
  return value;
}

/** One of `allowed`; `aliases` maps accepted synonyms onto an allowed value (as diffusers does). */
export function readEnum<T extends string>(
  c: ConfigObject,
  key: string,
  allowed: readonly T[],
  fallback: T,
  aliases: Readonly<Record<string, T>> = {},
): T {
  const value = readString(c, key, fallback);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const alias = aliases[value];
  if (alias !== undefined) return alias;
  return fail(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
}

/** A number or null (null and absent both give null). */
export function readNullableNumber(c: ConfigObject, key: string): number | null {
  if (!(key in c) || c[key] === null) return null;
  return readNumber(c, key, 0);
}

/** An array of finite numbers of the given length, or null. */
export function readNullableNumberArray(c: ConfigObject, key: string, length: number): number[] | null {
  if (!(key in c) || c[key] === null) return null;
  const value = c[key];
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(key, `null or an array of ${length} finite numbers`, value);
  }
  return value as number[];
}

/**
 * For options we do not implement: the key may be absent or hold `supported` (its harmless
 * value); anything else is rejected with `why`, so a model never runs with a silently dropped
 * setting.
 */
export function requireSupported(c: ConfigObject, key: string, supported: unknown, why: string): void {
  if (!(key in c)) return;
  const value = c[key];
  if (value === supported) return;
  if (supported !== null && typeof value !== typeof supported) fail(key, describe(supported), value);
  throw new SchedulerConfigError(`${WHERE}: "${key}" = ${describe(value)} is not supported (${why})`);
}
