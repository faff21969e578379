/**
 * What only the desktop app offers the renderer, beside the studio calls: saving a file
 * through the system's save dialog and showing a history file in its folder. Browser mode
 * has neither (a download replaces the one, and a web page cannot open the file manager),
 * so these are not StudioCalls: the preload exposes them as `window.studio.desktop`, and
 * the renderer checks for it.
 *
 * Each request crosses a process boundary and is validated in main with these schemas.
 * Answers are CallResult envelopes, like the calls.
 */
import { z } from 'zod';
import type { CallResult } from './api';

/** IPC channels, one per function (never a generic invoke). */
export const DESKTOP_CHANNELS = { saveFile: 'studio-desktop:saveFile', revealMedia: 'studio-desktop:revealMedia' } as const;

/** The largest file the renderer may hand over to save, in bytes. */
export const SAVE_FILE_MAX_BYTES = 1024 ** 3;

export const saveFileRequestSchema = z.strictObject({
  /** File name the dialog proposes (no folder). */
  suggestedName: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\\/:*?"<>|\u0000-\u001f]+$/, { error: 'must be a file name without a folder or reserved characters' }),
  /** Name of the dialog's file-type filter, e.g. "MP4 video". */
  filterName: z.string().min(1).max(60),
  /** Extensions of that filter, without dots. */
  extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/)).min(1).max(4),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= SAVE_FILE_MAX_BYTES, { error: `must be at most ${SAVE_FILE_MAX_BYTES} bytes` }),
});
export type SaveFileRequest = z.infer<typeof saveFileRequestSchema>;
/** `saved: false` when the user cancelled the dialog: nothing was written. */
export type SaveFileResult = { saved: false } | { saved: true; path: string };

export const revealMediaRequestSchema = z.strictObject({ id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export type RevealMediaRequest = z.infer<typeof revealMediaRequestSchema>;

export interface DesktopApi {
  /** Asks where to save (the system dialog), then writes `bytes` there (temp file, then rename). */
  saveFile(request: SaveFileRequest): Promise<CallResult<SaveFileResult>>;
  /** Opens the file manager at history record `id`'s file, selected. */
  revealMedia(request: RevealMediaRequest): Promise<CallResult<{ revealed: true }>>;
}
