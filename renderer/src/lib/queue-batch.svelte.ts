/**
 * The Batch field: how many images one Generate queues (1..BATCH_MAX), each with the next
 * seed (contract/batch.ts). Its error is derived, like the form's, so it cannot go stale.
 */
import { BATCH_MAX } from '../../../contract/batch';

export class BatchSize {
  /** null while the field is empty. */
  count = $state<number | null>(1);

  readonly error: string | undefined = $derived(
    this.count !== null && Number.isInteger(this.count) && this.count >= 1 && this.count <= BATCH_MAX
      ? undefined
      : `Batch must be a whole number from 1 to ${BATCH_MAX}`,
  );
}
