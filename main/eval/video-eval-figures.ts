/**
 * The per-set figures of a video evaluation (video-eval-report.ts), from what was measured per
 * clip: the image classifier's rankings of every frame, the motion classifier's ranking and
 * features of every clip, the image model's rankings, consistency and times.
 */
import { frechetDistance } from '../../core/eval/frechet-distance';
import { medianAndMean } from '../../core/eval/timing-stats';
import { topKAccuracy, type TopKAccuracy } from '../../core/eval/top-k';
import { wilsonInterval } from '../../core/eval/wilson-interval';
import type { ClipConsistency } from '../../core/eval/clip-consistency';
import type { CountedAccuracy } from './eval-report';
import type { VideoSetFigures } from './video-eval-report';

/** What was measured of one clip. */
export interface ClipMeasures {
  /** Image-classifier ranking (best first) of each frame. */
  frameRankings: number[][];
  /** The intended subcategory's index in the image classifier, or null when it has none. */
  subcategory: number | null;
  identity: number;
  motionRanking: number[];
  motion: number;
  consistency: ClipConsistency;
  seconds: number;
  /** The image model's still for the same emoji, ranked; undefined when none was made. */
  imageRanking?: number[];
}

/** Real clips' features of one set: [count, dim] row-major. */
export interface RealRows {
  data: Float32Array;
  count: number;
  dim: number;
}

export function countedAccuracy(acc: TopKAccuracy): CountedAccuracy {
  const ci = (v: number | null): [number, number] | null => (v === null ? null : wilsonInterval(Math.round(v * acc.counted), acc.counted));
  return { top1: acc.top1, top5: acc.top5, counted: acc.counted, ci95: { top1: ci(acc.top1), top5: ci(acc.top5) } };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

function rows(data: Float32Array, dim: number, pick: readonly number[]): RealRows {
  const out = new Float32Array(pick.length * dim);
  pick.forEach((r, i) => out.set(data.subarray(r * dim, (r + 1) * dim), i * dim));
  return { data: out, count: pick.length, dim };
}

/**
 * Generated vs real d², and the floor: m = min(generated, ⌊real/2⌋) of the real rows at even
 * positions, spread evenly over them (the file groups clips by emoji and motion, so the first m
 * would cover only a few), against the rows at odd positions. Null where a set has fewer than 2
 * rows (a covariance needs two).
 */
export function frechetWithFloor(generated: RealRows, real: RealRows): VideoSetFigures['frechet'] {
  const half = Math.floor(real.count / 2);
  const m = Math.min(generated.count, half);
  const even = Array.from({ length: m }, (_, i) => 2 * Math.floor((i * half) / m));
  const odd = Array.from({ length: half }, (_, i) => 2 * i + 1);
  return {
    generated: generated.count >= 2 && real.count >= 2 ? frechetDistance(generated, real) : null,
    floor: m >= 2 ? frechetDistance(rows(real.data, real.dim, even), rows(real.data, real.dim, odd)) : null,
    realClips: real.count,
    floorClips: m,
  };
}

/** Figures over `clips` (one set, or all), with their motion features and the set's real features. */
export function setFigures(
  clips: readonly ClipMeasures[],
  features: RealRows,
  real: RealRows,
  ceiling: VideoSetFigures['ceiling'],
): VideoSetFigures {
  const frameRankings = clips.flatMap((c) => c.frameRankings);
  const frameLabels = clips.flatMap((c) => c.frameRankings.map(() => c.subcategory));
  const images = clips.filter((c) => c.imageRanking !== undefined);
  const consistency = clips.map((c) => c.consistency);
  return {
    clips: clips.length,
    perFrame: { ...countedAccuracy(topKAccuracy(frameRankings, frameLabels)), identity: mean(clips.map((c) => c.identity)) },
    imageModel: images.length === 0 ? null : countedAccuracy(topKAccuracy(images.map((c) => c.imageRanking as number[]), images.map((c) => c.subcategory))),
    motion: countedAccuracy(topKAccuracy(clips.map((c) => c.motionRanking), clips.map((c) => c.motion))),
    ceiling,
    frechet: frechetWithFloor(features, real),
    consistency: clips.length === 0
      ? null
      : { ssim: mean(consistency.map((c) => c.ssim)) as number, step: mean(consistency.map((c) => c.step)) as number, accel: mean(consistency.map((c) => c.accel)) as number },
    secondsPerClip: clips.length === 0 ? null : medianAndMean(clips.map((c) => c.seconds)),
  };
}
