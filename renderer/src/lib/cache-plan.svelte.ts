/**
 * The Speed-up panel's preview: which steps a cache setting will run, asked of the back end
 * ('cache.plan') as the user moves a slider, through LatestCall (debounced, stale answers
 * dropped). `want(null)` clears it: caching off, or the form is not valid.
 */
import type { StudioClient } from '../../../contract/api';
import type { CachePlanRequest, CachePlanResponse } from '../../../contract/cache';
import { LatestCall } from './latest-call.svelte';

export const PLAN_DEBOUNCE_MS = 150;

export class CachePlanState extends LatestCall<CachePlanRequest, CachePlanResponse> {
  constructor(client: StudioClient) {
    super((request) => client.call('cache.plan', request), { debounceMs: PLAN_DEBOUNCE_MS, keepOnNull: false });
  }
}
