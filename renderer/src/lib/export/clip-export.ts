/**
 * One export from the Export menu: which formats a record offers, and running one of them
 * to bytes ready to save. Shared by the menu component and nothing else, so the component
 * holds only state and markup.
 */
import type { GenerationRecord } from '../../../../contract/api';
import { EXPORT_FORMAT_INFO, exportFileName } from '../../../../core/export/export-formats';
import { loadClipFrames, type ClipFrames } from './clip-frames';
import { clipAsPngZip } from './frames-zip';
import { clipAsGif } from './gif-encode';
import type { SaveRequest } from './save-export';
import { encodeVideo } from './video-encode';

export type ClipExportKind = 'webm' | 'mp4' | 'gif' | 'apng' | 'frames';

export const CLIP_EXPORTS: readonly { kind: ClipExportKind; label: string }[] = [
  { kind: 'webm', label: 'WebM video (VP9)' },
  { kind: 'mp4', label: 'MP4 video (H.264)' },
  { kind: 'gif', label: 'GIF' },
  { kind: 'apng', label: 'Animated PNG' },
  { kind: 'frames', label: 'PNG frames (zip)' },
];

/** True when the record is a clip (an animated PNG), false for a still. */
export function isClip(record: GenerationRecord): boolean {
  return record.video !== undefined || record.recipe.video !== undefined;
}

export type Progress = (done: number, total: number) => void;

/** Decodes the clip once per menu; the frames are reused by every format. */
export function clipLoader(url: string, record: GenerationRecord): () => Promise<ClipFrames> {
  let loading: Promise<ClipFrames> | undefined;
  return () => {
    loading ??= loadClipFrames(url, record.recipe);
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

/** Encodes `kind` and names the result; aborting stops before anything is saved. */
export async function runClipExport(kind: ClipExportKind, record: GenerationRecord, clip: ClipFrames, onProgress: Progress, signal: AbortSignal): Promise<SaveRequest> {
  const name = (format: 'webm' | 'mp4' | 'gif' | 'apng'): Pick<SaveRequest, 'fileName' | 'mimeType' | 'extensions'> => ({
    fileName: exportFileName(record.id, format),
    mimeType: EXPORT_FORMAT_INFO[format].mimeType,
    extensions: [EXPORT_FORMAT_INFO[format].extension],
  });
  switch (kind) {
    case 'webm':
    case 'mp4':
      return { ...name(kind), filterName: `${EXPORT_FORMAT_INFO[kind].label} video`, bytes: await encodeVideo(clip, kind, onProgress, signal) };
    case 'gif': {
      const bytes = clipAsGif(clip);
      onProgress(clip.frames.length, clip.frames.length);
      return { ...name('gif'), filterName: 'GIF image', bytes };
    }
    case 'apng':
      return { ...name('apng'), filterName: 'Animated PNG', bytes: clip.bytes };
    case 'frames':
      return { fileName: `studio-${record.id}-frames.zip`, mimeType: 'application/zip', extensions: ['zip'], filterName: 'Zip archive', bytes: await clipAsPngZip(clip, onProgress, signal) };
  }
}
