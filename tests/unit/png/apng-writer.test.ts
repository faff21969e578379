/**
 * The studio's APNG writer, read back chunk by chunk with a parser written here from the APNG
 * spec: chunk order, acTL, fcTL/fdAT sequence numbers, CRCs and delays; then the pixels through
 * the APNG reader and the recipe through the text chunks.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { APNG_MEDIA_WRITER } from '../../../main/media/apng-media-writer';
import { mediaTypeFor } from '../../../main/media/media-types';
import { decodeApng } from '../../../main/png/apng-reader';
import { encodeApng, frameDelay } from '../../../main/png/apng-writer';
import { RECIPE_KEYWORD } from '../../../main/png/png-writer';
import { recipe } from '../store/fixtures';

interface RawChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function chunksOf(png: Buffer): RawChunk[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const out: RawChunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    out.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: Buffer.from(typeAndData.subarray(4)), crcOk: zlib.crc32(typeAndData) === png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

/** Three 2×2 frames, each a different flat colour. */
const frames = [10, 120, 250].map((v) => new Uint8Array(12).fill(v));

describe('encodeApng', () => {
  const clip = encodeApng({ frames, width: 2, height: 2, fps: 10 }, recipe({ width: 2, height: 2, video: { frames: 3, fps: 10 } }));
  const chunks = chunksOf(clip);

  it('lays out IHDR, acTL, texts, fcTL+IDAT, then fcTL+fdAT per frame, IEND, every CRC right', () => {
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'acTL', 'tEXt', 'iTXt', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'fcTL', 'fdAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const actl = chunks[1]?.data as Buffer;
    expect([actl.readUInt32BE(0), actl.readUInt32BE(4)]).toEqual([3, 0]);
  });

  it('numbers fcTL and fdAT 0, 1, 2, … without gaps, each fcTL a full-canvas frame of 1/10 s', () => {
    const seqs = chunks.filter((c) => c.type === 'fcTL' || c.type === 'fdAT').map((c) => c.data.readUInt32BE(0));
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    for (const fctl of chunks.filter((c) => c.type === 'fcTL').map((c) => c.data)) {
      expect(fctl.length).toBe(26);
      expect([fctl.readUInt32BE(4), fctl.readUInt32BE(8), fctl.readUInt32BE(12), fctl.readUInt32BE(16)]).toEqual([2, 2, 0, 0]);
      expect([fctl.readUInt16BE(20), fctl.readUInt16BE(22), fctl[24], fctl[25]]).toEqual([1, 10, 0, 0]);
    }
  });

  it('decodes to the frames it was given, with their delay and the recipe', () => {
    const decoded = decodeApng(clip);
    expect(decoded.animated).toBe(true);
    expect(decoded.frames.map((f) => [f.rgba[0], f.rgba[3], f.delayMs])).toEqual([
      [10, 255, 100],
      [120, 255, 100],
      [250, 255, 100],
    ]);
    expect(JSON.parse(decoded.texts[RECIPE_KEYWORD] ?? 'null').video).toEqual({ frames: 3, fps: 10 });
  });

  it('writes the same bytes for the same frames, rate and recipe', () => {
    const again = encodeApng({ frames, width: 2, height: 2, fps: 10 }, recipe({ width: 2, height: 2, video: { frames: 3, fps: 10 } }));
    expect(again.equals(clip)).toBe(true);
  });

  it('refuses no frames and frames of the wrong size', () => {
    expect(() => encodeApng({ frames: [], width: 2, height: 2, fps: 10 }, recipe())).toThrow(/at least one frame/);
    expect(() => encodeApng({ frames: [new Uint8Array(5)], width: 2, height: 2, fps: 10 }, recipe())).toThrow(/Frame 0 has 5 bytes/);
  });
});

describe('frameDelay', () => {
  it('writes 1/fps exactly for rates with up to three decimals', () => {
    expect(frameDelay(10)).toEqual({ num: 1, den: 10 });
    expect(frameDelay(12.5)).toEqual({ num: 10, den: 125 });
    expect(frameDelay(23.976)).toEqual({ num: 1000, den: 23976 });
  });

  it('rounds other rates to a u16 fraction close to 1/fps', () => {
    const d = frameDelay(1 / 3);
    expect(d.num / d.den).toBeCloseTo(3, 2);
    expect(() => frameDelay(0)).toThrow(/positive/);
  });
});

describe('APNG media writer', () => {
  it('is served as a PNG and takes the rate from the recipe', () => {
    expect(mediaTypeFor(APNG_MEDIA_WRITER.extension)).toBe(APNG_MEDIA_WRITER.mimeType);
    const bytes = APNG_MEDIA_WRITER.encode(
      frames.map((rgb) => ({ rgb, width: 2, height: 2 })),
      recipe({ width: 2, height: 2, video: { frames: 3, fps: 4 } }),
    );
    expect(decodeApng(bytes).frames.map((f) => f.delayMs)).toEqual([250, 250, 250]);
  });
});
