/**
 * Hands an exported file to the user: the system's save dialog in the desktop app (the file
 * is written by main, staged then renamed; cancelling writes nothing), a download in
 * browser mode (the browser decides where it goes).
 */
import { findPreload } from '../preload-client';
import { unwrap } from '../envelope';
import { downloadBlob } from '../download';

export type SaveOutcome = { kind: 'saved'; path: string } | { kind: 'downloaded' } | { kind: 'cancelled' };

export interface SaveRequest {
  bytes: Uint8Array;
  fileName: string;
  mimeType: string;
  /** Dialog filter, e.g. "MP4 video" with ['mp4']. */
  filterName: string;
  extensions: string[];
}

export async function saveExport(request: SaveRequest): Promise<SaveOutcome> {
  const desktop = findPreload()?.desktop;
  if (desktop) {
    const result = unwrap<{ saved: false } | { saved: true; path: string }>(
      await desktop.saveFile({ suggestedName: request.fileName, filterName: request.filterName, extensions: request.extensions, bytes: request.bytes as Uint8Array<ArrayBuffer> }),
      'save file',
    );
    return result.saved ? { kind: 'saved', path: result.path } : { kind: 'cancelled' };
  }
  downloadBlob(new Blob([request.bytes as Uint8Array<ArrayBuffer>], { type: request.mimeType }), request.fileName);
  return { kind: 'downloaded' };
}

/** Whether this window is the desktop app (save dialog, Reveal in folder). */
export function isDesktop(): boolean {
  return findPreload()?.desktop !== undefined;
}

/** Shows the record's file in the system's file manager (desktop app only). */
export async function revealInFolder(id: number): Promise<void> {
  const desktop = findPreload()?.desktop;
  if (!desktop) return;
  unwrap(await desktop.revealMedia({ id }), 'reveal in folder');
}
