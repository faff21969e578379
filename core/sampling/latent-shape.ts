/**
 * The shape of one latent, with named axes: channels first, then an optional frame axis (video),
 * then height and width. Flattened row-major, so a [C, F, h, w] video latent keeps each channel
 * contiguous and per-channel statistics (cache rectification, compensation) work unchanged.
 */
export interface LatentShape {
  channels: number;
  /** Frames of a video latent; absent for an image. */
  frames?: number;
  height: number;
  width: number;
}

export type LatentAxis = 'channels' | 'frames' | 'height' | 'width';

/** Axis names in memory order. */
export function latentAxes(shape: LatentShape): LatentAxis[] {
  return shape.frames === undefined ? ['channels', 'height', 'width'] : ['channels', 'frames', 'height', 'width'];
}

/** Dims in memory order: [C, h, w] or [C, F, h, w]. */
export function latentDims(shape: LatentShape): number[] {
  return latentAxes(shape).map((axis) => shape[axis] as number);
}

/** Values in one latent. */
export function latentSize(shape: LatentShape): number {
  return latentDims(shape).reduce((a, b) => a * b, 1);
}

/** @throws RangeError unless every axis is a positive integer */
export function checkLatentShape(shape: LatentShape): void {
  for (const axis of latentAxes(shape)) {
    const n = shape[axis];
    if (n === undefined || !Number.isInteger(n) || n < 1) throw new RangeError(`latent ${axis} must be a positive integer, got ${n}`);
  }
}
