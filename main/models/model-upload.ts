/**
 * A pipeline folder uploaded from the page (contract/model-upload.ts), kept in
 * STUDIO_HOME/uploads/<uploadId>/<name>/ while it arrives:
 *
 *   begin   the page declares every file and its size; the folder must hold a model_index.json
 *           (anything else is not a diffusers pipeline), every file is created empty;
 *   chunk   each file arrives in order: a chunk must start where the file's received bytes end
 *           and may not run past its declared size, so a retried or reordered chunk cannot
 *           corrupt a file silently;
 *   finish  every file complete, the folder passes the import checks (layout, corrupt .onnx,
 *           free id: model-import.ts planModelImport), is hashed, and one rename moves it into
 *           STUDIO_HOME/models/<id> (the same disk, so nothing is copied twice), then recorded;
 *   cancel  the upload's folder is removed.
 *
 * Uploads live in this process only: folders of uploads it does not know (an earlier run, a page
 * that went away before the studio restarted) are removed when the next upload begins.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import type { ModelImportResult } from '../../contract/models';
import { MODEL_UPLOAD_LIMITS, type ModelUploadBegin, type ModelUploadChunk } from '../../contract/model-upload';
import { folderHash, type HashStore } from '../runtime/model-hash';
import { planModelImport } from './model-import';
import type { ModelRegistry } from './model-registry';

interface UploadFile {
  size: number;
  received: number;
}

interface Upload {
  /** uploads/<uploadId>: removed as a whole. */
  root: string;
  /** uploads/<uploadId>/<name>: the pipeline folder. */
  dir: string;
  name: string;
  files: Map<string, UploadFile>;
}

export interface ModelUploadsOptions {
  uploadsDir: string;
  registry: ModelRegistry;
  record: (entry: Omit<ModelImportResult, 'id'>) => ModelImportResult;
  hashes?: () => HashStore;
}

export class ModelUploads {
  readonly #active = new Map<string, Upload>();
  readonly #opts: ModelUploadsOptions;

  constructor(opts: ModelUploadsOptions) {
    this.#opts = opts;
  }

  begin(req: ModelUploadBegin): { uploadId: string } {
    this.#removeUnknown();
    const files = new Map<string, UploadFile>();
    let total = 0;
    for (const f of req.files) {
      if (files.has(f.path)) throw new StudioError('INVALID_REQUEST', `files names ${f.path} twice.`, 'files');
      files.set(f.path, { size: f.size, received: 0 });
      total += f.size;
    }
    if (total > MODEL_UPLOAD_LIMITS.totalBytes) throw new StudioError('INVALID_REQUEST', `The folder holds ${total} bytes; an upload takes at most ${MODEL_UPLOAD_LIMITS.totalBytes}.`, 'files');
    if (!files.has('model_index.json')) {
      throw new StudioError('MODEL_LAYOUT', `${req.name} has no model_index.json at its top: choose the pipeline's folder itself (diffusers ONNX layout).`, 'files');
    }
    const uploadId = crypto.randomUUID();
    const root = path.join(this.#opts.uploadsDir, uploadId);
    const dir = path.join(root, req.name);
    for (const rel of files.keys()) {
      const file = path.join(dir, ...rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, new Uint8Array(0));
    }
    this.#active.set(uploadId, { root, dir, name: req.name, files });
    return { uploadId };
  }

  chunk(req: ModelUploadChunk): { received: number } {
    const upload = this.#get(req.uploadId);
    const file = upload.files.get(req.path);
    if (!file) throw new StudioError('INVALID_REQUEST', `${req.path} is not one of the files this upload declared.`, 'path');
    if (req.offset !== file.received) throw new StudioError('INVALID_REQUEST', `${req.path}: the chunk starts at byte ${req.offset}, but ${file.received} bytes have arrived; send the chunk that starts there.`, 'offset');
    const bytes = Buffer.from(req.data, 'base64');
    if (file.received + bytes.length > file.size) throw new StudioError('INVALID_REQUEST', `${req.path}: the chunk runs past the ${file.size} bytes declared for it.`, 'data');
    fs.appendFileSync(path.join(upload.dir, ...req.path.split('/')), bytes);
    file.received += bytes.length;
    return { received: file.received };
  }

  /** @throws StudioError INVALID_REQUEST (a file incomplete, the id taken) | MODEL_LAYOUT | MODEL_CORRUPT | NOT_FOUND */
  async finish(uploadId: string): Promise<ModelImportResult> {
    const upload = this.#get(uploadId);
    try {
      for (const [rel, f] of upload.files) {
        if (f.received !== f.size) throw new StudioError('INVALID_REQUEST', `${rel} is incomplete: ${f.received} of ${f.size} bytes arrived.`, 'uploadId');
      }
      const plan = planModelImport({ path: upload.dir, mode: 'copy' }, this.#opts.registry);
      const sha256 = await folderHash(upload.dir, this.#opts.hashes?.());
      fs.renameSync(upload.dir, plan.target);
      try {
        return this.#opts.record({ modelId: plan.modelId, source: `upload: ${upload.name}`, dir: plan.target, mode: 'copy', sha256, bytes: plan.bytes, createdAt: new Date().toISOString() });
      } catch (err) {
        fs.rmSync(plan.target, { recursive: true, force: true });
        throw err;
      }
    } finally {
      this.cancel(uploadId);
    }
  }

  cancel(uploadId: string): { cancelled: boolean } {
    const upload = this.#active.get(uploadId);
    if (!upload) return { cancelled: false };
    this.#active.delete(uploadId);
    fs.rmSync(upload.root, { recursive: true, force: true });
    return { cancelled: true };
  }

  #get(uploadId: string): Upload {
    const upload = this.#active.get(uploadId);
    if (!upload) throw new StudioError('NOT_FOUND', `There is no upload ${uploadId} in progress (it finished, was cancelled, or the studio restarted since).`, 'uploadId');
    return upload;
  }

  #removeUnknown(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.#opts.uploadsDir);
    } catch {
      return;
    }
    for (const name of names) if (!this.#active.has(name)) fs.rmSync(path.join(this.#opts.uploadsDir, name), { recursive: true, force: true });
  }
}
