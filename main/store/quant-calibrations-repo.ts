/**
 * Compensation tables (migration 0007), keyed by (component hash, variant, scheduler, steps, CFG,
 * size). `find` looks up the tables of a run; `forVariant` lists what exists for a variant so a
 * refusal can say which settings are calibrated. Storing replaces the row of the same key.
 */
import type { Database } from 'better-sqlite3';
import { type CompensationKey, type CompensationTables, parseCompensationTables } from '../../core/quant/compensation-tables';
import { StudioError } from '../../contract/errors';
import { storeError } from './store-error';

export interface StoredCalibration {
  id: number;
  createdAt: string;
  tables: CompensationTables;
}

export interface QuantCalibrationsRepo {
  /** Inserts or replaces the tables for their key. */
  put(tables: CompensationTables, createdAt: string): StoredCalibration;
  get(id: number): StoredCalibration | undefined;
  /** The tables whose key matches in every field but the variant's sha256 (checked by the caller, to say why). */
  find(key: CompensationKey): StoredCalibration | undefined;
  forVariant(componentHash: string, variant: string): StoredCalibration[];
}

interface Row {
  id: number;
  created_at: string;
  json: string;
}

export function createQuantCalibrationsRepo(db: Database, file: string): QuantCalibrationsRepo {
  const upsert = db.prepare(
    `INSERT INTO quant_calibrations (component_hash, variant, variant_sha256, scheduler, steps, cfg, width, height, created_at, json)
     VALUES (@componentHash, @variant, @variantSha256, @scheduler, @steps, @cfg, @width, @height, @createdAt, @json)
     ON CONFLICT (component_hash, variant, scheduler, steps, cfg, width, height)
     DO UPDATE SET variant_sha256 = excluded.variant_sha256, created_at = excluded.created_at, json = excluded.json`,
  );
  const byId = db.prepare<[number], Row>('SELECT id, created_at, json FROM quant_calibrations WHERE id = ?');
  const byKey = db.prepare<[string, string, string, number, number, number, number], Row>(
    'SELECT id, created_at, json FROM quant_calibrations WHERE component_hash = ? AND variant = ? AND scheduler = ? AND steps = ? AND cfg = ? AND width = ? AND height = ?',
  );
  const idOf = db.prepare<[string, string, string, number, number, number, number], { id: number }>(
    'SELECT id FROM quant_calibrations WHERE component_hash = ? AND variant = ? AND scheduler = ? AND steps = ? AND cfg = ? AND width = ? AND height = ?',
  );
  const byVariant = db.prepare<[string, string], Row>('SELECT id, created_at, json FROM quant_calibrations WHERE component_hash = ? AND variant = ? ORDER BY id');
  const read = (row: Row): StoredCalibration => {
    try {
      return { id: row.id, createdAt: row.created_at, tables: parseCompensationTables(JSON.parse(row.json)) };
    } catch (err) {
      throw new StudioError('STORE', `The database at ${file} is corrupt: compensation table ${row.id} cannot be read (${(err as Error).message}).`, file);
    }
  };
  const keyArgs = (k: CompensationKey): [string, string, string, number, number, number, number] => [k.componentHash, k.variant, k.scheduler, k.steps, k.cfg, k.width, k.height];
  return {
    put(tables, createdAt) {
      try {
        const k = tables.key;
        upsert.run({ ...k, createdAt, json: JSON.stringify(tables) });
        const id = (idOf.get(...keyArgs(k)) as { id: number }).id;
        return { id, createdAt, tables };
      } catch (err) {
        throw storeError('saving compensation tables', file, err);
      }
    },
    get(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : read(row);
    },
    find(key) {
      const row = byKey.get(...keyArgs(key));
      return row === undefined ? undefined : read(row);
    },
    forVariant(componentHash, variant) {
      return byVariant.all(componentHash, variant).map(read);
    },
  };
}
