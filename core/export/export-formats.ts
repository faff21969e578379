/**
 * The file formats a history record can be exported to, shared by the CLI (`studio
 * export`) and the app's Export menu so both name, size and label them alike.
 *
 * A clip (an animated PNG in the media store) exports as GIF, APNG, WebM (VP9) or MP4
 * (H.264); a still image exports as its PNG. Pixel-art sized frames are scaled up by a
 * whole factor with nearest-neighbour sampling, so a 64×64 clip becomes a sharp 512×512
 * video rather than a blur when a player stretches it.
 */

export const CLIP_FORMATS = ['gif', 'apng', 'webm', 'mp4'] as const;
export const STILL_FORMATS = ['png'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];
export type ExportFormat = ClipFormat | (typeof STILL_FORMATS)[number];
export const EXPORT_FORMATS: readonly ExportFormat[] = [...CLIP_FORMATS, ...STILL_FORMATS];

export interface ExportFormatInfo {
  label: string;
  extension: string;
  mimeType: string;
  /** true when the format is re-encoded at a scale; false when the stored pixels are kept as they are. */
  scaled: boolean;
}

export const EXPORT_FORMAT_INFO: Readonly<Record<ExportFormat, ExportFormatInfo>> = {
  gif: { label: 'GIF', extension: 'gif', mimeType: 'image/gif', scaled: true },
  apng: { label: 'APNG', extension: 'png', mimeType: 'image/apng', scaled: false },
  webm: { label: 'WebM (VP9)', extension: 'webm', mimeType: 'video/webm', scaled: true },
  mp4: { label: 'MP4 (H.264)', extension: 'mp4', mimeType: 'video/mp4', scaled: true },
  png: { label: 'PNG', extension: 'png', mimeType: 'image/png', scaled: false },
};

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Largest whole-number upscale accepted. */
export const MAX_EXPORT_SCALE = 16;
/** Longest side the default scale aims at, in pixels. */
export const DEFAULT_EXPORT_SIDE = 512;

/** The default scale: the largest whole factor keeping the longer side ≤ 512 px, at least 1 (64×64 → 8). */
export function defaultExportScale(width: number, height: number): number {
  const factor = Math.floor(DEFAULT_EXPORT_SIDE / Math.max(width, height, 1));
  return Math.min(MAX_EXPORT_SCALE, Math.max(1, factor));
}

/** `base.ext`: the name an export of history record `id` is offered under. */
export function exportFileName(id: number, format: ExportFormat): string {
  return `studio-${id}.${EXPORT_FORMAT_INFO[format].extension}`;
}
