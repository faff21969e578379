import { describe, expect, it } from 'vitest';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { knobGrid, MAIN_KNOB_RANGE, mainKnobValue, withMainKnob } from '../../../core/cache/main-knob';
import { planSchedule } from '../../../core/cache/plan-schedule';
import { planStops } from '../../../core/cache/plan-stops';
import { keyFor, randomRuns, recordRuns } from './synthetic-trajectories';

const STEPS = 10;
const profile = recordRuns(randomRuns(1, STEPS, 12), 2, [2, 2, 3]);
const calibration = { profile, key: keyFor(STEPS, 2) };
const steps = (config: ReturnType<typeof validateCacheConfig>, value: number): boolean[] => planSchedule(withMainKnob(config, value), STEPS, calibration).computeSteps;

describe('the main knob', () => {
  it('reads and sets each method’s own field; the threshold grid is 0, 0.01, …, 3', () => {
    const erta = validateCacheConfig({ method: 'ertacache', lambda: 0.3 });
    expect(mainKnobValue(withMainKnob(erta, 0.5))).toBe(0.5);
    expect(withMainKnob(validateCacheConfig({ method: 'fora', interval: 2 }), 4)).toEqual({ method: 'fora', interval: 4 });
    const grid = knobGrid(MAIN_KNOB_RANGE.ertacache ?? { min: 0, max: 0, step: 1 });
    expect([grid.length, grid[0], grid[1], grid[grid.length - 1]]).toEqual([301, 0, 0.01, 3]);
  });
});

describe('planStops', () => {
  it('ERTACache: each stop gives a different plan, every value between two stops the first one’s plan', () => {
    const config = validateCacheConfig({ method: 'ertacache', lambda: 0.3 });
    const stops = planStops(config, STEPS, calibration);
    expect(stops[0]).toBe(0);
    expect(stops.length).toBeGreaterThan(2);
    // Far fewer stops than grid values: most of λ's range repeats a plan.
    expect(stops.length).toBeLessThan(knobGrid(MAIN_KNOB_RANGE.ertacache ?? { min: 0, max: 0, step: 1 }).length / 4);
    const plans = stops.map((v) => steps(config, v).join());
    expect(new Set(plans).size).toBe(stops.length);
    for (const value of knobGrid(MAIN_KNOB_RANGE.ertacache ?? { min: 0, max: 0, step: 1 })) {
      const stop = [...stops].reverse().find((s) => s <= value) as number;
      expect(steps(config, value), `λ ${value}`).toEqual(steps(config, stop));
    }
  });

  it('FORA without a profile: every interval up to where the plan stops changing', () => {
    const stops = planStops(validateCacheConfig({ method: 'fora', interval: 3 }), STEPS);
    // 10 steps: intervals 1..8 all give different computed sets (0,k,2k,… below 10).
    expect(stops).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(planStops(validateCacheConfig({ method: 'fora', interval: 3 }), 4)).toEqual([1, 2, 3, 4]);
  });

  it('no knob, or a method that needs a profile without one: no stops', () => {
    expect(planStops({ method: 'none' }, STEPS)).toEqual([]);
    expect(planStops(validateCacheConfig({ method: 'magcache' }), STEPS)).toEqual([]);
  });
});
