/**
 * Browser mode: the studio's API, events, images and renderer over HTTP on 127.0.0.1.
 *
 * Routes (all on one origin, so the page's CSP can say 'self'):
 * - `POST /api/<call>`, JSON body ≤ 1 MiB → `CallResult` JSON. 200 for every envelope,
 *   including `{ ok: false }`; 400 malformed JSON, 404 unknown call, 405 wrong method,
 *   413 body too large, 415 not `application/json` (each still an envelope body).
 * - `GET /api/events` upgrade → WebSocket of `StudioEvent` JSON (see event-socket.ts).
 * - `GET /media/<recordId>` → the file of a history record, streamed with byte ranges
 *   (media-route.ts), or 404.
 * - anything else → renderer/dist, index.html for extension-less routes.
 * Every response carries the strict CSP and related headers (content-policy.ts).
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
import { createEventSocket } from './event-socket';
import { handleMedia, MEDIA_ROUTE_PREFIX } from './media-route';
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

export interface HttpServerOptions {
  service: StudioService;
  /** Built renderer folder (renderer/dist). */
  staticDir: string;
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
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

/** Reads the body up to `limit` bytes; `undefined` when it was larger (the rest is drained). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      // Draining lets the client read the 413; a client that keeps sending far past it is cut off.
      if (size > limit + 64 * MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handleCall(service: StudioService, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isCallName(name)) {
    req.resume();
    return sendError(res, 404, { code: 'NOT_FOUND', message: `Unknown call "${name}" (known calls: ${CALL_NAMES.join(', ')}).`, detail: name });
  }
  if (req.method !== 'POST') {
    req.resume();
    return sendError(res, 405, { code: 'INVALID_REQUEST', message: `${name} takes POST with a JSON body.` }, { Allow: 'POST' });
  }
  // No Content-Type is fine (curl without -H, an empty body); any other than JSON is not.
  if (req.headers['content-type'] !== undefined && !isJsonContentType(req.headers['content-type'])) {
    req.resume();
    return sendError(res, 415, { code: 'INVALID_REQUEST', message: 'Send the request as Content-Type: application/json.' });
  }
  const limit = bodyLimitFor(name);
  const body = await readBody(req, limit);
  if (body === undefined) {
    return sendError(res, 413, { code: 'INVALID_REQUEST', message: `The request body is larger than ${limit} bytes.` }, { Connection: 'close' });
  }
  let raw: unknown;
  const text = body.toString('utf8');
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return sendError(res, 400, { code: 'INVALID_REQUEST', message: `The request body is not valid JSON: ${(err as Error).message}` });
    }
  }
  sendJson(res, 200, await callResult(service, name, raw));
}

async function handleStatic(staticDir: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(f.file).on('error', () => res.destroy()).pipe(res);
}

async function route(opts: HttpServerOptions, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const why = refusal(req, port);
  if (why) {
    req.resume();
    return sendText(res, 403, why);
  }
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (pathname.startsWith('/api/')) return handleCall(opts.service, pathname.slice('/api/'.length), req, res);
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, `${req.method ?? ''} is not allowed here.`);
  }
  if (pathname.startsWith(MEDIA_ROUTE_PREFIX)) {
    return handleMedia((id) => opts.service.imagePath(id), opts.service.paths.outputs, pathname.slice(MEDIA_ROUTE_PREFIX.length), req, res, HEADERS);
  }
  return handleStatic(opts.staticDir, pathname, req, res);
}

/** Starts listening; resolves once the port is bound. */
export function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const events = createEventSocket();
  const unsubscribe = opts.service.onEvent((event) => events.broadcast(event));
  let port = 0;

  const server = http.createServer((req, res) => {
    route(opts, port, req, res).catch((err: unknown) => {
      console.error('studio: HTTP request failed:', err);
      if (!res.headersSent) sendError(res, 500, { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
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
      resolve({
        url: `http://${shownHost}:${port}/`,
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
