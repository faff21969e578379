/**
 * `studio export`: one history record written as a file of the asked format, staged in a
 * temp file and renamed into place (atomic-file.ts).
 *
 *   clip  → gif  (in-process, gifenc), apng (the stored file), webm / mp4 (ffmpeg)
 *   still → png  (the stored file)
 *
 * The recipe travels inside every format: the PNG/APNG `studio-recipe` iTXt chunk, a GIF
 * comment extension, the WebM/MP4 `comment` tag.
 */
import fs from 'node:fs';
import { StudioError } from '../../contract/errors';
import { CLIP_FORMATS, defaultExportScale, MAX_EXPORT_SCALE, EXPORT_FORMAT_INFO, type ExportFormat } from '../../core/export/export-formats';
import { encodeChunk, PNG_SIGNATURE } from '../png/png-chunks';
import { readPngChunks } from '../png/png-reader';
import { RECIPE_KEYWORD, textChunk } from '../png/png-writer';
import type { HistoryRepo } from '../store/history-repo';
import { writeAtomically } from './atomic-file';
import { loadExportSource, type ExportSource } from './export-source';
import { encodeWithFfmpeg } from './ffmpeg-export';
import { gifBytes } from './gif-export';

export interface ExportRequest {
  id: number;
  format: ExportFormat;
  /** Absolute file path to write. */
  target: string;
  /** Whole-number upscale for gif, webm, mp4; default defaultExportScale. */
  scale?: number;
  /** Replace an existing target. */
  replace: boolean;
  signal?: AbortSignal;
  /** Frames encoded so far of `total` (ffmpeg formats). */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  file: string;
  format: ExportFormat;
  bytes: number;
  frames: number;
  /** Pixel size of the written file. */
  width: number;
  height: number;
  fps: number;
}

/** The stored PNG/APNG, with a `studio-recipe` chunk added after IHDR when it lacks one. */
function pngWithRecipe(source: ExportSource): Buffer {
  if (source.decoded.texts[RECIPE_KEYWORD] !== undefined) return source.bytes;
  const [ihdr, ...rest] = readPngChunks(source.bytes);
  if (ihdr === undefined) return source.bytes;
  return Buffer.concat([PNG_SIGNATURE, encodeChunk(ihdr.type, ihdr.data), textChunk(RECIPE_KEYWORD, source.recipeText, true), ...rest.map((c) => encodeChunk(c.type, c.data))]);
}

function checkFormat(source: ExportSource, req: ExportRequest): void {
  const id = req.id;
  const isClip = source.decoded.animated;
  if (isClip && req.format === 'png') {
    throw new StudioError('INVALID_REQUEST', `History record #${id} is a clip; export it as ${CLIP_FORMATS.join(', ')}.`, 'format');
  }
  if (!isClip && req.format !== 'png') {
    throw new StudioError('INVALID_REQUEST', `History record #${id} is a still image; export it as png.`, 'format');
  }
  if (req.scale !== undefined && !EXPORT_FORMAT_INFO[req.format].scaled) {
    throw new StudioError('INVALID_REQUEST', `${req.format} export keeps the stored pixels; --scale applies to gif, webm and mp4.`, 'scale');
  }
  if (req.scale !== undefined && (!Number.isInteger(req.scale) || req.scale < 1 || req.scale > MAX_EXPORT_SCALE)) {
    throw new StudioError('INVALID_REQUEST', `The scale must be a whole number 1..${MAX_EXPORT_SCALE} (got ${req.scale}).`, 'scale');
  }
}

/** @throws StudioError NOT_FOUND | INVALID_REQUEST | ENCODER | CANCELLED; the target is untouched on any failure */
export async function exportRecord(history: HistoryRepo, req: ExportRequest, env: NodeJS.ProcessEnv = process.env): Promise<ExportResult> {
  const source = loadExportSource(history, req.id);
  checkFormat(source, req);
  const { width, height, frames } = source.decoded;
  const scale = EXPORT_FORMAT_INFO[req.format].scaled ? (req.scale ?? defaultExportScale(width, height)) : 1;
  const format = req.format;
  await writeAtomically(req.target, { replace: req.replace, signal: req.signal }, async (temp) => {
    if (format === 'png' || format === 'apng') fs.writeFileSync(temp, pngWithRecipe(source), { flag: 'wx' });
    else if (format === 'gif') fs.writeFileSync(temp, gifBytes(source, scale), { flag: 'wx' });
    else {
      await encodeWithFfmpeg(
        { format, width, height, frames: frames.map((f) => f.rgba), fps: source.fps, scale, comment: source.recipeText, outFile: temp, signal: req.signal, onFrame: (n) => req.onProgress?.(n, frames.length) },
        env,
      );
    }
  });
  const evenUp = (n: number): number => (format === 'mp4' ? n + (n % 2) : n);
  return {
    file: req.target,
    format,
    bytes: fs.statSync(req.target).size,
    frames: frames.length,
    width: evenUp(width * scale),
    height: evenUp(height * scale),
    fps: source.fps,
  };
}
