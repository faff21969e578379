/**
 * The 95% Wilson interval printed next to prompt accuracy: checked against values computed
 * by hand from the closed form, and its behaviour at the edges.
 */
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../core/eval/wilson-interval';

describe('wilsonInterval', () => {
  it('matches the closed form for 222 of 362 (top-5 0.613 on the eval captions)', () => {
    const [lo, hi] = wilsonInterval(222, 362);
    expect(lo).toBeCloseTo(0.5622, 3);
    expect(hi).toBeCloseTo(0.6620, 3);
  });

  it('is asymmetric and stays inside [0, 1] at the edges', () => {
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(10, 10)[0]).toBeCloseTo(0.7225, 3);
    const [lo, hi] = wilsonInterval(1, 2);
    expect(lo + hi).toBeCloseTo(1, 12);
  });

  it('narrows as n grows', () => {
    const width = (h: number, n: number) => { const [a, b] = wilsonInterval(h, n); return b - a; };
    expect(width(600, 1000)).toBeLessThan(width(60, 100));
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/hits must be an integer in 0..2/);
    expect(() => wilsonInterval(1.5, 4)).toThrow(/hits/);
    expect(() => wilsonInterval(0, 0)).toThrow(/n must be a positive integer/);
  });
});
