/**
 * Browser mode: the studio's API, events, images and renderer over HTTP on 127.0.0.1.
 *
 * Routes (all on one origin, so the page's CSP can say 'self'):
 * - `POST /api/<call>`, JSON body ≤ 1 MiB → `CallResult` JSON. 200 for every envelope,
 *   including `{ ok: false }`; 400 malformed JSON, 401 no access token, 404 unknown call,
 *   405 wrong method, 408 body stalled, 413 body too large (refused from Content-Length
 *   alone when it says so), 415 not `application/json`, 503 the body budget is in use
 *   (each still an envelope body; see request-body.ts).
 * - `GET /api/events` upgrade → WebSocket of `StudioEvent` JSON (see event-socket.ts).
 * - `GET /media/<recordId>` → the file of a history record, streamed with byte ranges
 *   (media-route.ts), or 404.
 * - anything else → renderer/dist, index.html for extension-less routes. A page loaded
 *   with the right `?token=` gets the token cookie.
 * Calls, events and media need the access token (access-token.ts); every response
 * carries the strict CSP and related headers (content-policy.ts).
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALL_NAMES, type CallName } from '../../contract/api';
import { CACHE_PROFILE_LIMITS } from '../../contract/cache';
import { RECIPE_PNG_BASE64_MAX } from '../../contract/recipe-import';
import type { ApiError } from '../../contract/errors';
import { isCallName } from '../../contract/validate';
import { callResult } from '../service/call-result';
import type { StudioService } from '../service/studio-service';
import { BROWSER_CSP, securityHeaders } from './content-policy';
import { hasValidToken, missingTokenMessage, queryTokenIsValid, tokenCookie } from './access-token';
import { createEventSocket } from './event-socket';
import { handleMedia, MEDIA_ROUTE_PREFIX } from './media-route';
import { BodyBudget, declaredLength, discardBody, readBody } from './request-body';
import { isJsonContentType, refusal } from './request-guard';
import { lookupStatic } from './static-files';

/** Largest accepted call body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Calls whose bodies may be larger: a calibration profile (50 steps, 16 prompts) is a few MB
 * of JSON, so `profiles.import` takes up to the contract's import limit (plus JSON quoting);
 * `recipe.fromPng` carries a PNG as base64.
 */
function bodyLimitFor(name: CallName): number {
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

/** Longest time, in ms, to receive one whole request, headers and body (node's own check). */
const REQUEST_TIMEOUT_MS = 120_000;

export interface HttpServerOptions {
  service: StudioService;
  /** Built renderer folder (renderer/dist). */
  staticDir: string;
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The access token that calls, events and media need (access-token.ts). */
  token: string;
  /** Cap on body bytes received at once; default DEFAULT_BODY_BUDGET_BYTES. */
  bodyBudgetBytes?: number;
  /** Default DEFAULT_BODY_TIMEOUT_MS. */
  bodyTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** `url` with `?token=…`: the address to open (it gives the browser the token cookie). */
  readonly openUrl: string;
  readonly port: number;
  /** Stops listening, closes sockets and event streams (does not close the service). */
  close(): Promise<void>;
}

const HEADERS = securityHeaders(BROWSER_CSP);

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

/** An error envelope with a non-200 status: the request never reached a call. */
function sendError(res: ServerResponse, status: number, error: ApiError, extra?: Record<string, string>): void {
  sendJson(res, status, { ok: false, error }, extra);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

/**
 * Answers before the body was read (or while it is still arriving); the rest of the body is
 * thrown away as it comes, within limits (request-body.ts discardBody), never buffered.
 */
function refuseUpload(req: IncomingMessage, res: ServerResponse, bodyTimeoutMs: number, status: number, error: ApiError, extra: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error }, extra);
  discardBody(req, bodyTimeoutMs);
}

interface CallContext {
  service: StudioService;
  budget: BodyBudget;
  bodyTimeoutMs: number;
}

async function handleCall(ctx: CallContext, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
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

async function handleStatic(staticDir: string, pathname: string, req: IncomingMessage, res: ServerResponse, cookie: Record<string, string>): Promise<void> {
  const found = await lookupStatic(staticDir, pathname);
  if (found.kind === 'bad-path') return sendText(res, 400, `Bad path: ${found.reason}.`);
  if (found.kind === 'not-found') {
    const built = fs.existsSync(staticDir);
    return sendText(res, built ? 404 : 503, built ? `Not found: ${pathname}` : `The renderer is not built (${staticDir} is missing). Run \`npm run build\`.`);
  }
  const f = found.value;
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': f.contentType,
    'Content-Length': f.size,
    'Cache-Control': f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...cookie,
  });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(f.file).on('error', () => res.destroy()).pipe(res);
}

const UNAUTHORIZED_HEADERS = { 'WWW-Authenticate': 'Bearer realm="studio"' };

async function route(opts: HttpServerOptions, ctx: CallContext, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const why = refusal(req, port);
  if (why) {
    discardBody(req, ctx.bodyTimeoutMs);
    return sendText(res, 403, why);
  }
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  const isCall = pathname.startsWith('/api/');
  if ((isCall || pathname.startsWith(MEDIA_ROUTE_PREFIX)) && !hasValidToken(req, port, opts.token)) {
    return refuseUpload(req, res, ctx.bodyTimeoutMs, 401, { code: 'UNAUTHORIZED', message: missingTokenMessage(port) }, UNAUTHORIZED_HEADERS);
  }
  if (isCall) return handleCall(ctx, pathname.slice('/api/'.length), req, res);
  discardBody(req, ctx.bodyTimeoutMs);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, `${req.method ?? ''} is not allowed here.`);
  }
  if (pathname.startsWith(MEDIA_ROUTE_PREFIX)) {
    return handleMedia((id) => opts.service.imagePath(id), opts.service.paths.outputs, pathname.slice(MEDIA_ROUTE_PREFIX.length), req, res, HEADERS);
  }
  // The renderer's files are public; the page opened from the printed URL gets the cookie.
  const cookie: Record<string, string> = queryTokenIsValid(req, opts.token) ? { 'Set-Cookie': tokenCookie(opts.token, port) } : {};
  return handleStatic(opts.staticDir, pathname, req, res, cookie);
}

/** Starts listening; resolves once the port is bound. */
export function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const events = createEventSocket(opts.token);
  const unsubscribe = opts.service.onEvent((event) => events.broadcast(event));
  const ctx: CallContext = {
    service: opts.service,
    budget: new BodyBudget(opts.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES),
    bodyTimeoutMs: opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  };
  let port = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    route(opts, ctx, port, req, res).catch((err: unknown) => {
      console.error('studio: HTTP request failed:', err);
      if (!res.headersSent) sendError(res, 500, { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  };
  const server = http.createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, handle);
  // Handled like any request, so `100 Continue` is sent only once the call accepts the body.
  server.on('checkContinue', handle);
  server.on('upgrade', (req, socket, head) => events.handleUpgrade(req, socket, head, port));

  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      unsubscribe();
      events.close();
      reject(err);
    });
    server.listen(opts.port, host, () => {
      port = (server.address() as AddressInfo).port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      const url = `http://${shownHost}:${port}/`;
      resolve({
        url,
        openUrl: `${url}?token=${opts.token}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            events.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
