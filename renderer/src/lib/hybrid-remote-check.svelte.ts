/**
 * "Test connection" for the remote endpoint field: asks the back end to reach the v2 endpoint
 * ('hybrid.checkRemote': health, readiness, metadata) and keeps the answer or the error for the
 * URL and token it was for, so a result never describes a URL the user has since edited.
 */
import type { RemoteCheck, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

export type RemoteCheckState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'ok'; result: RemoteCheck }
  | { status: 'failed'; error: ApiError };

export class HybridRemoteCheck {
  #state = $state.raw<RemoteCheckState>({ status: 'idle' });
  /** The URL and token the state is about. */
  #checkedKey = $state('');
  #generation = 0;
  readonly #client: StudioClient;

  constructor(client: StudioClient) {
    this.#client = client;
  }

  /** The state for this URL and token: idle when the last check was for others. */
  stateFor(url: string, token: string): RemoteCheckState {
    return this.#checkedKey === keyOf(url, token) ? this.#state : { status: 'idle' };
  }

  async check(url: string, token: string): Promise<void> {
    const generation = ++this.#generation;
    this.#checkedKey = keyOf(url, token);
    this.#state = { status: 'checking' };
    const trimmedToken = token.trim();
    try {
      const result = await this.#client.call('hybrid.checkRemote', { url: url.trim(), ...(trimmedToken === '' ? {} : { token: trimmedToken }) });
      if (generation === this.#generation) this.#state = { status: 'ok', result };
    } catch (err) {
      if (generation === this.#generation) this.#state = { status: 'failed', error: asApiError(err) };
    }
  }
}

const keyOf = (url: string, token: string): string => JSON.stringify([url.trim(), token.trim()]);
