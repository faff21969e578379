/**
 * The calibration profiles stored for the chosen model: listed, exported as JSON files,
 * imported from them and deleted. Failures go to the error banner with the back end's own
 * message (e.g. what is wrong with a corrupt import).
 */
import type { StudioClient } from '../../../contract/api';
import type { CacheProfileSummary } from '../../../contract/cache';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export class ProfileLibrary {
  items = $state.raw<CacheProfileSummary[]>([]);
  /** The model the list is for; '' before a model is chosen. */
  model = $state('');
  busy = $state(false);

  #generation = 0;
  readonly #client: StudioClient;
  readonly #onError: (error: ApiError) => void;
  readonly #onChanged: () => void;

  /** `onChanged` runs after an import or delete, which may add or remove the profile a plan uses. */
  constructor(client: StudioClient, onError: (error: ApiError) => void, onChanged: () => void) {
    this.#client = client;
    this.#onError = onError;
    this.#onChanged = onChanged;
  }

  /** Shows the profiles of `model`, asking the back end only when the model changed. */
  showModel(model: string): void {
    if (model === this.model) return;
    this.model = model;
    this.items = [];
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    if (this.model === '') return;
    try {
      const items = await this.#client.call('profiles.list', { model: this.model });
      if (generation === this.#generation) this.items = items;
    } catch (err) {
      if (generation === this.#generation) this.#onError(asApiError(err));
    }
  }

  /** The profile's JSON, or null when the call failed (the banner says why). */
  async exportJson(id: number): Promise<string | null> {
    return this.#run(async () => (await this.#client.call('profiles.export', { id })).json);
  }

  /** Imports a profile file's text; true when it was stored. */
  async importJson(json: string): Promise<boolean> {
    const stored = await this.#run(() => this.#client.call('profiles.import', { json }));
    if (stored) await this.#changed();
    return stored !== null;
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.#run(() => this.#client.call('profiles.delete', { id }));
    if (result) await this.#changed();
    return result?.deleted ?? false;
  }

  async #changed(): Promise<void> {
    this.#onChanged();
    await this.refresh();
  }

  async #run<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    try {
      return await work();
    } catch (err) {
      this.#onError(asApiError(err));
      return null;
    } finally {
      this.busy = false;
    }
  }
}
