/**
 * What the model manager shows of one model (`models.card`): its README (markdown text; the page
 * renders it without raw HTML), its contact sheet as a data: URL (the page's CSP allows data:
 * images, and no file route is needed), its size on disk and its content hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MODEL_CARD_LIMITS, type ModelCard } from '../../contract/models';
import { StudioError } from '../../contract/errors';
import { folderHash, listFiles } from '../runtime/model-hash';
import type { StudioDb } from '../store/studio-db';
import type { ModelRegistry } from './model-registry';

function readText(file: string, maxChars: number): string | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      // 4 bytes per char at most in UTF-8: a bounded read, whatever the file's size.
      const buf = Buffer.alloc(maxChars * 4);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n).toString('utf8').slice(0, maxChars);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

function contactSheet(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MODEL_CARD_LIMITS.contactSheetBytes) return null;
    const bytes = fs.readFileSync(file);
    // Only a real PNG is offered as one (the signature), whatever the file is called.
    if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return null;
    return `data:image/png;base64,${bytes.toString('base64')}`;
  } catch {
    return null;
  }
}

/** @throws StudioError MODEL_NOT_FOUND when `id` is not a listed model */
export async function modelCard(id: string, registry: ModelRegistry, db: StudioDb): Promise<ModelCard> {
  const model = registry.list().find((m) => m.id === id);
  if (!model) throw new StudioError('MODEL_NOT_FOUND', `No installed model has the id "${id}".`, 'id');
  const files = listFiles(model.dir);
  const imported = db.modelImports.latestFor(model.dir);
  return {
    modelId: model.id,
    source: model.source,
    linked: fs.lstatSync(model.dir).isSymbolicLink(),
    dir: model.dir,
    readme: readText(path.join(model.dir, 'README.md'), MODEL_CARD_LIMITS.readmeChars),
    contactSheet: contactSheet(path.join(model.dir, 'contact-sheet.png')),
    bytes: files.reduce((sum, f) => sum + f.size, 0),
    files: files.length,
    sha256: await folderHash(model.dir, db.folderHashes),
    imported: imported ? { source: imported.source, createdAt: imported.createdAt } : null,
  };
}
