/** What the back end offers: models, execution providers, and app info for the header. */
import type { CallResponse, ModelInfo, Provider, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export class Catalog {
  models = $state.raw<ModelInfo[]>([]);
  available = $state.raw<Provider[]>([]);
  info = $state.raw<CallResponse<'app.info'> | null>(null);
  loaded = $state(false);

  readonly defaultModel = $derived(this.models.find((m) => m.isDefault) ?? this.models[0] ?? null);

  readonly #client: StudioClient;
  readonly #onError: (error: ApiError) => void;

  constructor(client: StudioClient, onError: (error: ApiError) => void) {
    this.#client = client;
    this.#onError = onError;
  }

  async load(): Promise<void> {
    try {
      const [models, providers, info] = await Promise.all([
        this.#client.call('models.list', {}),
        this.#client.call('providers.list', {}),
        this.#client.call('app.info', {}),
      ]);
      this.models = models;
      this.available = providers.available;
      this.info = info;
      this.loaded = true;
    } catch (err) {
      this.#onError(asApiError(err));
    }
  }

  hasModel(id: string): boolean {
    return this.models.some((m) => m.id === id);
  }
}
