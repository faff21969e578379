/**
 * Browser mode's event channel: a WebSocket at `/api/events` that pushes every
 * `StudioEvent` as one JSON text message, server → client only.
 *
 * Why WebSocket rather than polling: progress arrives up to ~30 times a second per job,
 * and a push keeps the bar smooth without a request per update. Clients never need to
 * send anything, so incoming messages are ignored and capped at 1 KiB.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { StudioEvent } from '../../contract/api';
import { refusal } from './request-guard';

export const EVENTS_PATH = '/api/events';

export interface EventSocket {
  /** Handles an HTTP upgrade; refuses paths other than EVENTS_PATH and foreign origins. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, port: number): void;
  broadcast(event: StudioEvent): void;
  /** Number of connected clients (tests and diagnostics). */
  clientCount(): number;
  /** Closes every client with 1001 (going away). */
  close(): void;
}

function reject(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}\n`);
}

export function createEventSocket(): EventSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  return {
    handleUpgrade(req, socket, head, port) {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname !== EVENTS_PATH) return reject(socket, '404 Not Found', `No WebSocket at ${pathname}; use ${EVENTS_PATH}.`);
      const why = refusal(req, port);
      if (why) return reject(socket, '403 Forbidden', why);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event) {
      const text = JSON.stringify(event);
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(text);
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
