/**
 * What an export starts from: a history record, its stored file's bytes and its frames.
 *
 * Whether the record is a clip or a still is read from the file itself (an acTL chunk
 * makes it an animated PNG), so an export never disagrees with what the file holds. The
 * recipe text is the file's own `studio-recipe` chunk when it has one (it may carry more
 * than the history row, e.g. a latent walk's end points), else the row's recipe as JSON.
 */
import fs from 'node:fs';
import { StudioError } from '../../contract/errors';
import type { GenerationRecord } from '../../contract/api';
import { apngFps, decodeApng, type DecodedApng } from '../png/apng-reader';
import { RECIPE_KEYWORD } from '../png/png-writer';
import type { HistoryRepo } from '../store/history-repo';

export interface ExportSource {
  record: GenerationRecord;
  /** The stored file, unchanged. */
  bytes: Buffer;
  decoded: DecodedApng;
  /** Frames per second; 0 for a still. */
  fps: number;
  /** The recipe as JSON text, to embed in the exported file. */
  recipeText: string;
}

/** @throws StudioError NOT_FOUND (no such record, or its file is gone) | INVALID_REQUEST (the file is not a PNG the reader takes) */
export function loadExportSource(history: HistoryRepo, id: number): ExportSource {
  const record = history.get(id);
  if (record === undefined) throw new StudioError('NOT_FOUND', `There is no history record #${id} (see "studio history").`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(record.outputPath);
  } catch (err) {
    throw new StudioError('NOT_FOUND', `The file of history record #${id} cannot be read (${(err as Error).message}).`, record.outputPath);
  }
  const decoded = decodeApng(bytes);
  const recipeText = decoded.texts[RECIPE_KEYWORD] ?? JSON.stringify(record.recipe);
  return { record, bytes, decoded, fps: decoded.animated ? apngFps(decoded) : 0, recipeText };
}
