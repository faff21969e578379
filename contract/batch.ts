/**
 * Batches: one Generate (or `studio generate --batch N`) queues N jobs of the same request,
 * with seeds S, S+1, …, S+N−1, each its own job, history row and PNG with its own recipe.
 * Shared by the renderer's Batch field and the CLI so both number seeds the same way.
 *
 * Pure TypeScript, like the rest of contract/.
 */
import { LIMITS } from './api';
import type { GenerateRequest } from './request-schema';

/** Most images one batch makes. */
export const BATCH_MAX = 16;

/** The batch's requests: `request` with consecutive seeds, wrapping past LIMITS.seedMax to 0. */
export function batchRequests(request: GenerateRequest, count: number): GenerateRequest[] {
  return Array.from({ length: count }, (_, i) => ({ ...request, seed: (request.seed + i) % (LIMITS.seedMax + 1) }));
}
