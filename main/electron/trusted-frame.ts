/**
 * Which renderer frames may use the studio's IPC (VS Code's validatedIpcMain check).
 *
 * Kept free of electron imports so it is unit-tested under plain Node; ipc.ts passes
 * Electron's `WebFrameMain`, which has this shape.
 */
import { STUDIO_SCHEME } from '../../contract/preload-api';

/** Host of the renderer's origin, studio://app. */
export const APP_HOST = 'app';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * True only for a top-level frame (no parent: iframes are refused) showing a page of
 * studio://app. WHATWG URL gives custom schemes an opaque origin ("null"), so protocol
 * and host are compared instead of `origin`.
 */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${STUDIO_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
