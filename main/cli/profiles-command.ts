/**
 * The stored calibration profiles:
 *   studio profiles [--model ID] [--json]          list, newest first
 *   studio profiles export ID --out FILE [--force] write the profile JSON (byte for byte as stored)
 *   studio profiles import FILE [--json]           check and store a profile file
 *   studio profiles delete ID
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE_PROFILE_LIMITS } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { deleteProfile, exportProfile, importProfile, listProfiles } from '../cache/profile-transfer';
import { stageFile } from '../generation/output-file';
import { FORCE_OPTION, refuseOverwrite } from './out-file';
import type { CliContext } from './cli-context';
import { integerOption, requiredText, UsageError } from './cli-options';
import { formatProfileSummary } from './profile-command';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function profileId(raw: string | undefined): number {
  return integerOption('id', requiredText('id', raw), 1, Number.MAX_SAFE_INTEGER, 0);
}

async function list(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { model: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const profiles = await listProfiles(ctx.db(), ctx.registry, values.model);
  if (values.json) print(JSON.stringify(profiles, null, 2));
  else if (profiles.length === 0) print(values.model === undefined ? 'No cache profiles yet (record one with "studio profile").' : `No cache profiles for ${values.model}.`);
  else for (const p of profiles) print(formatProfileSummary(p));
  return 0;
}

function exportCommand(args: string[], ctx: CliContext): number {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' }, ...FORCE_OPTION }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('usage: studio profiles export ID --out FILE [--force]');
  const out = path.resolve(requiredText('out', values.out));
  refuseOverwrite(out, values.force ?? false);
  const json = exportProfile(ctx.db(), profileId(positionals[0]));
  const staged = stageFile(out, Buffer.from(json, 'utf8'));
  try {
    staged.commit();
  } catch (err) {
    staged.discard();
    throw new StudioError('INTERNAL', `Could not write ${out}: ${err instanceof Error ? err.message : String(err)}`, 'out');
  }
  print(out);
  return 0;
}

async function importCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('usage: studio profiles import FILE');
  const file = path.resolve(positionals[0] as string);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StudioError('INVALID_REQUEST', `The profile file ${file} does not exist.`, file);
  }
  if (!stat.isFile()) throw new StudioError('INVALID_REQUEST', `${file} is not a file.`, file);
  if (stat.size > CACHE_PROFILE_LIMITS.importBytesMax) throw new StudioError('INVALID_REQUEST', `The profile file ${file} is ${stat.size} bytes; at most ${CACHE_PROFILE_LIMITS.importBytesMax} are accepted.`, file);
  const summary = await importProfile(ctx.db(), ctx.registry, fs.readFileSync(file, 'utf8'));
  print(values.json ? JSON.stringify(summary, null, 2) : `imported profile ${formatProfileSummary(summary)}`);
  return 0;
}

function deleteCommand(args: string[], ctx: CliContext): number {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('usage: studio profiles delete ID');
  const id = profileId(positionals[0]);
  if (!deleteProfile(ctx.db(), id)) throw new StudioError('NOT_FOUND', `There is no cache profile ${id}.`, 'id');
  print(`deleted profile #${id}`);
  return 0;
}

/** Runs `studio profiles …`; resolves to the exit code. */
export async function profilesCommand(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export':
      return exportCommand(rest, ctx);
    case 'import':
      return importCommand(rest, ctx);
    case 'delete':
      return deleteCommand(rest, ctx);
    default:
      return list(args, ctx);
  }
}
