/**
 * Reading a call's JSON body without letting clients hold the server hostage.
 *
 * - A declared `Content-Length` over the call's limit is refused before any byte is read:
 *   the 413 is sent at once, and the rest of the upload is read and thrown away (no memory)
 *   only so that clients which finish sending before they read the answer (node's fetch)
 *   see it instead of a reset; see discardBody for how long that goes on.
 * - A body that stops arriving for `idleTimeoutMs` is given up on (408).
 * - The bytes being received at once across all requests are capped by a BodyBudget: each
 *   request reserves its declared length (or its limit when it declares none) before it is
 *   read, and gives it back when the call has been answered, so four 128 MiB uploads at
 *   once cannot buffer half a gigabyte (plus its JSON parse). Beyond the budget a request
 *   gets 503 with Retry-After; small calls still fit in what is left.
 */
import type { IncomingMessage } from 'node:http';

export class BodyBudget {
  #inFlight = 0;
  constructor(readonly totalBytes: number) {}

  /** Reserves `bytes`; returns the release function, or undefined when they do not fit now. */
  tryReserve(bytes: number): (() => void) | undefined {
    if (this.#inFlight + bytes > this.totalBytes) return undefined;
    this.#inFlight += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= bytes;
    };
  }

  /** Bytes reserved right now (tests and diagnostics). */
  inFlight(): number {
    return this.#inFlight;
  }
}

/**
 * The request's declared body length: a number, `undefined` when it declares none (chunked),
 * or 'invalid' for a value node let through that is not a plain decimal count.
 */
export function declaredLength(req: IncomingMessage): number | undefined | 'invalid' {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  return /^\d{1,16}$/.test(value) ? Number(value) : 'invalid';
}

export type BodyRead =
  | { kind: 'body'; bytes: Buffer }
  /** More than `limit` bytes arrived (a chunked upload that declared no length). */
  | { kind: 'too-large' }
  /** Nothing arrived for `idleTimeoutMs`. */
  | { kind: 'stalled' }
  /** The client went away mid-upload. */
  | { kind: 'aborted' };

/** Reads the whole body of `req`, up to `limit` bytes, giving up after `idleTimeoutMs` of silence. */
export function readBody(req: IncomingMessage, limit: number, idleTimeoutMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: BodyRead): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      if (result.kind !== 'body') req.pause(); // read no more of a body that will not be used
      resolve(result);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'stalled' }), idleTimeoutMs);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return finish({ kind: 'too-large' });
      chunks.push(chunk);
      arm();
    };
    const onEnd = (): void => finish({ kind: 'body', bytes: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
    arm();
  });
}

/** Bytes of a refused upload read and thrown away before the connection is cut instead. */
export const DISCARD_MAX_BYTES = 256 * 1024 * 1024;

/**
 * After an early answer (413, 503, 401): reads the rest of the body into nothing, so the
 * client can finish its upload and read the answer. The connection is cut once more than
 * DISCARD_MAX_BYTES arrive or nothing arrives for `idleTimeoutMs`.
 */
export function discardBody(req: IncomingMessage, idleTimeoutMs: number): void {
  if (req.complete) return;
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const done = (): void => {
    clearTimeout(timer);
    req.off('data', onData).off('end', done).off('close', done);
  };
  const cut = (): void => {
    done();
    req.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    seen += chunk.length;
    if (seen > DISCARD_MAX_BYTES) return cut();
    clearTimeout(timer);
    timer = setTimeout(cut, idleTimeoutMs);
  };
  req.on('data', onData).on('end', done).on('close', done);
  timer = setTimeout(cut, idleTimeoutMs);
  req.resume();
}
