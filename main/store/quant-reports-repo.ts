/** Quantize job results (migration 0007): insert one, read one back by id. */
import type { Database } from 'better-sqlite3';
import type { QuantizeResult } from '../../contract/quant';
import { StudioError } from '../../contract/errors';
import { storeError } from './store-error';

export interface QuantReportsRepo {
  insert(result: Omit<QuantizeResult, 'id'>): QuantizeResult;
  get(id: number): QuantizeResult | undefined;
  /** The newest report of each variant of `modelId`, newest first. */
  latest(modelId: string): QuantizeResult[];
}

export function createQuantReportsRepo(db: Database, file: string): QuantReportsRepo {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO quant_reports (model_id, variant, created_at, json) VALUES (?, ?, ?, ?)');
  const select = db.prepare<[number], { id: number; json: string }>('SELECT id, json FROM quant_reports WHERE id = ?');
  const byModel = db.prepare<[string], { id: number }>('SELECT MAX(id) AS id FROM quant_reports WHERE model_id = ? GROUP BY variant ORDER BY id DESC');
  const repo: QuantReportsRepo = {
    latest(modelId) {
      return byModel.all(modelId).flatMap((r) => repo.get(r.id) ?? []);
    },
    insert(result) {
      try {
        const info = insert.run(result.modelId, result.variant, result.createdAt, JSON.stringify(result));
        return { ...result, id: Number(info.lastInsertRowid) };
      } catch (err) {
        throw storeError('saving a quantization report', file, err);
      }
    },
    get(id) {
      const row = select.get(id);
      if (row === undefined) return undefined;
      try {
        return { ...(JSON.parse(row.json) as QuantizeResult), id: row.id };
      } catch (err) {
        throw new StudioError('STORE', `The database at ${file} is corrupt: quantization report ${row.id} holds unreadable JSON (${(err as Error).message}).`, file);
      }
    },
  };
  return repo;
}
