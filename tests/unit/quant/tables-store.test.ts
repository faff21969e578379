/**
 * Compensation tables in SQLite: keyed storage, export/import as JSON, and refusals of corrupt
 * files and of tables fitted for another run, with nothing in the store lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keyMismatches, parseCompensationTables } from '../../../core/quant/compensation-tables';
import { exportTables, importTables } from '../../../main/quant/tables-io';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { tables } from './fixtures';

let db: StudioDb;
beforeAll(() => {
  db = openStudioDb(path.join(tempDir('studio-quant-tables-'), 'studio.db'));
});
afterAll(() => {
  db.close();
  cleanupTempDirs();
});

describe('compensation tables store', () => {
  test('put replaces the row of the same key; find matches every key field', () => {
    const a = db.quantCalibrations.put(tables(3, 2), '2026-01-01T00:00:00Z');
    const b = db.quantCalibrations.put({ ...tables(3, 2), fit: { prompts: 9, seed: 2 } }, '2026-01-02T00:00:00Z');
    expect(b.id).toBe(a.id);
    expect(db.quantCalibrations.get(a.id)?.tables.fit.prompts).toBe(9);
    const other = db.quantCalibrations.put(tables(4, 2), '2026-01-03T00:00:00Z');
    expect(other.id).not.toBe(a.id);
    expect(db.quantCalibrations.find({ ...tables(3, 2).key, cfg: 5 })).toBeUndefined();
    expect(db.quantCalibrations.find(tables(4, 2).key)?.id).toBe(other.id);
    expect(db.quantCalibrations.forVariant('c'.repeat(64), 'int8-w8a8')).toHaveLength(2);
  });

  test('export then import round-trips; a corrupt file is refused and changes nothing', () => {
    const stored = db.quantCalibrations.put(tables(5, 2, () => [0.1, -0.2]), '2026-01-04T00:00:00Z');
    const json = exportTables(db.quantCalibrations, stored.id);
    const file = path.join(tempDir(), 'tables.json');
    fs.writeFileSync(file, json);
    expect(importTables(db.quantCalibrations, fs.readFileSync(file, 'utf8')).tables).toEqual(stored.tables);
    const before = db.quantCalibrations.forVariant('c'.repeat(64), 'int8-w8a8');
    expect(() => importTables(db.quantCalibrations, '{"format": "studio-quant-compensation", "version": 1')).toThrow(/not JSON.*Nothing was imported/);
    const bad = JSON.parse(json);
    bad.tcec.K[2] = [0.1];
    expect(() => importTables(db.quantCalibrations, JSON.stringify(bad))).toThrow(/tcec\.K\[2\] must be 2 finite numbers/);
    expect(db.quantCalibrations.forVariant('c'.repeat(64), 'int8-w8a8')).toEqual(before);
    expect(() => exportTables(db.quantCalibrations, 9999)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  test('parse names the first problem', () => {
    const ok = JSON.parse(JSON.stringify(tables(2, 1)));
    expect(parseCompensationTables(ok).key.steps).toBe(2);
    expect(() => parseCompensationTables(null)).toThrow(/JSON object/);
    expect(() => parseCompensationTables({ ...ok, format: 'x' })).toThrow(/"format"/);
    expect(() => parseCompensationTables({ ...ok, key: { ...ok.key, steps: 0 } })).toThrow(/key\.steps/);
    expect(() => parseCompensationTables({ ...ok, ptqd: { ...ok.ptqd, k: [0, Number.NaN] } })).toThrow(/ptqd\.k/);
    expect(() => parseCompensationTables({ ...ok, strength: { ptqd: -1, tcec: 1 } })).toThrow(/"strength"/);
  });

  test('keyMismatches says which field differs, for another model, variant, step count or CFG', () => {
    const k = tables(3, 2).key;
    expect(keyMismatches(k, k)).toEqual([]);
    expect(keyMismatches(k, { ...k, componentHash: 'd'.repeat(64), variant: 'int8-other', steps: 4, cfg: 7 })).toEqual([
      `componentHash: calibrated ${'c'.repeat(64)}, this run ${'d'.repeat(64)}`,
      'variant: calibrated int8-w8a8, this run int8-other',
      'steps: calibrated 3, this run 4',
      'cfg: calibrated 4, this run 7',
    ]);
  });
});
