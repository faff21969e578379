/**
 * One HTTP exchange with a model server, over a keep-alive agent, with a bounded retry on
 * connection failures. Used only by the remote runner (remote-runner.ts).
 *
 * Why node:http and not fetch: it names socket failures by code (ECONNREFUSED, ECONNRESET)
 * and tells whether any response had arrived, which decides whether a retry is safe; and an
 * explicit agent keeps one connection per runner alive between denoising steps (Electron's
 * bundled Node may not keep its global agent alive).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  /** Aborts the exchange (the caller combines its own signal with a timeout). */
  signal: AbortSignal;
  /** A response body longer than this is refused (a hostile or broken server). */
  maxResponseBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A failure below HTTP. `answered` is true once the response head arrived: the server then
 * did the work, and the connection broke while the body was on its way.
 */
export class ConnectionError extends Error {
  /** How many times the request was sent before this failure was given up on. */
  attempts = 1;
  constructor(
    message: string,
    readonly code: string,
    readonly answered: boolean,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** The exchange was aborted through its signal (caller cancel or timeout: the caller knows which). */
export class ExchangeAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'ExchangeAborted';
  }
}

/** Failures where the request provably got no answer, so sending it again is safe (inference is stateless). */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * A keep-alive agent for one server. Idle sockets are dropped after 4 s, before Node's
 * default server keep-alive of 5 s closes them under a request.
 */
export function createAgent(url: URL): http.Agent {
  const options = { keepAlive: true, maxSockets: 8, timeout: 4000 };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

/** Sends one request and reads the whole response. */
export function exchange(agent: http.Agent, req: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      reject(req.signal.aborted ? new ExchangeAborted() : err);
    };
    const broken = (err: NodeJS.ErrnoException): ConnectionError =>
      new ConnectionError(err.message, err.code ?? 'ECONNRESET', answered);
    const mod = req.url.protocol === 'https:' ? https : http;
    const headers = { ...req.headers, 'content-length': String(req.body?.byteLength ?? 0) };
    const request = mod.request(req.url, { method: req.method, headers, agent, signal: req.signal }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > req.maxResponseBytes) {
          fail(new ConnectionError(`the response is larger than ${req.maxResponseBytes} bytes`, 'ETOOLARGE', true));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(broken(err)));
      res.on('close', () => {
        if (!res.complete) fail(new ConnectionError(`the connection closed after ${size} bytes of the response`, 'ECONNRESET', true));
      });
    });
    request.on('error', (err: NodeJS.ErrnoException) => fail(broken(err)));
    request.end(req.body);
  });
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * `exchange`, sent again (up to `retries` more times, 50–150 ms × attempt apart) while it fails
 * before any answer with a connection error. HTTP errors are answers and never retried.
 * @param onAttempt called before each attempt with the bytes about to be sent
 */
export async function exchangeWithRetries(agent: http.Agent, req: HttpRequest, retries: number, onAttempt?: (bytes: number) => void): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    try {
      onAttempt?.(req.body?.byteLength ?? 0);
      return await exchange(agent, req);
    } catch (err) {
      const retry = err instanceof ConnectionError && !err.answered && RETRYABLE.has(err.code) && attempt < retries;
      if (!retry) {
        if (err instanceof ConnectionError) err.attempts = attempt + 1;
        throw err;
      }
      await pause((50 + Math.random() * 100) * (attempt + 1), req.signal);
      if (req.signal.aborted) throw new ExchangeAborted();
    }
  }
}
