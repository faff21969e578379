/** Stored benchmark reports (migration 0006): insert one, read one back by id, list them. */
import type { Database } from 'better-sqlite3';
import type { StoredBenchRecord } from '../../contract/bench';
import { StudioError } from '../../contract/errors';
import { storeError } from './store-error';

/** A report of one kind, as `insert` takes it. */
export type BenchReportOf<K extends StoredBenchRecord['kind']> = Extract<StoredBenchRecord, { kind: K }>['report'];

export interface BenchReportsRepo {
  insert<K extends StoredBenchRecord['kind']>(kind: K, report: BenchReportOf<K>, createdAt: string): Extract<StoredBenchRecord, { kind: K }>;
  get(id: number): StoredBenchRecord | undefined;
  /** Every stored report, newest first (unreadable rows are skipped: one bad row must not hide the rest). */
  list(): StoredBenchRecord[];
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
  const selectAll = db.prepare<[], Row>('SELECT id, kind, created_at, json FROM bench_reports ORDER BY id DESC');
  const record = (row: Row): StoredBenchRecord =>
    ({ id: row.id, kind: row.kind, createdAt: row.created_at, report: JSON.parse(row.json) as unknown }) as StoredBenchRecord;
  return {
    insert(kind, report, createdAt) {
      try {
        const info = insert.run(kind, createdAt, JSON.stringify(report));
        return { id: Number(info.lastInsertRowid), kind, createdAt, report } as Extract<StoredBenchRecord, { kind: typeof kind }>;
      } catch (err) {
        throw storeError('saving a benchmark report', file, err);
      }
    },
    get(id) {
      const row = select.get(id);
      if (row === undefined) return undefined;
      try {
        return record(row);
      } catch (err) {
        throw new StudioError('STORE', `The database at ${file} is corrupt: benchmark report ${row.id} holds unreadable JSON (${(err as Error).message}).`, file);
      }
    },
    list() {
      const out: StoredBenchRecord[] = [];
      for (const row of selectAll.all()) {
        try {
          out.push(record(row));
        } catch {
          // Reported by `get` when that report is opened.
        }
      }
      return out;
    },
  };
}
