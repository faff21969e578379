/**
 * One back-end call that follows what the user is editing (a cache plan, hybrid partners, token
 * counts): each new request waits for the input to rest (debounced), and an answer to a request
 * that was superseded meanwhile is dropped, so a slow old answer never replaces a newer one.
 */
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export interface LatestCallOptions {
  debounceMs: number;
  /** On `want(null)`: keep the last answer on screen (true), or clear it (false). */
  keepOnNull: boolean;
}

export class LatestCall<Req, Res> {
  /** The latest answer; null until one came, after a failed call, or once cleared. */
  response = $state.raw<Res | null>(null);
  /** The request `response` answers. */
  answered = $state.raw<Req | null>(null);
  /** A failed call; shown where the answer would be. */
  error = $state.raw<ApiError | null>(null);
  pending = $state(false);

  #wanted: Req | null = null;
  #wantedKey = '';
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #call: (request: Req) => Promise<Res>;
  readonly #options: LatestCallOptions;

  constructor(call: (request: Req) => Promise<Res>, options: LatestCallOptions) {
    this.#call = call;
    this.#options = options;
  }

  /** The request to answer from now on; null asks for none. */
  want(request: Req | null): void {
    const key = JSON.stringify(request);
    if (key === this.#wantedKey) return;
    this.#wantedKey = key;
    this.#wanted = request;
    this.#cancelTimer();
    this.#generation++;
    this.pending = request !== null;
    if (request === null) {
      if (!this.#options.keepOnNull) {
        this.response = null;
        this.answered = null;
        this.error = null;
      }
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, this.#options.debounceMs);
  }

  /** Asks again at once for the wanted request (e.g. after what it depends on changed). */
  async refresh(): Promise<void> {
    this.#cancelTimer();
    const request = this.#wanted;
    if (request === null) return;
    const generation = ++this.#generation;
    this.pending = true;
    try {
      const response = await this.#call(request);
      if (generation !== this.#generation) return;
      this.response = response;
      this.answered = request;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.response = null;
      this.answered = null;
      this.error = asApiError(err);
    } finally {
      if (generation === this.#generation) this.pending = false;
    }
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
