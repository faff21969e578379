/**
 * When a live preview is due (core/sampling/preview-schedule.ts): the step gap, one at a time,
 * never on the last step, the time budget measured in the run, and stopping after a failure.
 * The clock is a variable the tests move.
 */
import { describe, expect, it } from 'vitest';
import { defaultPreviewPolicy, PreviewSchedule } from '../../../core/sampling/preview-schedule';

/** Steps (0-based) after which a preview begins, each taking `previewMs`, with steps of `stepMs`. */
function run(numSteps: number, minGap: number, budget: number, stepMs: number, previewMs: number): number[] {
  let t = 0;
  const schedule = new PreviewSchedule(numSteps, { minGap, budget }, () => t);
  const begun: number[] = [];
  for (let i = 0; i < numSteps; i++) {
    t += stepMs;
    if (schedule.begin(i)) {
      begun.push(i);
      t += previewMs;
      schedule.end(previewMs);
    }
  }
  return begun;
}

describe('PreviewSchedule', () => {
  it('a cheap preview comes every minGap steps, never after the last step', () => {
    expect(run(20, 5, 0.1, 10, 0.1)).toEqual([4, 9, 14]);
    expect(run(6, 2, 0.5, 10, 0)).toEqual([1, 3]);
  });

  it('an expensive preview is spaced out so previews take about `budget` of the run', () => {
    const begun = run(200, 2, 0.1, 10, 5);
    // 5 ms previews next to 10 ms steps: every 2 steps would be 20% of the time.
    const previewMs = begun.length * 5;
    const total = 200 * 10 + previewMs;
    // Within the budget but for the one preview that may pass it, and not far below it.
    expect((previewMs - 5) / total).toBeLessThanOrEqual(0.1);
    expect(previewMs / total).toBeGreaterThan(0.08);
    expect(begun.length).toBeLessThan(100);
  });

  it('only one preview at a time', () => {
    let t = 0;
    const schedule = new PreviewSchedule(10, { minGap: 1, budget: 0.5 }, () => t);
    t = 10;
    expect(schedule.begin(0)).toBe(true);
    t = 20;
    expect(schedule.begin(1)).toBe(false);
    schedule.end(0);
    expect(schedule.begin(2)).toBe(true);
    schedule.end(1);
    expect(schedule.spent).toEqual({ count: 2, ms: 1 });
  });

  it('stop() ends previews for the run', () => {
    let t = 0;
    const schedule = new PreviewSchedule(10, { minGap: 1, budget: 0.5 }, () => (t += 10));
    schedule.stop();
    expect([0, 1, 2, 3].some((i) => schedule.begin(i))).toBe(false);
  });

  it('the default policy: about ten previews a run within 8% of its time', () => {
    expect(defaultPreviewPolicy(50)).toEqual({ minGap: 5, budget: 0.08 });
    expect(defaultPreviewPolicy(4).minGap).toBe(2);
  });

  it('refuses a policy outside its ranges', () => {
    expect(() => new PreviewSchedule(10, { minGap: 0, budget: 0.1 }, () => 0)).toThrow(/minGap/);
    expect(() => new PreviewSchedule(10, { minGap: 2, budget: 1 }, () => 0)).toThrow(/budget/);
  });
});
