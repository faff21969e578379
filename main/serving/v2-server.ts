/**
 * A reference Open Inference Protocol (KServe v2 REST) server over ModelRunners, with Triton's
 * binary tensor data extension: what `studio serve-model` runs, and what the remote runner is
 * tested against.
 *
 *   GET  /v2/health/live | /v2/health/ready           200 while serving (no token needed: probes)
 *   GET  /v2                                           server metadata, extensions
 *   GET  /v2/models/{name}[/versions/1]                model metadata (-1 for variable dims)
 *   GET  /v2/models/{name}[/versions/1]/ready          200 when loaded
 *   POST /v2/models/{name}[/versions/1]/infer          JSON or binary tensors
 *   POST /v2/repository/index                          the models served (Triton's listing)
 *
 * Errors are `{"error": "..."}`: 400 for a malformed or mismatched request, 401 for a missing or
 * wrong bearer token (when one is set), 404 for an unknown model or path, 405 for a wrong
 * method, 413 for a body over the limit, 500 when the model fails, 503 when too many inference
 * requests are already in progress.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerCheck } from './bearer-auth';
import { HttpError, readBody, sendError, sendJson } from './http-io';
import { inferAnswer } from './infer-response';
import { parseInferRequest } from './infer-request';
import { modelMetadata, SERVED_VERSION, type ServedModel } from './served-model';

export interface V2ServerOptions {
  models: readonly ServedModel[];
  /** Interface to bind; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** When set, every endpoint but health needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body, in bytes; default 64 MiB (Triton's default). */
  maxBodyBytes?: number;
  /** Infer requests held at once (reading, queued or running); more get 503. Bounds memory at about this × maxBodyBytes. Default 16. */
  maxPending?: number;
  /** Reported by GET /v2. */
  version?: string;
  /** Where failures of the model itself (500s) are written. */
  log?: (line: string) => void;
}

export interface V2Server {
  /** http://host:port */
  url: string;
  port: number;
  /** The model's URL, e.g. http://127.0.0.1:8000/v2/models/emoji-transformer */
  modelUrl(name: string): string;
  /** Infer requests in progress now (reading, queued or running). */
  pending(): number;
  /** Stops accepting, lets requests in progress finish (at most `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_PENDING = 16;
const SERVER_NAME = 'diffusion-studio';
const EXTENSIONS = ['binary_tensor_data'];
const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/;

function onlyMethod(req: http.IncomingMessage, method: 'GET' | 'POST'): void {
  if (req.method !== method) throw new HttpError(405, `${req.method ?? '?'} is not allowed here; use ${method}`, { allow: method });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed %-escape in the path');
  }
}

/** Starts serving; resolves once listening. */
export function startV2Server(options: V2ServerOptions): Promise<V2Server> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const checkToken = options.token === undefined ? () => undefined : bearerCheck(options.token);
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  let pending = 0;
  const byName = new Map(options.models.map((m) => [m.name, m]));
  const names = [...byName.keys()].join(', ');

  function findModel(rawName: string, rawVersion: string | undefined): ServedModel {
    const name = decode(rawName);
    const model = byName.get(name);
    // Names from the request are echoed cut short: an error must not grow with the URL.
    if (!model) throw new HttpError(404, `no model "${name.slice(0, 100)}" on this server; it serves: ${names}`);
    if (rawVersion !== undefined && decode(rawVersion) !== SERVED_VERSION) {
      throw new HttpError(404, `model "${name}" has no version "${decode(rawVersion).slice(0, 20)}"; it has version ${SERVED_VERSION}`);
    }
    return model;
  }

  async function infer(model: ServedModel, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (pending >= maxPending) {
      // Drained, not kept: the client still gets its 503, and the body costs no memory.
      req.resume();
      await new Promise((done) => req.once('end', done).once('close', done));
      throw new HttpError(503, `busy: ${pending} inference requests are already in progress; try again`);
    }
    pending++;
    try {
      await inferNow(model, req, res);
    } finally {
      pending--;
    }
  }

  async function inferNow(model: ServedModel, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, maxBody);
    const length = req.headers['inference-header-content-length'];
    const request = parseInferRequest(model.runner, body, Array.isArray(length) ? length[0] : length);
    let results;
    const started = performance.now();
    try {
      results = await model.runner.run(request.feeds, request.outputs.map((o) => o.name));
    } catch (err) {
      const message = `model "${model.name}" failed: ${err instanceof Error ? err.message : String(err)}`;
      options.log?.(message);
      throw new HttpError(500, message);
    }
    const answer = inferAnswer(model.name, request, results, performance.now() - started);
    res.writeHead(200, answer.headers);
    res.end(answer.body);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (path === '/v2/health/live' || path === '/v2/health/ready') {
      onlyMethod(req, 'GET');
      return sendJson(res, 200, path.endsWith('live') ? { live: true } : { ready: true });
    }
    checkToken(req);
    if (path === '/v2') {
      onlyMethod(req, 'GET');
      return sendJson(res, 200, { name: SERVER_NAME, version: options.version ?? '0', extensions: EXTENSIONS });
    }
    if (path === '/v2/repository/index') {
      onlyMethod(req, 'POST');
      return sendJson(res, 200, options.models.map((m) => ({ name: m.name, version: SERVED_VERSION, state: 'READY' })));
    }
    const m = MODEL_PATH.exec(path);
    if (!m) throw new HttpError(404, `no endpoint ${path.slice(0, 100)}`);
    const model = findModel(m[1] as string, m[2]);
    if (m[3] === 'infer') {
      onlyMethod(req, 'POST');
      return infer(model, req, res);
    }
    onlyMethod(req, 'GET');
    return sendJson(res, 200, m[3] === 'ready' ? { name: model.name, ready: true } : modelMetadata(model));
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url,
        port,
        modelUrl: (name) => `${url}/v2/models/${encodeURIComponent(name)}`,
        pending: () => pending,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
