/** The one check a generation makes between its stages and steps: a cancelled run throws and returns nothing. */
import { StudioError } from '../../contract/errors';

/** @throws StudioError CANCELLED once `signal` has fired */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('CANCELLED', 'The generation was cancelled.');
}
