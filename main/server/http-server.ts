/**
 * Browser mode: the studio's API, events, images and renderer over HTTP on 127.0.0.1.
 *
 * Routes (all on one origin, so the page's CSP can say 'self'):
 * - `POST /api/<call>`, JSON body ≤ 1 MiB → `CallResult` JSON. 200 for every envelope,
 *   including `{ ok: false }`; 400 malformed JSON, 401 no access token, 404 unknown call,
 *   405 wrong method, 408 body stalled, 413 body too large (refused from Content-Length
 *   alone when it says so), 415 not `application/json`, 503 the body budget is in use
 *   (each still an envelope body; see call-route.ts and request-body.ts).
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
import type { StudioService } from '../service/studio-service';
import { hasValidToken, missingTokenMessage, queryTokenIsValid, tokenCookie } from './access-token';
import { DEFAULT_BODY_BUDGET_BYTES, DEFAULT_BODY_TIMEOUT_MS, handleCall, refuseUpload, type CallContext } from './call-route';
import { createEventSocket } from './event-socket';
import { HEADERS, sendError, sendText } from './http-responses';
import { handleMedia, MEDIA_ROUTE_PREFIX } from './media-route';
import { BodyBudget, discardBody } from './request-body';
import { refusal } from './request-guard';
import { lookupStatic } from './static-files';

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
