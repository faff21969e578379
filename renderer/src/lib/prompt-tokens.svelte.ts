/**
 * The prompt fields' token counts, asked of the back end ('prompt.tokens', the model's own
 * tokenizer) as the user types: calls wait for typing to rest (debounced), and an answer to a
 * superseded request is dropped. The form turns a count past the limit into a field error.
 */
import type { PromptTokens, StudioClient } from '../../../contract/api';

export const TOKENS_DEBOUNCE_MS = 150;

export class PromptTokenCounter {
  /** Counts for [prompt, negative prompt] of the latest request, and the model's limit; null until known. */
  value = $state.raw<PromptTokens | null>(null);

  #key = '';
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #client: StudioClient;

  constructor(client: StudioClient) {
    this.#client = client;
  }

  /** Counts these texts with `model`'s tokenizer from now on (no model: nothing to count). */
  want(model: string, prompt: string, negative: string): void {
    const key = JSON.stringify([model, prompt, negative]);
    if (key === this.#key) return;
    this.#key = key;
    const generation = ++this.#generation;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (model === '') {
      this.value = null;
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#client.call('prompt.tokens', { model, texts: [prompt, negative] }).then(
        (value) => {
          if (generation === this.#generation) this.value = value;
        },
        // A count is a convenience: the back end checks the length again when it runs.
        () => {
          if (generation === this.#generation) this.value = null;
        },
      );
    }, TOKENS_DEBOUNCE_MS);
  }
}
