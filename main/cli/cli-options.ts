/**
 * Turning argv strings into checked values for the `studio` command.
 *
 * A bad value is a usage error (exit code 2) whose message names the option, the rule and
 * what was given, e.g. `--seed must be an integer 0..4294967295 (got "abc")`. Numbers are
 * plain decimal only: "1e3", "0x10", "12abc" and "" are refused rather than half-parsed.
 */

/** A command-line mistake: printed as `studio: error: <message>`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function shown(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** `raw` as an integer in min..max, or `fallback` when the option was not given. */
export function integerOption(name: string, raw: string | undefined, min: number, max: number, fallback: number): number;
export function integerOption(name: string, raw: string | undefined, min: number, max: number): number | undefined;
export function integerOption(name: string, raw: string | undefined, min: number, max: number, fallback?: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!INTEGER.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer ${min}..${max} (got ${shown(raw)})`);
  }
  return value;
}

/** `raw` as a finite decimal number in min..max, or `fallback` when not given. */
export function numberOption(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!DECIMAL.test(raw.trim()) || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number ${min}..${max} (got ${shown(raw)})`);
  }
  return value;
}

/** `raw` as one of `choices`, or `fallback` when not given. */
export function choiceOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${shown(raw)})`);
  }
  return raw as T;
}

/** A required text option that must not be blank. */
export function requiredText(name: string, raw: string | undefined): string {
  if (raw === undefined) throw new UsageError(`--${name} is required`);
  if (raw.trim() === '') throw new UsageError(`--${name} must not be empty`);
  return raw;
}
