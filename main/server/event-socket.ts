/**
 * Browser mode's event channel: a WebSocket at `/api/events` that pushes every
 * `StudioEvent` as one JSON text message, server → client only.
 *
 * Why WebSocket rather than polling: progress arrives up to ~30 times a second per job,
 * and a push keeps the bar smooth without a request per update. Clients never need to
 * send anything, so incoming messages are ignored and capped at 1 KiB.
 *
 * A misbehaving client must cost only its own connection: ws reports a malformed frame
 * (bad opcode, invalid UTF-8, unmasked, over the cap, ...) as an `error` event on that
 * client, which would crash the process if nobody listened; here it is logged and that
 * socket is closed (ws sends the matching close code, e.g. 1002, 1007 or 1009). A client
 * that stops reading is cut off once its unsent backlog passes SEND_BACKLOG_MAX_BYTES,
 * so it cannot make the server buffer events without bound.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { StudioEvent } from '../../contract/api';
import { hasValidToken, missingTokenMessage } from './access-token';
import { refusal } from './request-guard';

export const EVENTS_PATH = '/api/events';

export interface EventSocket {
  /** Handles an HTTP upgrade; refuses paths other than EVENTS_PATH, foreign origins and a missing token. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, port: number): void;
  broadcast(event: StudioEvent): void;
  /** Number of connected clients (tests and diagnostics). */
  clientCount(): number;
  /** Closes every client with 1001 (going away). */
  close(): void;
}

/** Largest incoming message, in bytes: clients send nothing the server reads. */
export const MAX_CLIENT_MESSAGE_BYTES = 1024;

/** Unsent bytes a client may fall behind by before it is dropped (it reconnects and refetches). */
export const SEND_BACKLOG_MAX_BYTES = 8 * 1024 * 1024;

function reject(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}\n`);
}

/** `token`: the access token a client must present (cookie, bearer header or `?token=`). */
export function createEventSocket(token: string): EventSocket {
  // No compression: a compressed frame could inflate far past maxPayload before it is checked.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', (err: Error & { code?: string }) => {
      process.stderr.write(`studio: closed an event socket client: ${err.code ?? 'error'} (${err.message})\n`);
      // ws has already begun closing this socket with the right code; make sure it ends.
      setTimeout(() => ws.terminate(), 1000).unref();
    });
  });

  return {
    handleUpgrade(req, socket, head, port) {
      // A reset during the handshake (or after a refusal) is that client's problem only.
      socket.on('error', () => socket.destroy());
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname !== EVENTS_PATH) return reject(socket, '404 Not Found', `No WebSocket at ${pathname}; use ${EVENTS_PATH}.`);
      const why = refusal(req, port);
      if (why) return reject(socket, '403 Forbidden', why);
      if (!hasValidToken(req, port, token)) return reject(socket, '401 Unauthorized', missingTokenMessage(port));
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event) {
      const text = JSON.stringify(event);
      for (const client of wss.clients) {
        if (client.readyState !== WebSocket.OPEN) continue;
        if (client.bufferedAmount > SEND_BACKLOG_MAX_BYTES) {
          process.stderr.write('studio: dropped an event socket client that stopped reading\n');
          client.terminate();
          continue;
        }
        client.send(text);
      }
    },
    clientCount: () => wss.clients.size,
    close() {
      for (const client of wss.clients) {
        client.close(1001, 'studio server stopping');
        // A client that never answers the close handshake must not hold the server open.
        setTimeout(() => client.terminate(), 1000).unref();
      }
      wss.close();
    },
  };
}
