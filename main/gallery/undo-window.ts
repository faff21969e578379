/**
 * How long a gallery delete can be undone before its rows and files are purged.
 *
 * STUDIO_DELETE_UNDO_MS overrides the default (tests shorten it to see the purge happen); a
 * value outside 1 s..10 min is refused at start with the reason, since a window too short to
 * click Undo in, or one that keeps files for hours, is a mistake rather than a choice.
 */
export const DEFAULT_DELETE_UNDO_MS = 10_000;
const MIN_MS = 1_000;
const MAX_MS = 600_000;

export class UndoWindowError extends Error {
  override name = 'UndoWindowError';
}

export function deleteUndoMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STUDIO_DELETE_UNDO_MS?.trim();
  if (!raw) return DEFAULT_DELETE_UNDO_MS;
  const ms = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ms >= MIN_MS && ms <= MAX_MS)) {
    throw new UndoWindowError(`STUDIO_DELETE_UNDO_MS must be a number of milliseconds between ${MIN_MS} and ${MAX_MS} (got ${JSON.stringify(raw)})`);
  }
  return ms;
}
