/**
 * The browser-mode event stream: one WebSocket to /api/events that reconnects with
 * exponential backoff, because the server may restart (an update, a crash, `studio serve`
 * run again) while the page stays open.
 */
import type { StudioEvent } from '../../../contract/api';

export type ConnectionState = 'connecting' | 'open' | 'closed';

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5000;

export class EventSocket {
  #socket: WebSocket | null = null;
  #retryMs = BACKOFF_FIRST_MS;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  readonly #url: string;
  readonly #onEvent: (event: StudioEvent) => void;
  readonly #onState: (state: ConnectionState) => void;

  constructor(url: string, onEvent: (event: StudioEvent) => void, onState: (state: ConnectionState) => void) {
    this.#url = url;
    this.#onEvent = onEvent;
    this.#onState = onState;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#socket?.close();
    this.#socket = null;
  }

  #connect(): void {
    this.#onState('connecting');
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#retryMs = BACKOFF_FIRST_MS;
      this.#onState('open');
    };
    socket.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (event) this.#onEvent(event);
    };
    // `error` is always followed by `close`, so reconnecting lives in one place.
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#onState('closed');
      if (!this.#stopped) this.#scheduleRetry();
    };
  }

  #scheduleRetry(): void {
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, BACKOFF_MAX_MS);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }
}

function parseEvent(data: unknown): StudioEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as StudioEvent;
    }
  } catch {
    // fall through: a frame we cannot read is dropped, not fatal
  }
  console.warn('studio: ignored an unreadable event frame');
  return null;
}
