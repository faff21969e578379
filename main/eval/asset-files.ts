/**
 * Reading an evaluation set's files (the image eval's and the motion eval's): every problem is a
 * MODEL_CORRUPT error naming the file (and line), followed by how to rebuild the set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

export interface AssetReader {
  corrupt(dir: string, rel: string, problem: string): StudioError;
  /** The whole file as JSON. */
  json(dir: string, rel: string): unknown;
  /** Each non-blank line of a JSON-lines file, parsed; `where` names the file and its 1-based line. */
  jsonLines(dir: string, rel: string): { row: unknown; line: number; where: string }[];
}

/** @param hint how to rebuild the set, appended to every error */
export function assetReader(hint: string): AssetReader {
  const corrupt = (dir: string, rel: string, problem: string): StudioError =>
    new StudioError('MODEL_CORRUPT', `${path.join(dir, rel)}: ${problem}. ${hint}`, rel);
  return {
    corrupt,
    json(dir, rel) {
      try {
        return JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8')) as unknown;
      } catch (err) {
        throw corrupt(dir, rel, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
    },
    jsonLines(dir, rel) {
      const rows: { row: unknown; line: number; where: string }[] = [];
      fs.readFileSync(path.join(dir, rel), 'utf8').split(/\r?\n/).forEach((text, i) => {
        if (text.trim() === '') return;
        const where = `${rel} line ${i + 1}`;
        try {
          rows.push({ row: JSON.parse(text) as unknown, line: i + 1, where });
        } catch {
          throw corrupt(dir, where, 'not a JSON object');
        }
      });
      return rows;
    },
  };
}
