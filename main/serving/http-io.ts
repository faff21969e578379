/**
 * Request bodies and answers of the v2 server: a body read under a size limit, and errors as
 * the protocol writes them (`{"error": "..."}` with a status code).
 */
import type http from 'node:http';

/** An answer other than 200, with the message the client sees. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The whole body, refused with 413 when it passes `limit` bytes. An oversized body is still
 * read to its end (and dropped) up to twice the limit, so the client, which is still sending,
 * gets the 413 instead of a reset connection; past that, or when Content-Length already says
 * so, the connection is cut.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const tooBig = (): HttpError => new HttpError(413, `request body exceeds the limit of ${limit} bytes`, { connection: 'close' });
  const hardCap = 2 * limit;
  if (Number(req.headers['content-length'] ?? 0) > hardCap) {
    req.destroy();
    return Promise.reject(tooBig());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > hardCap) {
        reject(tooBig());
        req.destroy();
      } else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooBig()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    // A client that hangs up mid-upload: nobody is left to answer.
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'the client closed the connection before the body ended'));
    });
  });
}

/** A JSON answer. */
export function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(body.byteLength) });
  res.end(body);
}

/** A v2 error answer: `{"error": message}`. */
export function sendError(res: http.ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: err.message }, err.headers);
}
