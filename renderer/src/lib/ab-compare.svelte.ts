/**
 * One-click A/B of a result against the same recipe without its speed-up: a cached result
 * against the run uncached, or a hybrid result against the large model alone. Either a stored
 * twin is reused or one is generated (same seed). While it generates, `waitingFor` names the
 * record being compared; the pair appears when the twin is done.
 */
import type { GenerationRecord } from '../../../contract/api';

/** What the reference leaves out: the cache, the hybrid split (large model only), or the quantization (fp32). */
export type AbAgainst = 'uncached' | 'large-only' | 'fp32';

export interface AbPair {
  /** The sped-up record (cached or hybrid, as `against` says). */
  cached: GenerationRecord;
  reference: GenerationRecord;
  against: AbAgainst;
}

export class AbCompare {
  pair = $state.raw<AbPair | null>(null);
  /** The record whose twin is being generated. */
  waitingFor = $state.raw<GenerationRecord | null>(null);
  /** Which twin is being generated for `waitingFor`. */
  waitingAgainst = $state<AbAgainst>('uncached');

  show(cached: GenerationRecord, reference: GenerationRecord, against: AbAgainst = 'uncached'): void {
    this.waitingFor = null;
    this.pair = { cached, reference, against };
  }

  wait(cached: GenerationRecord, against: AbAgainst = 'uncached'): void {
    this.pair = null;
    this.waitingFor = cached;
    this.waitingAgainst = against;
  }

  /** Whether the `against` twin of `record` is being generated. */
  isWaiting(record: GenerationRecord, against: AbAgainst): boolean {
    return this.waitingFor?.id === record.id && this.waitingAgainst === against;
  }

  /** The twin's job ended; returns the cached record it was for, if one was waiting. */
  settle(reference: GenerationRecord | null): GenerationRecord | null {
    const cached = this.waitingFor;
    this.waitingFor = null;
    if (cached && reference) this.pair = { cached, reference, against: this.waitingAgainst };
    return cached;
  }

  close(): void {
    this.pair = null;
    this.waitingFor = null;
  }
}
