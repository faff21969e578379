/**
 * `studio generate --batch N` and `--from FILE.png`: the options that turn one generate
 * command into a list of requests.
 *
 * - `--batch N` (1..BATCH_MAX) makes N images with seeds S, S+1, …, S+N−1 (wrapping at 2³²),
 *   each its own history row and PNG, as the app's Batch field does.
 * - `--from FILE.png` takes the request a PNG carries (main/recipes/recipe-from-png.ts): a PNG
 *   this studio made re-runs exactly (same pixels); an A1111 PNG gives its prompt and settings.
 *   Only the seed, the batch and where the output goes may change with it: every other
 *   setting is the image's.
 */
import { parseArgs } from 'node:util';
import { LIMITS, type GenerateRequest } from '../../contract/api';
import { BATCH_MAX } from '../../contract/batch';
import { recipeFromPng, type ModelLookup } from '../recipes/recipe-from-png';
import { readPngFile } from '../recipes/read-png-file';
import { integerOption, requiredText, UsageError } from './cli-options';
import { FORCE_OPTION } from './out-file';

export interface BatchArgs {
  batch: number;
  from?: string;
  /** The other arguments, for generate's own parser. */
  rest: string[];
}

/** Takes `--batch N` and `--from FILE` (either spelling, `--x v` or `--x=v`) out of argv. */
export function splitBatchArgs(args: string[]): BatchArgs {
  const rest: string[] = [];
  let batch: string | undefined;
  let from: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const match = /^--(batch|from)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    if (match[1] === 'batch') batch = value;
    else from = value;
  }
  return { batch: integerOption('batch', batch, 1, BATCH_MAX, 1), ...(from !== undefined ? { from: requiredText('from', from) } : {}), rest };
}

export interface FromParsed {
  request: GenerateRequest;
  /** What the PNG's settings could not carry over (printed to stderr). */
  notes: string[];
  out?: string;
  /** --force: --out may replace an existing file. */
  force: boolean;
  json: boolean;
}

/** `generate --from FILE.png [--seed S|-1] [--out F] [--json]`: the PNG's request, with a new seed when asked. */
export function parseFromArgs(file: string, rest: string[], models: ModelLookup, randomSeed: () => number): FromParsed {
  const joined = rest.map((a, i) => (a === '--seed' && rest[i + 1] === '-1' ? '--seed=-1' : a)).filter((a, i) => !(a === '-1' && rest[i - 1] === '--seed'));
  let values: { seed?: string; out?: string; force?: boolean; json?: boolean };
  try {
    ({ values } = parseArgs({ args: joined, options: { seed: { type: 'string' }, out: { type: 'string' }, ...FORCE_OPTION, json: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    throw new UsageError(`with --from, only --seed, --batch, --out, --force and --json may be given: the other settings are the image's (${(err as Error).message})`);
  }
  const imported = recipeFromPng(readPngFile(file), models);
  const request = { ...imported.request };
  if (values.seed !== undefined) request.seed = values.seed.trim() === '-1' ? randomSeed() : integerOption('seed', values.seed, 0, LIMITS.seedMax, 0);
  const parsed: FromParsed = { request, notes: imported.notes, json: values.json ?? false, force: values.force ?? false };
  if (values.out !== undefined) parsed.out = requiredText('out', values.out);
  return parsed;
}
