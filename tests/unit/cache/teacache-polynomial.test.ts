import { describe, expect, it } from 'vitest';
import { solveLeastSquares } from '../../../core/cache/least-squares';
import { evaluatePolynomial, fitTeaCachePolynomial, teaCachePairs } from '../../../core/cache/teacache-polynomial';
import { randomRuns, recordRuns } from './synthetic-trajectories';

/** A published TeaCache polynomial (FLUX), highest power first. */
const FLUX = [498.651651, -283.781631, 55.8554382, -3.82021401, 0.264230861];

describe('TeaCache polynomial fit', () => {
  it('recovers a known degree-4 polynomial from exact samples', () => {
    const pairs = Array.from({ length: 40 }, (_, i) => {
      const input = 0.005 + i * 0.0075;
      return { input, output: evaluatePolynomial(FLUX, input) };
    });
    const fit = fitTeaCachePolynomial(pairs);
    fit.forEach((c, i) => expect(c).toBeCloseTo(FLUX[i] as number, 5));
  });

  it('is the least-squares fit on noisy samples (residual orthogonal to every power of x)', () => {
    const pairs = Array.from({ length: 60 }, (_, i) => {
      const input = 0.01 * (i + 1);
      return { input, output: 0.3 * input + 2 * input * input + 0.01 * Math.sin(i * 1.7) };
    });
    const fit = fitTeaCachePolynomial(pairs);
    for (let power = 0; power <= 4; power++) {
      let dot = 0;
      for (const p of pairs) dot += (p.output - evaluatePolynomial(fit, p.input)) * p.input ** power;
      expect(Math.abs(dot)).toBeLessThan(1e-10);
    }
  });

  it('refuses fewer than five distinct inputs', () => {
    expect(() => fitTeaCachePolynomial([0.1, 0.1, 0.2, 0.3, 0.4].map((input) => ({ input, output: input })))).toThrow(/5 distinct/);
  });

  it('Horner evaluation, highest power first', () => {
    expect(evaluatePolynomial([1, 0, 0, 0, 2], 2)).toBe(18);
    expect(evaluatePolynomial([0, 0, 0, 1, 0], 0.3)).toBe(0.3);
  });

  it('least squares solves an exactly determined system and flags rank deficiency', () => {
    expect(solveLeastSquares([[2, 0], [0, 4]], [2, 8]).map((v) => Number(v.toFixed(12)))).toEqual([1, 2]);
    expect(() => solveLeastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3])).toThrow(/rank-deficient/);
  });

  it('takes its pairs from a profile: probe change in, output change out, every step k ≥ 1', () => {
    const runs = randomRuns(2, 6, 12);
    const profile = recordRuns(runs, 2, [2, 2, 3]);
    const pairs = teaCachePairs(profile);
    expect(pairs).toHaveLength(2 * 2 * 5);
    const run = runs[0];
    if (run === undefined) throw new Error('missing');
    const l1 = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0);
    const norm = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + Math.abs(v), 0);
    const [s0, s1] = [run[0], run[1]];
    if (s0 === undefined || s1 === undefined) throw new Error('missing');
    // uncond branch, prompt 0, k = 1 comes first.
    expect(pairs[0]?.input).toBeCloseTo(l1(s1.input, s0.input) / norm(s0.input), 9);
    expect(pairs[0]?.output).toBeCloseTo(l1(s1.outputs.uncond, s0.outputs.uncond) / norm(s0.outputs.uncond), 9);
  });
});
