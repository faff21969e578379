/**
 * `POST /api/<call>`: checks the request (known call, method, content type), applies the
 * body limits of request-body.ts (413 from Content-Length alone, 503 BUSY beyond the shared
 * budget, 408 for a stalled body), parses the JSON and answers with the call's envelope.
 * Every error still carries an envelope body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CALL_NAMES, type CallName } from '../../contract/api';
import { CACHE_PROFILE_LIMITS } from '../../contract/cache';
import type { ApiError } from '../../contract/errors';
import { RECIPE_PNG_BASE64_MAX } from '../../contract/recipe-import';
import { isCallName } from '../../contract/validate';
import { callResult } from '../service/call-result';
import type { StudioService } from '../service/studio-service';
import { sendError, sendJson } from './http-responses';
import { type BodyBudget, declaredLength, discardBody, readBody } from './request-body';
import { isJsonContentType } from './request-guard';

/** Largest accepted call body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Calls whose bodies may be larger: a calibration profile (50 steps, 16 prompts) is a few MB
 * of JSON, so `profiles.import` takes up to the contract's import limit (plus JSON quoting);
 * `recipe.fromPng` carries a PNG as base64.
 */
export function bodyLimitFor(name: CallName): number {
  if (name === 'recipe.fromPng') return RECIPE_PNG_BASE64_MAX + 1024;
  return name === 'profiles.import' ? 2 * CACHE_PROFILE_LIMITS.importBytesMax : MAX_BODY_BYTES;
}

/**
 * Bytes of request bodies received at once, across all requests: one largest
 * `profiles.import` body plus room for ordinary calls beside it. A body costs about five
 * times its size while it is parsed (chunks, joined buffer, string, two JSON parses), so
 * this bounds the memory uploads can take to roughly 0.7 GiB however many arrive at once.
 */
export const DEFAULT_BODY_BUDGET_BYTES = 2 * CACHE_PROFILE_LIMITS.importBytesMax + 8 * MAX_BODY_BYTES;

/** Silence, in ms, after which a body that is still arriving is given up on (408). */
export const DEFAULT_BODY_TIMEOUT_MS = 15_000;

export interface CallContext {
  service: StudioService;
  budget: BodyBudget;
  bodyTimeoutMs: number;
}

/**
 * Answers before the body was read (or while it is still arriving); the rest of the body is
 * thrown away as it comes, within limits (request-body.ts discardBody), never buffered.
 */
export function refuseUpload(req: IncomingMessage, res: ServerResponse, bodyTimeoutMs: number, status: number, error: ApiError, extra: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error }, extra);
  discardBody(req, bodyTimeoutMs);
}

export async function handleCall(ctx: CallContext, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (status: number, error: ApiError, extra?: Record<string, string>): void => refuseUpload(req, res, ctx.bodyTimeoutMs, status, error, extra);
  if (!isCallName(name)) {
    return refuse(404, { code: 'NOT_FOUND', message: `Unknown call "${name}" (known calls: ${CALL_NAMES.join(', ')}).`, detail: name });
  }
  if (req.method !== 'POST') return refuse(405, { code: 'INVALID_REQUEST', message: `${name} takes POST with a JSON body.` }, { Allow: 'POST' });
  // No Content-Type is fine (curl without -H, an empty body); any other than JSON is not.
  if (req.headers['content-type'] !== undefined && !isJsonContentType(req.headers['content-type'])) {
    return refuse(415, { code: 'INVALID_REQUEST', message: 'Send the request as Content-Type: application/json.' });
  }
  const limit = bodyLimitFor(name);
  const tooLarge: ApiError = { code: 'INVALID_REQUEST', message: `The request body is larger than ${limit} bytes.` };
  const declared = declaredLength(req);
  if (declared === 'invalid') {
    return sendJson(res, 400, { ok: false, error: { code: 'INVALID_REQUEST', message: 'The Content-Length header is not a byte count.' } }, { Connection: 'close' });
  }
  if (declared !== undefined && declared > limit) return refuse(413, tooLarge);
  const release = ctx.budget.tryReserve(declared ?? limit);
  if (release === undefined) {
    return refuse(
      503,
      { code: 'BUSY', message: 'The studio server is receiving as much request data as it takes at once; try again in a moment.' },
      { 'Retry-After': '1' },
    );
  }
  try {
    // A client that asked first (`Expect: 100-continue`, curl does for large bodies) is told
    // to send only now, after every check passed; a refusal above reached it instead.
    if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
    const read = await readBody(req, limit, ctx.bodyTimeoutMs);
    if (read.kind === 'aborted') return void res.destroy();
    if (read.kind === 'too-large') return refuse(413, tooLarge);
    if (read.kind === 'stalled') {
      const stalled: ApiError = { code: 'INVALID_REQUEST', message: `The request body stopped arriving for ${ctx.bodyTimeoutMs} ms; send it again.` };
      return sendJson(res, 408, { ok: false, error: stalled }, { Connection: 'close' });
    }
    let raw: unknown;
    const text = read.bytes.toString('utf8');
    if (text.trim() !== '') {
      try {
        raw = JSON.parse(text);
      } catch (err) {
        return sendError(res, 400, { code: 'INVALID_REQUEST', message: `The request body is not valid JSON: ${(err as Error).message}` });
      }
    }
    sendJson(res, 200, await callResult(ctx.service, name, raw));
  } finally {
    release();
  }
}
