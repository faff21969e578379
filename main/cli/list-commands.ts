/**
 * The read-only `studio` subcommands: history, models, providers. Each prints a short
 * table, or with --json the same data the app's API returns (GenerationRecord[],
 * ModelInfo[], ProviderInfo).
 */
import { parseArgs } from 'node:util';
import { LIMITS, type HistoryQuery, type ProviderInfo } from '../../contract/api';
import { validateHistoryQuery } from '../../contract/validate';
import { listAvailableProviders } from '../runtime/ort-runner';
import type { CliContext } from './cli-context';
import { integerOption } from './cli-options';
import { escapeControls, oneLine } from './terminal-text';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** `studio history [--search Q] [--limit N] [--before ID] [--json]`, newest first. */
export function historyCommand(args: string[], ctx: CliContext): number {
  const { values } = parseArgs({
    args,
    options: { search: { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const query: HistoryQuery = {};
  if (values.search !== undefined) query.search = values.search;
  const limit = integerOption('limit', values.limit, 1, LIMITS.historyPageMax);
  if (limit !== undefined) query.limit = limit;
  const before = integerOption('before', values.before, 1, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) query.before = before;
  const records = ctx.db().history.list(validateHistoryQuery(query));
  if (values.json) {
    print(JSON.stringify(records, null, 2));
    return 0;
  }
  if (records.length === 0) {
    print(values.search !== undefined ? `No generations match "${escapeControls(values.search)}".` : 'No generations yet.');
    return 0;
  }
  for (const r of records) {
    const c = r.recipe;
    const clip = r.video ? `  clip ${r.video.frames} frames @ ${r.video.fps} fps` : '';
    print(`#${r.id}  ${escapeControls(r.createdAt)}  seed ${c.seed}  ${c.steps} steps  cfg ${c.cfg}  ${escapeControls(c.modelId)}${clip}  ${oneLine(c.prompt, 60)}`);
    print(`      ${escapeControls(r.outputPath)}`);
  }
  return 0;
}

/** `studio models [--json]`: valid models; folders that failed validation are warned about on stderr. */
export function modelsCommand(args: string[], ctx: CliContext): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const models = ctx.registry.list();
  for (const p of ctx.registry.problems()) process.stderr.write(`studio: warning [${p.code}]: skipped ${p.dir}: ${p.message}\n`);
  if (values.json) {
    print(JSON.stringify(models, null, 2));
    return 0;
  }
  if (models.length === 0) print(`No models found in ${ctx.registry.bundledDir} or ${ctx.registry.userDir}.`);
  for (const m of models) {
    const kind = m.video ? `video ${m.video.framesMin}-${m.video.framesMax} frames (default ${m.video.framesDefault} @ ${m.video.fpsDefault} fps)  ` : '';
    print(`${m.isDefault ? '*' : ' '} ${m.id.padEnd(16)} ${m.source.padEnd(8)} ${m.denoiser.padEnd(12)} ${m.width}x${m.height}  ${kind}${m.scheduler}  ${m.name}`);
    print(`    ${m.dir}`);
  }
  return 0;
}

/** `studio providers [--json]`: execution providers this onnxruntime build offers here. */
export function providersCommand(args: string[]): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const info: ProviderInfo = { available: listAvailableProviders() };
  if (values.json) print(JSON.stringify(info, null, 2));
  else print(`available: ${info.available.join(', ')} (auto tries them in this order)`);
  return 0;
}
