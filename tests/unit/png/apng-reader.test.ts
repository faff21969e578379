/** decodeApng against clips from an independent encoder (tests/helpers/apng-fixture.ts). */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apngFps, decodeApng } from '../../../main/png/apng-reader';
import { encodeApng } from '../../../main/png/apng-writer';
import { encodeChunk, PNG_SIGNATURE } from '../../../main/png/png-chunks';
import { readPngChunks } from '../../../main/png/png-reader';
import { encodePng } from '../../../main/png/png-writer';
import { encodeTestApng, gradientClip } from '../../helpers/apng-fixture';
import { recipe } from '../store/fixtures';

describe('decodeApng', () => {
  it('round-trips frames, delays and text of an RGBA clip', () => {
    const clip = gradientClip(5, 16, 12);
    const recipe = JSON.stringify({ prompt: 'a walk — ünïcode ☃', seed: 7 });
    const decoded = decodeApng(encodeTestApng(clip, { delayNum: 1, delayDen: 8, texts: { 'studio-recipe': recipe } }));
    expect(decoded).toMatchObject({ width: 16, height: 12, animated: true, plays: 0 });
    expect(decoded.frames.map((f) => f.delayMs)).toEqual([125, 125, 125, 125, 125]);
    expect(decoded.frames.map((f) => Buffer.from(f.rgba))).toEqual(clip.frames.map((f) => Buffer.from(f)));
    expect(decoded.texts['studio-recipe']).toBe(recipe);
    expect(apngFps(decoded)).toBe(8);
  });

  it('fills alpha 255 for an RGB clip and reads delay_den 0 as hundredths', () => {
    const clip = gradientClip(3, 8, 8);
    const decoded = decodeApng(encodeTestApng(clip, { rgb: true, delayNum: 5, delayDen: 0 }));
    expect(decoded.frames.map((f) => f.delayMs)).toEqual([50, 50, 50]);
    expect(Buffer.from(decoded.frames[2]!.rgba)).toEqual(Buffer.from(clip.frames[2]!));
  });

  it('decodes a plain PNG as one frame', () => {
    const rgb = new Uint8Array(4 * 3 * 3).map((_, i) => i * 5);
    const decoded = decodeApng(encodePng(rgb, 4, 3, [{ keyword: 'k', text: 'v' }]));
    expect(decoded).toMatchObject({ animated: false, width: 4, height: 3, texts: { k: 'v' } });
    expect(decoded.frames).toHaveLength(1);
    expect(Array.from(decoded.frames[0]!.rgba.subarray(0, 8))).toEqual([0, 5, 10, 255, 15, 20, 25, 255]);
  });

  it('composites a sub-region frame with blend over and dispose to background', () => {
    // 2x1 canvas: frame 0 paints both pixels opaque red; frame 1 paints half-transparent
    // blue over pixel 1 only and is then cleared (dispose 1); frame 2 paints nothing new.
    const u32 = (v: number): Buffer => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
    const fctl = (seq: number, w: number, x: number, dispose: number, blend: number): Buffer =>
      encodeChunk('fcTL', Buffer.concat([u32(seq), u32(w), u32(1), u32(x), u32(0), Buffer.from([0, 1, 0, 10, dispose, blend])]));
    const data = (rgba: number[]): Buffer => zlib.deflateSync(Buffer.from([0, ...rgba]));
    const png = Buffer.concat([
      PNG_SIGNATURE,
      encodeChunk('IHDR', Buffer.concat([u32(2), u32(1), Buffer.from([8, 6, 0, 0, 0])])),
      encodeChunk('acTL', Buffer.concat([u32(3), u32(1)])),
      fctl(0, 2, 0, 0, 0),
      encodeChunk('IDAT', data([255, 0, 0, 255, 255, 0, 0, 255])),
      fctl(1, 1, 1, 1, 1),
      encodeChunk('fdAT', Buffer.concat([u32(2), data([0, 0, 255, 128])])),
      fctl(3, 1, 0, 0, 1),
      encodeChunk('fdAT', Buffer.concat([u32(4), data([0, 0, 0, 0])])),
      encodeChunk('IEND', new Uint8Array(0)),
    ]);
    const decoded = decodeApng(png);
    expect(decoded.plays).toBe(1);
    expect(Array.from(decoded.frames[1]!.rgba)).toEqual([255, 0, 0, 255, 127, 0, 128, 255]);
    expect(Array.from(decoded.frames[2]!.rgba)).toEqual([255, 0, 0, 255, 0, 0, 0, 0]);
  });

  it('refuses a frame count that disagrees with acTL, naming both', () => {
    const png = encodeTestApng(gradientClip(3, 4, 4));
    const chunks = readPngChunks(png);
    const cut = Buffer.concat([PNG_SIGNATURE, ...chunks.slice(0, -3).map((c) => encodeChunk(c.type, c.data)), encodeChunk('IEND', new Uint8Array(0))]);
    expect(() => decodeApng(cut)).toThrow(/acTL declares 3 frames but the file holds 2/);
  });

  it('refuses out-of-order sequence numbers', () => {
    const png = encodeTestApng(gradientClip(2, 4, 4));
    const chunks = readPngChunks(png);
    const fdat = chunks.find((c) => c.type === 'fdAT')!;
    fdat.data.writeUInt32BE(9, 0);
    const broken = Buffer.concat([PNG_SIGNATURE, ...chunks.map((c) => encodeChunk(c.type, c.data))]);
    expect(() => decodeApng(broken)).toThrow(/sequence number 9, expected 2/);
  });

  it('reads the studio\'s own clips: frames, 1/fps delays and the recipe', () => {
    const clip = gradientClip(4, 10, 6);
    const rgbFrames = clip.frames.map((f) => f.filter((_, i) => i % 4 !== 3));
    const decoded = decodeApng(encodeApng({ width: 10, height: 6, frames: rgbFrames, fps: 12.5 }, recipe({ seed: 9 })));
    expect(decoded.frames.map((f) => Buffer.from(f.rgba))).toEqual(clip.frames.map((f) => Buffer.from(f)));
    expect(decoded.frames.every((f) => f.delayMs === 80)).toBe(true);
    expect(apngFps(decoded)).toBe(12.5);
    expect(JSON.parse(decoded.texts['studio-recipe']!)).toMatchObject({ seed: 9 });
  });
});
