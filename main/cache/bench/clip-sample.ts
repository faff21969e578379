/**
 * A clip as one benchmark sample: its frames (each W·H·3 RGB bytes) stacked into one W × (F·H)
 * image — the same bytes in the same order — so PSNR against the uncached clip is over every
 * pixel of every frame, and SSIM is the stacked image's (an SSIM window within 5 rows of a frame
 * boundary sees both frames).
 */

export function concatBytes(frames: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** The stacked image's size: a still's own, or F frames high. */
export function stackedSize(size: { width: number; height: number }, frames: number | undefined): { width: number; height: number } {
  return { width: size.width, height: size.height * (frames ?? 1) };
}
