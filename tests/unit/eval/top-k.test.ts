/**
 * Ranking and top-k accuracy, median/mean of timings, and the RGB → CHW [−1, 1] packing
 * that feeds the evaluation classifier.
 */
import { describe, expect, it } from 'vitest';
import { rgb8BatchToChw } from '../../../core/eval/rgb-to-chw';
import { medianAndMean } from '../../../core/eval/timing-stats';
import { rankRows, topKAccuracy, topKIndices } from '../../../core/eval/top-k';

describe('topKIndices / rankRows', () => {
  it('ranks largest first, ties by lower index, k capped at the class count', () => {
    expect(topKIndices([0.1, 5, -3, 5, 2], 3)).toEqual([1, 3, 4]);
    expect(topKIndices([1, 2], 5)).toEqual([1, 0]);
    expect(rankRows([1, 2, 3, 3, 2, 1], 2, 3, 1)).toEqual([[2], [0]]);
  });

  it('refuses NaN scores and bad shapes', () => {
    expect(() => topKIndices([1, NaN], 1)).toThrow(/NaN/);
    expect(() => topKIndices([1], 0)).toThrow(/positive integer/);
    expect(() => rankRows([1, 2, 3], 2, 2, 1)).toThrow(/need 4 values/);
  });
});

describe('topKAccuracy', () => {
  it('counts top-1 and top-5 hits over labelled items only', () => {
    const rankings = [
      [0, 1, 2, 3, 4, 5],
      [1, 0, 2, 3, 4, 5],
      [5, 4, 3, 2, 1, 0],
      [2, 3, 4, 5, 1, 0],
    ];
    // item 0: top-1 hit; item 1: top-5 hit at rank 2; item 2: excluded; item 3: label 0 is ranked 6th — a miss.
    const acc = topKAccuracy(rankings, [0, 0, null, 0]);
    expect(acc).toEqual({ top1: 1 / 3, top5: 2 / 3, counted: 3, excluded: 1 });
  });

  it('gives null fractions when every item is excluded', () => {
    expect(topKAccuracy([[0]], [null])).toEqual({ top1: null, top5: null, counted: 0, excluded: 1 });
    expect(() => topKAccuracy([[0]], [])).toThrow(/1 rankings but 0 labels/);
  });
});

describe('medianAndMean', () => {
  it('takes the middle value (or the mean of the middle two) and the mean', () => {
    expect(medianAndMean([3, 1, 2])).toEqual({ median: 2, mean: 2 });
    expect(medianAndMean([10, 1, 2, 3])).toEqual({ median: 2.5, mean: 4 });
    expect(() => medianAndMean([])).toThrow(/no values/);
  });
});

describe('rgb8BatchToChw', () => {
  it('maps 0 → −1 and 255 → 1 into planar channels', () => {
    // 1×2 image: pixel 0 = (0, 255, 51), pixel 1 = (255, 0, 204)
    const chw = rgb8BatchToChw([Uint8Array.from([0, 255, 51, 255, 0, 204])], 1, 2);
    expect(Array.from(chw)).toEqual([-1, 1, 1, -1, 51 / 127.5 - 1, 204 / 127.5 - 1].map(Math.fround));
    expect(() => rgb8BatchToChw([new Uint8Array(5)], 1, 2)).toThrow(/needs 6/);
  });
});
