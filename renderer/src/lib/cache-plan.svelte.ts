/**
 * The Speed-up panel's preview: which steps a cache setting will run, asked of the back end
 * ('cache.plan') as the user moves a slider. Calls wait for the slider to rest (debounced), and
 * an answer to a superseded request is dropped, so a slow old plan never replaces a newer one.
 */
import type { StudioClient } from '../../../contract/api';
import type { CachePlanRequest, CachePlanResponse } from '../../../contract/cache';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export const PLAN_DEBOUNCE_MS = 150;

export class CachePlanState {
  /** The latest answer for the latest request; null while none is wanted or none came yet. */
  response = $state.raw<CachePlanResponse | null>(null);
  /** A failed call (e.g. a setting the back end rejects); shown in the panel, not the banner. */
  error = $state.raw<ApiError | null>(null);
  pending = $state(false);

  #wanted: CachePlanRequest | null = null;
  #wantedKey = '';
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #client: StudioClient;

  constructor(client: StudioClient) {
    this.#client = client;
  }

  /** The plan to show from now on; null clears it (caching off, or the form is not valid). */
  want(request: CachePlanRequest | null): void {
    const key = JSON.stringify(request);
    if (key === this.#wantedKey) return;
    this.#wantedKey = key;
    this.#wanted = request;
    this.#cancelTimer();
    this.#generation++;
    if (request === null) {
      this.response = null;
      this.error = null;
      this.pending = false;
      return;
    }
    this.pending = true;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, PLAN_DEBOUNCE_MS);
  }

  /** Asks again at once, e.g. after a profile was stored, imported or deleted. */
  async refresh(): Promise<void> {
    this.#cancelTimer();
    const request = this.#wanted;
    if (request === null) return;
    const generation = ++this.#generation;
    this.pending = true;
    try {
      const response = await this.#client.call('cache.plan', request);
      if (generation !== this.#generation) return;
      this.response = response;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.response = null;
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
