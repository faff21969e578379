/**
 * Reading a call's JSON body without letting clients hold the server hostage.
 *
 * - A declared `Content-Length` over the call's limit is refused before any byte is read
 *   (the caller answers 413 at once instead of waiting for, or draining, the upload).
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
