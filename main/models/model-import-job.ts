/** The `model-import` job kind: model-import.ts run in the worker, its row stored with the job's completion. */
import path from 'node:path';
import type { JobStage } from '../../contract/api';
import type { ModelImportRequest, ModelImportResult } from '../../contract/models';
import type { StudioDb } from '../store/studio-db';
import { listFiles } from '../runtime/model-hash';
import { importJobSize, runModelImport } from './model-import';
import type { ModelRegistry } from './model-registry';

export function runModelImportJob(
  req: ModelImportRequest,
  ctx: { registry: ModelRegistry; db: StudioDb },
  hooks: { signal: AbortSignal; onProgress: (p: { stage: JobStage; step: number; totalSteps: number }) => void },
): Promise<ModelImportResult> {
  return runModelImport(req, { registry: ctx.registry, record: (entry) => ctx.db.modelImports.insert(entry), hashes: ctx.db.folderHashes }, hooks);
}

/** MiB the import will copy (1 for a link, or when the folder cannot be read: the run reports why). */
export function modelImportJobSize(req: ModelImportRequest): number {
  if (req.mode === 'link') return 1;
  try {
    return importJobSize({ mode: req.mode, bytes: listFiles(path.resolve(req.path)).reduce((sum, f) => sum + f.size, 0) });
  } catch {
    return 1;
  }
}
