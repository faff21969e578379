/**
 * Zoom steps of the large view. Scales are whole multiples of the image's own pixels, so a
 * 64 px image drawn with `image-rendering: pixelated` keeps every pixel a sharp square.
 */
export const ZOOM_STEPS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32] as const;

/** The largest step at which an image of `size` px fits in `room` px (at least 1). */
export function fitScale(size: { width: number; height: number }, room: { width: number; height: number }): number {
  const ratio = Math.min(room.width / size.width, room.height / size.height);
  return [...ZOOM_STEPS].reverse().find((s) => s <= ratio) ?? 1;
}

/** The next step in `direction` (+1 in, −1 out) from `scale`, clamped to the ends. */
export function stepZoom(scale: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((s) => s > scale) ?? ZOOM_STEPS.at(-1)!;
  return [...ZOOM_STEPS].reverse().find((s) => s < scale) ?? ZOOM_STEPS[0];
}
