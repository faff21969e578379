/**
 * HTTP requests that a polite client never sends: headers promising more body than ever
 * arrives, over a plain TCP socket the test controls. Used to check that the server answers
 * early (413, 503) or gives up on a stalled upload (408) instead of waiting on the client.
 */
import net from 'node:net';

export interface PartialRequest {
  socket: net.Socket;
  /** The status line's code of the first response, or undefined when the socket closed without one. */
  status: Promise<number | undefined>;
  /** Resolves when the connection has closed, from either end. */
  closed: Promise<void>;
  /** The first response as text (headers and whatever body came), once the socket closed or `ms` passed. */
  text(ms: number): Promise<string>;
}

/**
 * POSTs to `/api/<call>` declaring `declaredLength` body bytes but sending only `sent` bytes,
 * then keeps the connection open.
 */
export function partialPost(port: number, call: string, opts: { declaredLength: number; sent: Buffer; token?: string; expectContinue?: boolean }): PartialRequest {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {}); // the server may reset a connection it refuses; the status tells
  let received = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const head = [
    `POST /api/${call} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${opts.declaredLength}`,
    ...(opts.token ? [`Authorization: Bearer ${opts.token}`] : []),
    ...(opts.expectContinue ? ['Expect: 100-continue'] : []),
  ];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  socket.write(opts.sent);
  const statusCode = (): number | undefined => {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
    return m ? Number(m[1]) : undefined;
  };
  const status = new Promise<number | undefined>((resolve) => {
    const check = (): void => {
      if (statusCode() === undefined) return;
      socket.off('data', check);
      resolve(statusCode());
    };
    socket.on('data', check);
    void closed.then(() => resolve(statusCode()));
  });
  return {
    socket,
    closed,
    status,
    text: (ms) => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, ms))]).then(() => received),
  };
}

/** `promise`'s value, or 'timeout' when it takes longer than `ms`. */
export function orTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);
}
