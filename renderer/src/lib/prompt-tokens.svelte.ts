/**
 * The prompt fields' token counts, asked of the back end ('prompt.tokens', the model's own
 * tokenizer) as the user types, through LatestCall (debounced, stale answers dropped). A failed
 * count shows nothing: the back end checks the length again when it runs. The form turns a
 * count past the limit into a field error.
 */
import type { PromptTokens, PromptTokensRequest, StudioClient } from '../../../contract/api';
import { LatestCall } from './latest-call.svelte';

export const TOKENS_DEBOUNCE_MS = 150;

export class PromptTokenCounter extends LatestCall<PromptTokensRequest, PromptTokens> {
  constructor(client: StudioClient) {
    super((request) => client.call('prompt.tokens', request), { debounceMs: TOKENS_DEBOUNCE_MS, keepOnNull: false });
  }

  /** Counts for [prompt, negative prompt] with `model`'s tokenizer from now on (no model: nothing). */
  count(model: string, prompt: string, negative: string): void {
    this.want(model === '' ? null : { model, texts: [prompt, negative] });
  }
}
