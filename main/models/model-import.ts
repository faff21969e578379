/**
 * Importing a diffusers ONNX folder into STUDIO_HOME/models/<id>/, all or nothing:
 *
 *   1. checks (before any byte is copied, so a bad folder fails the call itself): the folder
 *      exists, passes the registry's layout checks (runtime/pipeline-layout.ts: missing parts,
 *      corrupt or truncated .onnx, LFS pointers, weights outside the folder), and its id
 *      (studio.json `id`, else the folder name) is a folder name no installed model uses;
 *   2. copy: every file the content hash covers (hidden files left out, links followed) into a
 *      hidden staging folder `.import-<pid>-<uuid>` beside the models (the registry skips hidden
 *      folders), hashing the source bytes on the way (runtime/model-hash.ts's definition);
 *   3. verify: the staged copy is hashed again from disk and must equal the source's hash, and
 *      passes the layout checks;
 *   4. install: one rename of the staging folder to models/<id> — a model is there whole or not
 *      at all. A 'link' import stages a symbolic link to the source instead of a copy.
 *
 * A failure or a cancel removes the staging folder. Staging folders of processes that died
 * mid-copy are removed at the next import.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { JobStage } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import type { ModelImportRequest, ModelImportResult } from '../../contract/models';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import { folderHash, listFiles, type FileEntry, type HashStore } from '../runtime/model-hash';
import type { ModelRegistry } from './model-registry';

/** Folder names an imported model may take: portable on every OS and safe in a URL. */
const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const STAGING_PREFIX = '.import-';
/** Progress is counted in MiB copied. */
const PROGRESS_UNIT = 1024 * 1024;

export interface ImportPlan {
  source: string;
  modelId: string;
  /** models/<id>: where the model will be. */
  target: string;
  mode: ModelImportRequest['mode'];
  files: FileEntry[];
  bytes: number;
}

/** Steps the import's progress counts: MiB to copy (1 for a link). */
export function importJobSize(plan: Pick<ImportPlan, 'mode' | 'bytes'>): number {
  return plan.mode === 'link' ? 1 : Math.max(1, Math.ceil(plan.bytes / PROGRESS_UNIT));
}

function stringId(studioJson: Record<string, unknown> | undefined): string | undefined {
  const id = studioJson?.id;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}

/**
 * Everything that can be checked before copying.
 * @throws StudioError MODEL_NOT_FOUND (no such folder) | MODEL_LAYOUT | MODEL_CORRUPT | INVALID_REQUEST (id taken or unusable, folder already inside the models folder)
 */
