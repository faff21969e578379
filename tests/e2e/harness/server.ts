/**
 * Starts the real browser-mode server (`node build/serve.cjs --port N`) on a given
 * STUDIO_HOME and stops it again (or kills it, as a crash would). The server prints one line
 * with its URL when it is ready; nothing else is assumed about its output.
 *
 * Progress events are sent for every step (STUDIO_PROGRESS_INTERVAL_MS=0), so a test that
 * waits for step k sees step k whatever the machine's speed.
 *
 * Each STUDIO_HOME gets one access token (STUDIO_TOKEN), kept across restarts of its server
 * as a user who sets STUDIO_TOKEN would, so an open page keeps working after a restart.
 * `openUrl` is the tokened address the server printed; direct calls send `authHeaders()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVE_SCRIPT = path.join(ROOT, 'build/serve.cjs');
const READY_LINE = /studio: browser mode at (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=([A-Za-z0-9._~-]+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:40123/ */
  url: string;
  /** The address the server printed, with `?token=`: opening it gives the page the token cookie. */
  openUrl: string;
  port: number;
  /** The server's access token. */
  token: string;
  /** `Authorization: Bearer <token>`, for calls and sockets made outside the page. */
  authHeaders(): Record<string, string>;
  /** Everything the server wrote so far, for failure messages. */
  output(): string;
  /** The server's process id (to read its memory use from /proc). */
  pid: number;
  /** True while the server process has not exited. */
  alive(): boolean;
  stop(): Promise<void>;
  /** Kills the server process with SIGKILL (no clean-up runs) and waits until it is gone. */
  kill(): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(SERVE_SCRIPT) || !existsSync(path.join(ROOT, 'renderer/dist/index.html'))) {
    throw new Error(
      `The e2e tests run the built studio, but ${path.relative(ROOT, SERVE_SCRIPT)} or renderer/dist is missing. ` +
        'Run `npm run build` first (or `npm run test:e2e`, which builds).',
    );
  }
}

/** One token per STUDIO_HOME, so a restarted server keeps the token its pages hold. */
const TOKEN_BY_HOME = new Map<string, string>();
/** Token by base URL, for helpers that are handed only a URL (api-client.ts). */
const TOKEN_BY_URL = new Map<string, string>();

/** The access token of the harness server at `baseUrl`; throws for a URL it never started. */
export function tokenForUrl(baseUrl: string): string {
  const token = TOKEN_BY_URL.get(baseUrl);
  if (token === undefined) throw new Error(`no studio server was started at ${baseUrl}`);
  return token;
}

export async function startServer(home: string, port = 0): Promise<RunningServer> {
  assertBuilt();
  const token = TOKEN_BY_HOME.get(home) ?? randomBytes(24).toString('base64url');
  TOKEN_BY_HOME.set(home, token);
  const child = spawn(process.execPath, [SERVE_SCRIPT, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, STUDIO_PROGRESS_INTERVAL_MS: '0', STUDIO_HOME: home, STUDIO_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    const match = await waitForReadyLine(child, () => log);
    const url = match[1] as string;
    if (match[3] !== token) throw new Error(`the server printed a token other than STUDIO_TOKEN:\n${log}`);
    TOKEN_BY_URL.set(url, token);
    return {
      url,
      openUrl: `${url}?token=${token}`,
      port: Number(match[2]),
      token,
      authHeaders: () => ({ authorization: `Bearer ${token}` }),
      output: () => log,
      pid: child.pid ?? -1,
      alive: () => child.exitCode === null && child.signalCode === null,
      stop: () => stopChild(child, exited),
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
}

function waitForReadyLine(child: ChildProcess, log: () => string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`server did not print its URL in ${START_TIMEOUT_MS} ms:\n${log()}`)), START_TIMEOUT_MS);
    const onData = () => {
      const match = READY_LINE.exec(log());
      if (match) finish(null, match);
    };
    const onExit = (code: number | null) => finish(new Error(`server exited (code ${code}) before it was ready:\n${log()}`));
    function finish(err: Error | null, match?: RegExpMatchArray): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(match as RegExpMatchArray);
    }
    // Registered after the log collectors, so `log()` already holds this chunk.
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
