/**
 * What went wrong with a remote model, as a StudioError a user can act on.
 *
 *   REMOTE_UNAVAILABLE  nothing listening, timed out, connection dropped, server error (5xx), not ready
 *   REMOTE_AUTH         HTTP 401/403: the bearer token is missing or refused
 *   MODEL_NOT_FOUND     HTTP 404 (or Triton's 400 "unknown model") for the model name
 *   REMOTE_PROTOCOL     an answer that is not the model's v2 response, or a 400/413 refusal of ours
 *   CANCELLED           the caller's signal aborted the call
 *
 * Messages name the endpoint and never the token.
 */
import { StudioError } from '../../contract/errors';
import { ConnectionError, ExchangeAborted, type HttpResponse } from './remote-http';

/** The server's own words: v2's `{"error": "..."}`, else the start of the body as text. */
export function serverMessage(res: HttpResponse): string {
  let text = res.body.subarray(0, 2000).toString('utf8');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') text = parsed.error;
  } catch {
    // Not JSON: keep the raw text.
  }
  // Control characters from a hostile server must not reach a terminal.
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 300);
  return clean === '' ? '(empty body)' : clean;
}

/**
 * A non-200 answer.
 * @param what what was asked, e.g. 'model metadata', 'inference'
 * @param hadToken whether a bearer token was sent (changes the advice for 401/403)
 */
export function statusError(res: HttpResponse, endpoint: string, what: string, hadToken: boolean): StudioError {
  const said = serverMessage(res);
  const s = res.status;
  if (s === 401 || s === 403) {
    const advice = hadToken ? 'the token was refused; check it' : 'the server expects a bearer token and none was given';
    return new StudioError('REMOTE_AUTH', `${endpoint} refused ${what} with HTTP ${s} (${said}): ${advice}.`, endpoint);
  }
  if (s === 404) return new StudioError('MODEL_NOT_FOUND', `${endpoint}: the server has no such model (HTTP 404: ${said}).`, endpoint);
  if (s === 413) return new StudioError('REMOTE_PROTOCOL', `${endpoint} refused ${what} as too large (HTTP 413: ${said}).`, endpoint);
  if (s >= 500) return new StudioError('REMOTE_UNAVAILABLE', `${endpoint} failed ${what} with HTTP ${s}: ${said}.`, endpoint);
  return new StudioError('REMOTE_PROTOCOL', `${endpoint} refused ${what} with HTTP ${s}: ${said}.`, endpoint);
}

/**
 * A failure without a usable answer.
 * @param callerSignal the caller's own signal: when it aborted, the call was cancelled, else it timed out
 */
export function exchangeError(err: unknown, endpoint: string, what: string, timeoutMs: number, callerSignal?: AbortSignal): StudioError {
  if (err instanceof ExchangeAborted) {
    if (callerSignal?.aborted) return new StudioError('CANCELLED', `${endpoint}: ${what} was cancelled.`);
    return new StudioError('REMOTE_UNAVAILABLE', `${endpoint} did not complete ${what} within ${timeoutMs} ms.`, endpoint);
  }
  if (err instanceof ConnectionError) {
    if (err.code === 'ETOOLARGE') return new StudioError('REMOTE_PROTOCOL', `${endpoint} sent an oversized answer to ${what}: ${err.message}.`, endpoint);
    const tries = err.attempts > 1 ? ` (tried ${err.attempts} times)` : '';
    if (err.answered) {
      return new StudioError('REMOTE_UNAVAILABLE', `${endpoint} dropped the connection during ${what}: ${err.message}; the server may have stopped.`, endpoint);
    }
    const why =
      err.code === 'ECONNREFUSED' ? 'nothing is listening there'
      : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'the host name does not resolve'
      : err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'the server closed the connection before answering; it may have stopped'
      : err.message;
    return new StudioError('REMOTE_UNAVAILABLE', `Cannot reach ${endpoint} for ${what}: ${why} (${err.code})${tries}.`, endpoint);
  }
  if (err instanceof StudioError) return err;
  return new StudioError('INTERNAL', `${endpoint}: ${what} failed: ${err instanceof Error ? err.message : String(err)}.`, endpoint);
}
