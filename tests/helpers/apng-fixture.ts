/**
 * Clips for export tests: a minimal APNG encoder (full-canvas frames, dispose op 0, blend
 * op 0, filter type 0) and frames whose pixels differ from frame to frame, so a dropped,
 * repeated or reordered frame is caught. Written from the APNG 1.0 spec, independently
 * of the studio's own writer, so the reader is checked against a second implementation.
 */
import zlib from 'node:zlib';
import { encodeChunk, PNG_SIGNATURE } from '../../main/png/png-chunks';
import { textChunk } from '../../main/png/png-writer';

export interface TestClip {
  width: number;
  height: number;
  /** RGBA frames, width·height·4 bytes each. */
  frames: Uint8Array[];
}

/** `count` frames of a moving diagonal gradient; frame i's top-left pixel is (i·16, 0, 255−i·16). */
export function gradientClip(count: number, width = 64, height = 64): TestClip {
  const frames = Array.from({ length: count }, (_, i) => {
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        rgba[p] = (i * 16 + x * 2) & 0xff;
        rgba[p + 1] = (y * 4 + x) & 0xff;
        rgba[p + 2] = (255 - i * 16) & 0xff;
        rgba[p + 3] = 255;
      }
    }
    return rgba;
  });
  return { width, height, frames };
}

export interface ApngOptions {
  /** Frame delay delay_num/delay_den seconds (default 1/8). */
  delayNum?: number;
  delayDen?: number;
  /** Text chunks (keyword → text), written as tEXt or iTXt like png-writer does. */
  texts?: Record<string, string>;
  /** Colour type 2 (drop alpha) instead of 6. */
  rgb?: boolean;
}

function scanlines(rgba: Uint8Array, width: number, height: number, rgb: boolean): Buffer {
  const bpp = rgb ? 3 : 4;
  const out = Buffer.alloc(height * (width * bpp + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < bpp; c++) out[y * (width * bpp + 1) + 1 + x * bpp + c] = rgba[(y * width + x) * 4 + c] as number;
    }
  }
  return out;
}

/** An APNG of `clip`: IHDR, acTL, texts, then fcTL+IDAT for frame 0 and fcTL+fdAT for the rest. */
export function encodeTestApng(clip: TestClip, options: ApngOptions = {}): Buffer {
  const { width, height, frames } = clip;
  const { delayNum = 1, delayDen = 8, texts = {}, rgb = false } = options;
  const u32 = (...values: number[]): Buffer => {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => b.writeUInt32BE(v, i * 4));
    return b;
  };
  const ihdr = Buffer.concat([u32(width, height), Buffer.from([8, rgb ? 2 : 6, 0, 0, 0])]);
  const parts: Buffer[] = [PNG_SIGNATURE, encodeChunk('IHDR', ihdr), encodeChunk('acTL', u32(frames.length, 0))];
  for (const [keyword, text] of Object.entries(texts)) parts.push(textChunk(keyword, text, true));
  let seq = 0;
  frames.forEach((rgba, i) => {
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(seq++, 0);
    fctl.writeUInt32BE(width, 4);
    fctl.writeUInt32BE(height, 8);
    fctl.writeUInt16BE(delayNum, 20);
    fctl.writeUInt16BE(delayDen, 22);
    parts.push(encodeChunk('fcTL', fctl));
    const data = zlib.deflateSync(scanlines(rgba, width, height, rgb));
    parts.push(i === 0 ? encodeChunk('IDAT', data) : encodeChunk('fdAT', Buffer.concat([u32(seq++), data])));
  });
  parts.push(encodeChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}