export function planModelImport(req: ModelImportRequest, registry: ModelRegistry): ImportPlan {
  if (!path.isAbsolute(req.path)) throw new StudioError('INVALID_REQUEST', `path must be an absolute folder path (got "${req.path}").`, 'path');
  const source = path.resolve(req.path);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new StudioError('MODEL_NOT_FOUND', `There is no folder at ${source}.`, 'path');
  }
  if (!stat.isDirectory()) throw new StudioError('MODEL_LAYOUT', `${source} is a file; choose the pipeline's folder (the one holding model_index.json).`, 'path');
  const userDir = registry.userDir;
  const real = fs.realpathSync(source);
  if (real === userDir || real.startsWith(`${userDir}${path.sep}`) || userDir.startsWith(`${real}${path.sep}`)) {
    throw new StudioError('INVALID_REQUEST', `${source} is inside the studio's models folder (or holds it); import a folder from elsewhere.`, 'path');
  }
  const layout = checkPipelineLayout(source);
  const modelId = stringId(layout.studioJson) ?? path.basename(source);
  if (!MODEL_ID_PATTERN.test(modelId)) {
    throw new StudioError(
      'INVALID_REQUEST',
      `The model's id "${modelId}" cannot be a folder name: use letters, digits, dots, dashes and underscores (set "id" in ${path.join(source, 'studio.json')}).`,
      'path',
    );
  }
  const target = path.join(userDir, modelId);
  const taken = registry.list().find((m) => m.id === modelId);
  if (taken || fs.existsSync(target)) {
    const where = taken ? `${taken.source === 'bundled' ? 'a bundled model' : 'an installed model'} at ${taken.dir}` : `the folder ${target}`;
    throw new StudioError('INVALID_REQUEST', `A model with id "${modelId}" is already installed (${where}). Delete it first, or give the new one another "id" in its studio.json.`, 'path');
  }
  const files = listFiles(source);
  return { source, modelId, target, mode: req.mode, files, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/** Removes staging folders (and folders being deleted) whose process is gone: a crash or kill mid-import or mid-delete. */
export function removeStaleStaging(userDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(userDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^\.(?:import|delete)-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(userDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ImportHooks {
  signal?: AbortSignal;
  onProgress?: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
}

export interface ImportContext {
  registry: ModelRegistry;
  /** Records the import; the job's store completes the job in the same transaction. */
  record: (entry: Omit<ModelImportResult, 'id'>) => ModelImportResult;
  hashes?: HashStore;
}

function cancelled(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Copies the plan's files into `staging`, returning the sha256 of the source bytes by model-hash.ts's definition. */
async function copyHashing(plan: ImportPlan, staging: string, hooks: ImportHooks): Promise<string> {
  const hash = crypto.createHash('sha256');
  const total = importJobSize(plan);
  let copied = 0;
  let reported = -1;
  for (const file of plan.files) {
    if (cancelled(hooks.signal)) throw new StudioError('CANCELLED', 'The import was cancelled; nothing was installed.');
    hash.update(`${file.rel}\0${file.size}\0`);
    const dest = path.join(staging, ...file.rel.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        copied += chunk.length;
        const step = Math.min(total, Math.floor(copied / PROGRESS_UNIT));
        if (step !== reported) {
          reported = step;
          hooks.onProgress?.({ stage: 'load', step, totalSteps: total });
        }
        done(null, chunk);
      },
    });
    await streamPipeline(fs.createReadStream(file.abs, { highWaterMark: 1 << 20 }), tap, fs.createWriteStream(dest, { flags: 'wx' }), {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
  }
  return hash.digest('hex');
}

/**
 * Runs the import planned by `planModelImport` (planned again here: the folder may have changed
 * since the call was queued).
 * @throws StudioError as planModelImport, MODEL_CORRUPT (the copy differs from the source), CANCELLED
 */
export async function runModelImport(req: ModelImportRequest, ctx: ImportContext, hooks: ImportHooks = {}): Promise<ModelImportResult> {
  const plan = planModelImport(req, ctx.registry);
  const userDir = ctx.registry.userDir;
  fs.mkdirSync(userDir, { recursive: true });
  removeStaleStaging(userDir);
  const staging = path.join(userDir, `${STAGING_PREFIX}${process.pid}-${crypto.randomUUID()}`);
  let installed = false;
  try {
    let sha256: string;
    if (plan.mode === 'link') {
      // The type matters on Windows only, where a junction needs no administrator privilege.
      fs.symlinkSync(plan.source, staging, 'junction');
      sha256 = await folderHash(plan.source, ctx.hashes);
    } else {
      fs.mkdirSync(staging);
      sha256 = await copyHashing(plan, staging, hooks);
      const copyHash = await folderHash(staging);
      if (copyHash !== sha256) {
        throw new StudioError('MODEL_CORRUPT', `The copy of ${plan.source} does not match it (sha256 ${copyHash.slice(0, 12)}… against ${sha256.slice(0, 12)}…): a file changed while it was copied, or the disk returned other bytes. Nothing was installed; try again.`, 'path');
      }
      checkPipelineLayout(staging);
    }
    if (cancelled(hooks.signal)) throw new StudioError('CANCELLED', 'The import was cancelled; nothing was installed.');
    try {
      fs.renameSync(staging, plan.target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new StudioError('INVALID_REQUEST', `A model folder ${plan.target} appeared while importing; nothing was installed.`, 'path');
      throw err;
    }
    installed = true;
    const result = ctx.record({
      modelId: plan.modelId,
      source: plan.source,
      dir: plan.target,
      mode: plan.mode,
      sha256,
      bytes: plan.bytes,
      createdAt: new Date().toISOString(),
    });
    hooks.onProgress?.({ stage: 'save', step: importJobSize(plan), totalSteps: importJobSize(plan) });
    return result;
  } catch (err) {
    // Not recorded (cancelled meanwhile, or the store failed): the model must not stay half-known.
    if (installed) removeModelFolder(plan.target);
    if (err instanceof Error && err.name === 'AbortError') throw new StudioError('CANCELLED', 'The import was cancelled; nothing was installed.');
    throw err;
  } finally {
    removeModelFolder(staging);
  }
}

/** Removes a model folder, or only the link when it is one (never the folder a link points at). */
export function removeModelFolder(dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) fs.unlinkSync(dir);
  else fs.rmSync(dir, { recursive: true, force: true });
}
