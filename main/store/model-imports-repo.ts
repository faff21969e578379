/** Imported models (migration 0009): record an import, read one back, find a model's newest. */
import type { Database } from 'better-sqlite3';
import type { ModelImportResult } from '../../contract/models';
import { storeError } from './store-error';

export interface ModelImportsRepo {
  insert(entry: Omit<ModelImportResult, 'id'>): ModelImportResult;
  get(id: number): ModelImportResult | undefined;
  /** The newest import that installed `dir`, if the studio imported it. */
  latestFor(dir: string): ModelImportResult | undefined;
}

interface Row {
  id: number;
  model_id: string;
  source: string;
  dir: string;
  mode: string;
  sha256: string;
  bytes: number;
  created_at: string;
}

const fromRow = (r: Row): ModelImportResult => ({
  id: r.id,
  modelId: r.model_id,
  source: r.source,
  dir: r.dir,
  mode: r.mode === 'link' ? 'link' : 'copy',
  sha256: r.sha256,
  bytes: r.bytes,
  createdAt: r.created_at,
});

export function createModelImportsRepo(db: Database, file: string): ModelImportsRepo {
  const insert = db.prepare<[string, string, string, string, string, number, string]>(
    'INSERT INTO model_imports (model_id, source, dir, mode, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[number], Row>('SELECT * FROM model_imports WHERE id = ?');
  const byDir = db.prepare<[string], Row>('SELECT * FROM model_imports WHERE dir = ? ORDER BY id DESC LIMIT 1');
  return {
    insert(e) {
      try {
        const info = insert.run(e.modelId, e.source, e.dir, e.mode, e.sha256, e.bytes, e.createdAt);
        return { id: Number(info.lastInsertRowid), ...e };
      } catch (err) {
        throw storeError('recording a model import', file, err);
      }
    },
    get(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : fromRow(row);
    },
    latestFor(dir) {
      const row = byDir.get(dir);
      return row === undefined ? undefined : fromRow(row);
    },
  };
}
