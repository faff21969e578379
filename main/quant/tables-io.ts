/**
 * Export and import of compensation tables as JSON (the format core/quant/compensation-tables.ts
 * parses). An import is checked whole before anything is written, so a corrupt file changes
 * nothing in the store; a valid one replaces the tables of its key.
 */
import { StudioError } from '../../contract/errors';
import { parseCompensationTables } from '../../core/quant/compensation-tables';
import type { QuantCalibrationsRepo, StoredCalibration } from '../store/quant-calibrations-repo';

/** @throws StudioError NOT_FOUND for an unknown id */
export function exportTables(repo: QuantCalibrationsRepo, id: number): string {
  const found = repo.get(id);
  if (found === undefined) throw new StudioError('NOT_FOUND', `There are no compensation tables #${id}.`);
  return `${JSON.stringify(found.tables)}\n`;
}

/** @throws StudioError INVALID_REQUEST naming what is wrong with the file */
export function importTables(repo: QuantCalibrationsRepo, text: string, now: Date = new Date()): StoredCalibration {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StudioError('INVALID_REQUEST', `The compensation file is not JSON: ${(err as Error).message}. Nothing was imported.`);
  }
  try {
    return repo.put(parseCompensationTables(raw), now.toISOString());
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('INVALID_REQUEST', `The compensation file is ${(err as Error).message}. Nothing was imported.`);
  }
}
