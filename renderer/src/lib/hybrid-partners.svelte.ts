/**
 * The models that can pair with the chosen one for this run ('hybrid.partners'), asked again
 * when the model, steps or scheduler change, through LatestCall (debounced, stale answers
 * dropped). The previous answer stays until the next one comes, so the panel does not flicker
 * while steps are typed; `responseFor` says which model it is for.
 */
import type { HybridPartners, HybridPartnersRequest, StudioClient } from '../../../contract/api';
import { LatestCall } from './latest-call.svelte';

export const PARTNERS_DEBOUNCE_MS = 150;

export class HybridPartnersState extends LatestCall<HybridPartnersRequest, HybridPartners> {
  constructor(client: StudioClient) {
    super((request) => client.call('hybrid.partners', request), { debounceMs: PARTNERS_DEBOUNCE_MS, keepOnNull: true });
  }

  /** The model as it was asked for (an id or a folder path; the answer names the resolved id). */
  get responseFor(): string {
    return this.answered?.model ?? '';
  }
}
