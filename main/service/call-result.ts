/**
 * Runs one call and packs the outcome into a `CallResult` envelope, for both transports.
 *
 * Why envelopes: Electron keeps only `message` of an Error thrown through ipcMain.handle,
 * and HTTP has no exceptions at all, so errors cross as data (`{ ok: false, error }`)
 * with their code intact. Unexpected errors (INTERNAL) are logged here with their stack,
 * since the front end only ever sees the message.
 */
import type { CallName, CallResponse, CallResult } from '../../contract/api';
import { toApiError } from '../../contract/errors';
import type { StudioService } from './studio-service';

export async function callResult<K extends CallName>(
  service: StudioService,
  name: K,
  rawRequest: unknown,
): Promise<CallResult<CallResponse<K>>> {
  try {
    return { ok: true, value: await service.handle(name, rawRequest) };
  } catch (err) {
    const error = toApiError(err);
    if (error.code === 'INTERNAL') console.error(`studio: ${name} failed unexpectedly:`, err);
    return { ok: false, error };
  }
}
