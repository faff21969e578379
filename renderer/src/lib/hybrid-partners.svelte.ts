/**
 * The models that can pair with the chosen one for this run ('hybrid.partners'), asked again
 * when the model, steps or scheduler change. Calls wait for typing to rest (debounced), and an
 * answer to a superseded request is dropped. The previous answer stays until the next one comes,
 * so the panel does not flicker while steps are typed (its `model` says which model it is for).
 */
import type { HybridPartners, HybridPartnersRequest, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export const PARTNERS_DEBOUNCE_MS = 150;

export class HybridPartnersState {
  /** The latest answer; null until one came, or after a failed call. */
  response = $state.raw<HybridPartners | null>(null);
  /** The model as it was asked for (an id or a folder path; the answer names the resolved id). */
  responseFor = $state('');
  /** A failed call (e.g. an unreadable model folder); shown in the panel. */
  error = $state.raw<ApiError | null>(null);
  pending = $state(false);

  #wantedKey = '';
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #client: StudioClient;

  constructor(client: StudioClient) {
    this.#client = client;
  }

  /** The run to list partners for from now on; null asks for none (the answer so far stays). */
  want(request: HybridPartnersRequest | null): void {
    const key = JSON.stringify(request);
    if (key === this.#wantedKey) return;
    this.#wantedKey = key;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const generation = ++this.#generation;
    this.pending = request !== null;
    if (request === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#load(request, generation);
    }, PARTNERS_DEBOUNCE_MS);
  }

  async #load(request: HybridPartnersRequest, generation: number): Promise<void> {
    try {
      const response = await this.#client.call('hybrid.partners', request);
      if (generation !== this.#generation) return;
      this.response = response;
      this.responseFor = request.model;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.response = null;
      this.error = asApiError(err);
    } finally {
      if (generation === this.#generation) this.pending = false;
    }
  }
}
