/**
 * Test harness for the browser-mode server: a real StudioService on a temporary
 * STUDIO_HOME, the real HTTP server on a free port, a tiny static renderer folder, and a
 * raw HTTP client (node:http, so tests can send any Host, Origin or path unnormalized).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { studioPaths } from '../../../main/config/studio-home';
import { startHttpServer, type HttpServerOptions, type RunningServer } from '../../../main/server/http-server';
import { createStudioService, type StudioService, type StudioServiceOptions } from '../../../main/service/studio-service';
import { testWorkerSpawner } from '../../helpers/job-worker';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const BUNDLED_PIPELINES = path.join(REPO_ROOT, 'native-models', 'pipelines');

export interface Harness {
  home: string;
  /** The server's access token (browser mode refuses calls, events and media without it). */
  token: string;
  staticDir: string;
  service: StudioService;
  server: RunningServer;
  close(): Promise<void>;
}

export const INDEX_HTML = '<!doctype html><title>studio test</title><script type="module" src="./assets/app-123.js"></script>';

/** A service on `home` as browser mode makes one, with a worker built from the current source. */
export function testService(home: string, extra: Partial<StudioServiceOptions> = {}): StudioService {
  return createStudioService({ paths: studioPaths(home), appVersion: '9.8.7', mode: 'browser', bundledModelsDir: BUNDLED_PIPELINES, spawnWorker: testWorkerSpawner(), ...extra });
}

/** Token of the harness server on each port, which `raw` and `call` send unless told otherwise. */
const TOKENS = new Map<number, string>();

/** `Authorization` header carrying the harness server's token (for WebSocket clients). */
export function bearer(h: Pick<Harness, 'token'>): Record<string, string> {
  return { authorization: `Bearer ${h.token}` };
}

export async function startHarness(extra: Partial<StudioServiceOptions> = {}, serverOptions: Partial<HttpServerOptions> = {}): Promise<Harness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-http-'));
  const home = path.join(root, 'home');
  const staticDir = path.join(root, 'dist');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(staticDir, 'assets', 'app-123.js'), 'console.log("hi");');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer folder');
  const service = testService(home, extra);
  const token = randomBytes(24).toString('base64url');
  const server = await startHttpServer({ service, staticDir, port: 0, token, ...serverOptions });
  TOKENS.set(server.port, token);
  return {
    home,
    token,
    staticDir,
    service,
    server,
    async close() {
      TOKENS.delete(server.port);
      await server.close();
      await service.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** false sends no token; by default the harness server's token goes in `Authorization`. */
  auth?: boolean;
}

/**
 * Sends exactly what it is given; Host defaults to 127.0.0.1:<port>, and the harness token
 * is sent as a bearer token unless `auth` is false or the request names its own.
 */
export function raw(port: number, req: RawRequest): Promise<RawResponse> {
  const token = req.auth === false ? undefined : TOKENS.get(port);
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.path, headers: { host: `127.0.0.1:${port}`, ...auth, ...req.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) as unknown });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** POST /api/<name> with a JSON body. */
export function call(port: number, name: string, body: unknown, headers: Record<string, string> = {}, auth = true): Promise<RawResponse> {
  return raw(port, {
    auth,
    method: 'POST',
    path: `/api/${name}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
