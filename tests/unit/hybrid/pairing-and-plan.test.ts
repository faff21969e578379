/** The pure parts of hybrid inference: pairing rules, the step split, and the cost accounting. */
import { describe, expect, it } from 'vitest';
import { hybridCost } from '../../../core/hybrid/hybrid-accounting';
import { hybridPlan } from '../../../core/hybrid/hybrid-plan';
import { checkPairing, type PairingFacts } from '../../../core/hybrid/pairing-rules';

const facts = (over: Partial<PairingFacts> = {}): PairingFacts => ({
  id: 'a',
  latent: { channels: 4, height: 8, width: 8 },
  vaeScalingFactor: 0.97,
  predictionType: 'flow',
  sigmas: [1, 0.5, 0],
  conditioning: { sequenceLength: 32, hiddenSize: 128 },
  ...over,
});

describe('pairing rules', () => {
  it('accepts a matching pair and names each broken rule', () => {
    expect(() => checkPairing(facts(), facts({ id: 'b' }))).not.toThrow();
    const cases: [Partial<PairingFacts>, string][] = [
      [{ latent: { channels: 16, height: 8, width: 8 } }, 'latent-space'],
      [{ vaeScalingFactor: 0.18215 }, 'latent-space'],
      [{ predictionType: 'epsilon' }, 'prediction-type'],
      [{ sigmas: [1, 0.4, 0] }, 'noise-schedule'],
      [{ sigmas: [1, 0] }, 'noise-schedule'],
      [{ conditioning: { sequenceLength: 77, hiddenSize: 128 } }, 'conditioning'],
    ];
    for (const [over, rule] of cases) {
      expect(() => checkPairing(facts(), facts({ id: 'b', ...over }))).toThrow(expect.objectContaining({ rule, message: expect.stringContaining(`rule ${rule}`) }));
    }
  });
});

describe('hybridPlan', () => {
  it('splits K of N steps in either order, and refuses K outside 0..N', () => {
    expect(hybridPlan(5, 2, 'large-first')).toEqual(['large', 'large', 'small', 'small', 'small']);
    expect(hybridPlan(5, 2, 'small-first')).toEqual(['small', 'small', 'small', 'large', 'large']);
    expect(hybridPlan(3, 3, 'small-first')).toEqual(['large', 'large', 'large']);
    expect(hybridPlan(3, 0, 'large-first')).toEqual(['small', 'small', 'small']);
    expect(() => hybridPlan(3, 4, 'large-first')).toThrow(/0\.\.3/);
    expect(() => hybridPlan(3, 1.5, 'large-first')).toThrow(RangeError);
  });
});

describe('hybridCost', () => {
  const plan = hybridPlan(4, 2, 'large-first');
  it('counts calls on computed steps and shares compute by MACs when both are known', () => {
    const cost = hybridCost(plan, [true, false, true, true], new Map([['large', 3], ['small', 1]]), { large: 100, small: 10 }, 2);
    expect(cost.large).toEqual({ calls: 1, macs: 200, modelMs: 3 });
    expect(cost.small).toEqual({ calls: 2, macs: 40, modelMs: 1 });
    expect(cost.largeShare).toBeCloseTo(200 / 240, 12);
    expect(cost.shareBasis).toBe('macs');
  });
  it('falls back to model time when a model has no MAC figure', () => {
    const cost = hybridCost(plan, [true, true, true, true], new Map([['large', 6], ['small', 2]]), { large: 100 }, 1);
    expect(cost.small.macs).toBeNull();
    expect(cost.shareBasis).toBe('time');
    expect(cost.largeShare).toBeCloseTo(0.75, 12);
  });
});
