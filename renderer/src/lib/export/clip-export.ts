/**
 * One export from the Export menu, run to bytes ready to save. Loaded on first use (a
 * dynamic import from the menu), so the encoders (mediabunny, gifenc, fflate) are not part
 * of the app's start-up bundle.
 */
import type { GenerationRecord } from '../../../../contract/api';
import { EXPORT_FORMAT_INFO, exportFileName } from '../../../../core/export/export-formats';
import type { ClipFrames } from './clip-frames';
import { clipAsPngZip } from './frames-zip';
import { clipAsGif } from './gif-encode';
import type { ClipExportKind } from './export-options';
import type { SaveRequest } from './save-export';
import { encodeVideo } from './video-encode';

export type Progress = (done: number, total: number) => void;

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

export { loadClipFrames } from './clip-frames';
