/**
 * Encodes a clip of 8-bit RGB frames as one animated PNG (APNG, PNG 3rd edition §11.3.3) that
 * carries its recipe like every still the studio writes:
 *
 *   IHDR (8-bit truecolour, not interlaced)
 *   acTL  num_frames u32 · num_plays u32 (0: loop forever)
 *   tEXt 'parameters', iTXt 'studio-recipe'   (png-writer.ts recipeTexts)
 *   fcTL  seq 0 · frame 0's control           then IDAT: frame 0 is also the default image,
 *   IDAT  frame 0                             so a viewer without APNG shows the first frame
 *   fcTL  seq 1 · frame 1 · fdAT seq 2 · frame 1 data, and so on: every fcTL and fdAT takes the
 *         next sequence number, from 0 with no gaps
 *   IEND
 *
 *   fcTL (26 bytes): seq u32, width u32, height u32, x u32, y u32, delay_num u16, delay_den u16,
 *                    dispose_op u8 (0 none), blend_op u8 (0 source): every frame covers the canvas
 *   fdAT: seq u32 · the zlib stream an IDAT of that frame would hold
 *
 * The frame delay is delay_num/delay_den seconds = 1/fps, written exactly where fps has at most
 * three decimals (see frameDelay). Output is a pure function of frames, fps and recipe: the
 * same inputs give the same bytes.
 */
import zlib from 'node:zlib';
import type { Recipe } from '../../contract/api';
import { encodeChunk, PNG_SIGNATURE } from './png-chunks';
import { filterRows, recipeTexts, rgbHeaderChunk, textChunk } from './png-writer';

export interface ApngClip {
  /** RGB frames, width·height·3 bytes each, row-major. */
  frames: readonly Uint8Array[];
  width: number;
  height: number;
  /** Frames per second, > 0. */
  fps: number;
}

/** A frame's delay as the fraction delay_num/delay_den seconds, both u16 and den > 0. */
export interface FrameDelay {
  num: number;
  den: number;
}

const U16_MAX = 0xffff;

/** 1/fps as num/den: 1/fps for whole rates, 10/(10·fps) for one decimal, up to 1000/(1000·fps); the nearest u16 pair past that. @throws RangeError */
export function frameDelay(fps: number): FrameDelay {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`fps must be a positive number, got ${fps}`);
  for (const num of [1, 10, 100, 1000]) {
    const den = fps * num;
    if (Number.isInteger(den) && den <= U16_MAX) return { num, den };
  }
  // Not a rate with ≤ 3 decimals: the closest fraction with a u16 denominator and num 1000 (or fewer for fast rates).
  const num = Math.max(1, Math.min(1000, Math.floor(U16_MAX / fps)));
  return { num, den: Math.max(1, Math.min(U16_MAX, Math.round(fps * num))) };
}

/** fcTL data for a full-canvas frame: sequence number, size, offset 0,0, delay, dispose none, blend source. */
function frameControl(seq: number, width: number, height: number, delay: FrameDelay): Buffer {
  const data = Buffer.alloc(26);
  data.writeUInt32BE(seq, 0);
  data.writeUInt32BE(width, 4);
  data.writeUInt32BE(height, 8);
  data.writeUInt32BE(0, 12);
  data.writeUInt32BE(0, 16);
  data.writeUInt16BE(delay.num, 20);
  data.writeUInt16BE(delay.den, 22);
  data[24] = 0; // dispose_op: none
  data[25] = 0; // blend_op: source
  return encodeChunk('fcTL', data);
}

/** @throws Error on no frames, frames of the wrong byte length, or a size that is not positive integers */
export function encodeApng(clip: ApngClip, recipe: Recipe): Buffer {
  const { frames, width, height } = clip;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`APNG size must be positive integers (got ${width}x${height})`);
  if (frames.length === 0) throw new Error('An APNG needs at least one frame.');
  frames.forEach((rgb, i) => {
    if (rgb.length !== width * height * 3) throw new Error(`Frame ${i} has ${rgb.length} bytes; ${width}x${height} RGB needs ${width * height * 3}.`);
  });
  const delay = frameDelay(clip.fps);
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(frames.length, 0);
  actl.writeUInt32BE(0, 4); // num_plays: loop forever
  const chunks: Buffer[] = [PNG_SIGNATURE, rgbHeaderChunk(width, height), encodeChunk('acTL', actl)];
  for (const t of recipeTexts(recipe)) chunks.push(textChunk(t.keyword, t.text, t.international));
  let seq = 0;
  frames.forEach((rgb, i) => {
    chunks.push(frameControl(seq++, width, height, delay));
    const compressed = zlib.deflateSync(filterRows(rgb, width, height, 3), { level: 9 });
    if (i === 0) {
      chunks.push(encodeChunk('IDAT', compressed));
      return;
    }
    const fdat = Buffer.alloc(4 + compressed.length);
    fdat.writeUInt32BE(seq++, 0);
    compressed.copy(fdat, 4);
    chunks.push(encodeChunk('fdAT', fdat));
  });
  chunks.push(encodeChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(chunks);
}
