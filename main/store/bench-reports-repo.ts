/** Stored benchmark reports (migration 0006): insert one, read one back by id. */
import type { Database } from 'better-sqlite3';
import type { BenchRecord, HybridBenchReport } from '../../contract/hybrid-bench';
import { StudioError } from '../../contract/errors';
import { storeError } from './store-error';

export interface BenchReportsRepo {
  insert(kind: BenchRecord['kind'], report: HybridBenchReport, createdAt: string): BenchRecord;
  get(id: number): BenchRecord | undefined;
}

interface Row {
  id: number;
  kind: string;
  created_at: string;
  json: string;
}

export function createBenchReportsRepo(db: Database, file: string): BenchReportsRepo {
  const insert = db.prepare<[string, string, string]>('INSERT INTO bench_reports (kind, created_at, json) VALUES (?, ?, ?)');
  const select = db.prepare<[number], Row>('SELECT id, kind, created_at, json FROM bench_reports WHERE id = ?');
  return {
    insert(kind, report, createdAt) {
      try {
        const info = insert.run(kind, createdAt, JSON.stringify(report));
        return { id: Number(info.lastInsertRowid), kind, createdAt, report };
      } catch (err) {
        throw storeError('saving a benchmark report', file, err);
      }
    },
    get(id) {
      const row = select.get(id);
      if (row === undefined) return undefined;
      try {
        return { id: row.id, kind: row.kind as BenchRecord['kind'], createdAt: row.created_at, report: JSON.parse(row.json) as HybridBenchReport };
      } catch (err) {
        throw new StudioError('STORE', `The database at ${file} is corrupt: benchmark report ${row.id} holds unreadable JSON (${(err as Error).message}).`, file);
      }
    },
  };
}
