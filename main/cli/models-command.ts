/**
 * `studio models import DIR [--link] [--json]` and `studio models delete ID`: the model manager
 * from the command line, with the same checks, staging and hash verification as the app's
 * `models.import` job (main/models/model-import.ts). Ctrl-C stops an import and leaves nothing.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deleteUserModel } from '../models/model-delete';
import { runModelImport } from '../models/model-import';
import type { CliContext } from './cli-context';
import { UsageError } from './cli-options';
import { onInterrupt } from './interrupt';

export const MODELS_HELP = `Usage: studio models [--json]
       studio models import DIR [--link] [--json]
       studio models delete ID

Lists bundled models and those in STUDIO_HOME/models; * marks the default.

import copies a diffusers ONNX pipeline folder into STUDIO_HOME/models/<id> (id: studio.json's
"id", else the folder name) after checking its layout, and verifies the copy's content hash
before it appears; --link links to the folder instead of copying it. delete removes a user
model (only the link, for a linked one); bundled models cannot be deleted.`;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export async function modelsImportCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { link: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`studio models import takes one folder\n\n${MODELS_HELP}`);
  const db = ctx.db();
  const interrupt = onInterrupt('the import');
  try {
    const result = await runModelImport(
      { path: path.resolve(positionals[0] as string), mode: values.link ? 'link' : 'copy' },
      { registry: ctx.registry, record: (entry) => db.modelImports.insert(entry), hashes: db.folderHashes },
      { signal: interrupt.signal },
    );
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`imported ${result.modelId} (${result.mode === 'link' ? 'linked' : 'copied'}, ${mib(result.bytes)}, sha256 ${result.sha256.slice(0, 12)}…)\n    ${result.dir}\n`);
    return 0;
  } finally {
    interrupt.dispose();
  }
}

export function modelsDeleteCommand(args: string[], ctx: CliContext): number {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`studio models delete takes one model id\n\n${MODELS_HELP}`);
  deleteUserModel(positionals[0] as string, ctx.registry);
  process.stdout.write(`deleted ${positionals[0]}\n`);
  return 0;
}
