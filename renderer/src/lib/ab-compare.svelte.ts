/**
 * One-click A/B of a cached result against the same recipe uncached: either a stored uncached
 * twin is reused or one is generated (same seed, cache off). While it generates, `waitingFor`
 * names the cached record; the pair appears when the twin is done.
 */
import type { GenerationRecord } from '../../../contract/api';

export interface AbPair {
  cached: GenerationRecord;
  reference: GenerationRecord;
}

export class AbCompare {
  pair = $state.raw<AbPair | null>(null);
  /** The cached record whose uncached twin is being generated. */
  waitingFor = $state.raw<GenerationRecord | null>(null);

  show(cached: GenerationRecord, reference: GenerationRecord): void {
    this.waitingFor = null;
    this.pair = { cached, reference };
  }

  wait(cached: GenerationRecord): void {
    this.pair = null;
    this.waitingFor = cached;
  }

  /** The twin's job ended; returns the cached record it was for, if one was waiting. */
  settle(reference: GenerationRecord | null): GenerationRecord | null {
    const cached = this.waitingFor;
    this.waitingFor = null;
    if (cached && reference) this.pair = { cached, reference };
    return cached;
  }

  close(): void {
    this.pair = null;
    this.waitingFor = null;
  }
}
