/// <reference path="./gifenc.d.ts" />
/**
 * An animated GIF of a clip, with the recipe inside it, built on gifenc. The gifenc
 * functions come in as a parameter (GifencApi) because this layer imports no packages;
 * the CLI and the renderer each pass the same `gifenc` module, so both write the same bytes.
 *
 * Layout (GIF89a): header · logical screen · one global palette (≤256 colours, quantised
 * over every frame, so colours do not flicker between frames) · NETSCAPE2.0 loop forever ·
 * per frame: graphic control (delay) + image · comment extension with the recipe · trailer.
 *
 * GIF counts delays in centiseconds: 8 fps (125 ms) cannot be stored exactly. Each delay
 * is rounded so the running total stays on the ideal timeline (13, 12, 13, 12 … cs at
 * 8 fps), which keeps the clip's length right. Browsers treat delays under 2 cs as 10 cs,
 * so faster rates are clamped to 2 cs (50 fps).
 */

/** The part of gifenc this file calls (its own signatures, narrowed). */
export interface GifencApi {
  GIFEncoder(): {
    writeFrame(index: Uint8Array, width: number, height: number, options: { palette?: number[][]; delay?: number; repeat?: number }): void;
    finish(): void;
    bytes(): Uint8Array;
    readonly stream: { writeBytes(data: ArrayLike<number>): void };
  };
  quantize(rgba: Uint8Array, maxColors: number): number[][];
  applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
}

export interface GifClip {
  width: number;
  height: number;
  /** RGBA frames, width·height·4 bytes each. */
  frames: readonly Uint8Array[];
  fps: number;
}

/** Delay of each of `count` frames in ms, each a multiple of 10 (GIF centiseconds), on the ideal timeline of `fps`. */
export function gifFrameDelaysMs(count: number, fps: number): number[] {
  const cs = Math.max(2, 100 / fps);
  return Array.from({ length: count }, (_, i) => (Math.round((i + 1) * cs) - Math.round(i * cs)) * 10);
}

/**
 * A comment extension: 0x21 0xFE, then sub-blocks of ≤255 bytes each prefixed with its
 * length, then a 0 terminator. GIF comments are 7-bit ASCII, so every character outside
 * printable ASCII is written as a JSON-style \uXXXX escape (JSON text stays valid JSON).
 */
export function gifCommentExtension(text: string): Uint8Array {
  const ascii = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const blocks = Math.ceil(ascii.length / 255);
  const out = new Uint8Array(2 + ascii.length + blocks + 1);
  out[0] = 0x21;
  out[1] = 0xfe;
  let pos = 2;
  for (let start = 0; start < ascii.length; start += 255) {
    const part = ascii.slice(start, start + 255);
    out[pos++] = part.length;
    for (let i = 0; i < part.length; i++) out[pos++] = part.charCodeAt(i);
  }
  out[pos] = 0;
  return out;
}

/** Palette indices (width·height, one byte each) scaled up `scale` times by repeating pixels. */
export function upscaleIndices(indices: Uint8Array, width: number, height: number, scale: number): Uint8Array {
  if (scale === 1) return indices;
  const outW = width * scale;
  const out = new Uint8Array(outW * height * scale);
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(outW);
    for (let x = 0; x < width; x++) row.fill(indices[y * width + x] as number, x * scale, (x + 1) * scale);
    for (let r = 0; r < scale; r++) out.set(row, (y * scale + r) * outW);
  }
  return out;
}

/** The whole GIF: frames scaled `scale` times (nearest neighbour), looping forever, `comment` inside. */
export function encodeGif(gifenc: GifencApi, clip: GifClip, scale: number, comment: string): Uint8Array {
  const { width, height, frames } = clip;
  const all = new Uint8Array(frames.length * width * height * 4);
  frames.forEach((f, i) => all.set(f, i * width * height * 4));
  // Quantised at the stored size: upscaling by repeating pixels adds no colours.
  const palette = gifenc.quantize(all, 256);
  const delays = gifFrameDelaysMs(frames.length, clip.fps);
  const encoder = gifenc.GIFEncoder();
  frames.forEach((rgba, i) => {
    const index = upscaleIndices(gifenc.applyPalette(rgba, palette), width, height, scale);
    encoder.writeFrame(index, width * scale, height * scale, { palette: i === 0 ? palette : undefined, delay: delays[i], repeat: 0 });
  });
  encoder.stream.writeBytes(gifCommentExtension(comment));
  encoder.finish();
  return encoder.bytes();
}
