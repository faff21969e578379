/**
 * When a live preview may be made, so that previews stay cheap next to the run they show:
 *
 *   after step i (k = i + 1 steps done of N), a preview is due when
 *     k < N                                   (the final image follows anyway)
 *     k − k_last ≥ minGap                     (at most one preview every minGap steps)
 *     no preview is being made                (one at a time)
 *     spentMs ≤ budget · (now − start)        (previews so far took at most `budget` of the run)
 *
 * The budget is checked against time measured in this run, so a slow decoder next to a fast
 * denoiser gets fewer previews instead of slowing the run down: the share of the run spent on
 * previews stays near `budget` (it can pass it by at most one preview). Times in milliseconds.
 */

export interface PreviewPolicy {
  /** Fewest steps between two previews, ≥ 1. */
  minGap: number;
  /** Largest share of the run's time spent on previews, in (0, 1). */
  budget: number;
}

/**
 * About ten previews a run within 8% of its time: the schedule sees only the previews' own time,
 * and a preview also costs the run a little outside it (the denoiser's idle session threads wake
 * up again after it), so 8% measured keeps the whole cost near a tenth of the run.
 */
export function defaultPreviewPolicy(numSteps: number): PreviewPolicy {
  return { minGap: Math.max(2, Math.round(numSteps / 10)), budget: 0.08 };
}

export class PreviewSchedule {
  #lastDone = 0;
  #spentMs = 0;
  #busy = false;
  #count = 0;
  #stopped = false;
  readonly #start: number;

  /** @throws RangeError on a policy outside its ranges */
  constructor(
    private readonly numSteps: number,
    private readonly policy: PreviewPolicy,
    private readonly now: () => number,
  ) {
    if (!(Number.isInteger(policy.minGap) && policy.minGap >= 1)) throw new RangeError(`preview minGap must be an integer ≥ 1, got ${policy.minGap}`);
    if (!(policy.budget > 0 && policy.budget < 1)) throw new RangeError(`preview budget must be in (0, 1), got ${policy.budget}`);
    this.#start = now();
  }

  /** Whether a preview may be made after step `stepIndex`; when true the preview counts as begun. */
  begin(stepIndex: number): boolean {
    const done = stepIndex + 1;
    if (this.#stopped || this.#busy || done >= this.numSteps || done - this.#lastDone < this.policy.minGap) return false;
    if (this.#spentMs > this.policy.budget * (this.now() - this.#start)) return false;
    this.#busy = true;
    this.#lastDone = done;
    return true;
  }

  /** The preview begun last is finished (made, or given up) after `ms`. */
  end(ms: number): void {
    this.#busy = false;
    this.#spentMs += ms;
    this.#count++;
  }

  /** No more previews this run (one failed). */
  stop(): void {
    this.#stopped = true;
  }

  /** Previews made and the milliseconds they took. */
  get spent(): { count: number; ms: number } {
    return { count: this.#count, ms: this.#spentMs };
  }
}
