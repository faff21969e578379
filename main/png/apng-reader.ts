/**
 * Decodes an animated PNG (APNG 1.0, the extension Firefox and Chromium play) into whole
 * frames: the clips the studio stores, and any other 8-bit, non-interlaced RGB or RGBA APNG.
 *
 *   IHDR · acTL(frames u32, plays u32) · [fcTL] IDAT… · (fcTL fdAT…)… · IEND
 *   fcTL: seq u32, w u32, h u32, x u32, y u32, delay_num u16, delay_den u16, dispose u8, blend u8
 *   fdAT: seq u32 · zlib data of that frame's filtered scanlines
 *
 * Each frame's region is composited onto the canvas with its blend op (0 source, 1 over)
 * and the canvas is then disposed with its dispose op (0 none, 1 clear to transparent black,
 * 2 restore the previous canvas), so every returned frame is the full picture a player
 * shows. An IDAT without an fcTL before it is the fallback image only, not a frame. A PNG
 * without acTL decodes as one frame with a delay of 0.
 *
 * Input may come from the user (import, export of any file): anything malformed is an
 * INVALID_REQUEST naming the problem.
 */
import { StudioError } from '../../contract/errors';
import { inflate, readPngChunks, readPngText, unfilterScanlines } from './png-reader';

export interface ApngFrame {
  /** The whole canvas after this frame, RGBA, width·height·4 bytes, row-major. */
  rgba: Uint8Array;
  /** How long the frame shows, in milliseconds (delay_num / delay_den seconds; den 0 means 100). */
  delayMs: number;
}

export interface DecodedApng {
  width: number;
  height: number;
  /** false for a plain PNG (no acTL): one frame. */
  animated: boolean;
  /** Loop count from acTL; 0 = forever. */
  plays: number;
  frames: ApngFrame[];
  /** tEXt/zTXt/iTXt keyword → text, as png-reader's readPngText. */
  texts: Record<string, string>;
}

function bad(message: string): StudioError {
  return new StudioError('INVALID_REQUEST', `Not a readable animated PNG: ${message}.`, 'image');
}

interface FrameControl {
  width: number;
  height: number;
  x: number;
  y: number;
  delayMs: number;
  dispose: number;
  blend: number;
  data: Buffer[];
}

function readFrameControl(data: Buffer, canvasW: number, canvasH: number): FrameControl {
  if (data.length !== 26) throw bad(`fcTL chunk is ${data.length} bytes, not 26`);
  const fc: FrameControl = {
    width: data.readUInt32BE(4),
    height: data.readUInt32BE(8),
    x: data.readUInt32BE(12),
    y: data.readUInt32BE(16),
    delayMs: 0,
    dispose: data[24] as number,
    blend: data[25] as number,
    data: [],
  };
  const num = data.readUInt16BE(20);
  const den = data.readUInt16BE(22) || 100;
  fc.delayMs = (num / den) * 1000;
  if (fc.width < 1 || fc.height < 1 || fc.x + fc.width > canvasW || fc.y + fc.height > canvasH) {
    throw bad(`frame region ${fc.width}x${fc.height} at ${fc.x},${fc.y} lies outside the ${canvasW}x${canvasH} canvas`);
  }
  if (fc.dispose > 2 || fc.blend > 1) throw bad(`unknown dispose op ${fc.dispose} or blend op ${fc.blend}`);
  return fc;
}

/** A frame's own pixels as RGBA (width·height·4), from its concatenated zlib data. */
function framePixels(parts: Buffer[], width: number, height: number, bpp: number): Uint8Array {
  const raw = inflate(Buffer.concat(parts), 'frame');
  if (raw.length !== height * (width * bpp + 1)) throw bad(`a ${width}x${height} frame has ${raw.length} bytes of image data; it needs ${height * (width * bpp + 1)}`);
  const pixels = unfilterScanlines(raw, width, height, bpp);
  if (bpp === 4) return pixels;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += 3, j += 4) {
    rgba[j] = pixels[i] as number;
    rgba[j + 1] = pixels[i + 1] as number;
    rgba[j + 2] = pixels[i + 2] as number;
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Draws `src` (fc.width×fc.height RGBA) onto `canvas` at the frame's offset with its blend op. */
function composite(canvas: Uint8Array, canvasW: number, src: Uint8Array, fc: FrameControl): void {
  for (let y = 0; y < fc.height; y++) {
    for (let x = 0; x < fc.width; x++) {
      const s = (y * fc.width + x) * 4;
      const d = ((fc.y + y) * canvasW + fc.x + x) * 4;
      const a = src[s + 3] as number;
      if (fc.blend === 0 || a === 255) {
        canvas.set(src.subarray(s, s + 4), d);
      } else if (a > 0) {
        // Porter-Duff "over" on straight (non-premultiplied) alpha, as the APNG spec gives it.
        const da = canvas[d + 3] as number;
        const outA = a + (da * (255 - a)) / 255;
        for (let c = 0; c < 3; c++) {
          canvas[d + c] = Math.round(((src[s + c] as number) * a + ((canvas[d + c] as number) * da * (255 - a)) / 255) / outA);
        }
        canvas[d + 3] = Math.round(outA);
      }
    }
  }
}

function clearRegion(canvas: Uint8Array, canvasW: number, fc: FrameControl): void {
  for (let y = 0; y < fc.height; y++) {
    const d = ((fc.y + y) * canvasW + fc.x) * 4;
    canvas.fill(0, d, d + fc.width * 4);
  }
}

/** Every frame of `png` as full RGBA canvases, with delays and the file's text chunks. */
export function decodeApng(png: Uint8Array): DecodedApng {
  const chunks = readPngChunks(png);
  const ihdr = chunks[0];
  if (!ihdr || ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw bad('the first chunk is not a valid IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const [depth, colour, interlace] = [ihdr.data[8], ihdr.data[9], ihdr.data[12]];
  if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
    throw bad(`only 8-bit non-interlaced RGB/RGBA is supported (bit depth ${depth}, colour type ${colour}, interlace ${interlace})`);
  }
  if (width < 1 || height < 1 || width * height > 1 << 26) throw bad(`implausible size ${width}x${height}`);
  const bpp = colour === 6 ? 4 : 3;
  const texts = readPngText(png);
  const actl = chunks.find((c) => c.type === 'acTL');

  if (actl === undefined) {
    const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data);
    return { width, height, animated: false, plays: 0, frames: [{ rgba: framePixels(idat, width, height, bpp), delayMs: 0 }], texts };
  }
  if (actl.data.length !== 8) throw bad('acTL chunk is not 8 bytes');
  const declared = actl.data.readUInt32BE(0);
  const plays = actl.data.readUInt32BE(4);

  // Group image data by the fcTL before it; IDAT before any fcTL is the fallback image.
  const controls: FrameControl[] = [];
  let current: FrameControl | undefined;
  let expectedSeq = 0;
  const checkSeq = (seq: number, type: string): void => {
    if (seq !== expectedSeq) throw bad(`${type} has sequence number ${seq}, expected ${expectedSeq}`);
    expectedSeq++;
  };
  for (const { type, data } of chunks) {
    if (type === 'fcTL') {
      checkSeq(data.readUInt32BE(0), type);
      current = readFrameControl(data, width, height);
      controls.push(current);
    } else if (type === 'IDAT') {
      current?.data.push(data);
    } else if (type === 'fdAT') {
      if (current === undefined) throw bad('fdAT chunk comes before any fcTL');
      if (data.length < 4) throw bad('fdAT chunk is too short');
      checkSeq(data.readUInt32BE(0), type);
      current.data.push(data.subarray(4));
    }
  }
  if (controls.length !== declared) throw bad(`acTL declares ${declared} frames but the file holds ${controls.length}`);
  if (controls.length === 0) throw bad('the animation has no frames');

  const canvas = new Uint8Array(width * height * 4);
  const frames: ApngFrame[] = [];
  controls.forEach((fc, i) => {
    if (fc.data.length === 0) throw bad(`frame ${i} has no image data`);
    const before = fc.dispose === 2 ? canvas.slice() : undefined;
    composite(canvas, width, framePixels(fc.data, fc.width, fc.height, bpp), fc);
    frames.push({ rgba: canvas.slice(), delayMs: fc.delayMs });
    if (fc.dispose === 1) clearRegion(canvas, width, fc);
    else if (before !== undefined) canvas.set(before);
  });
  return { width, height, animated: true, plays, frames, texts };
}

/** Frames per second of a clip: the reciprocal of its median frame delay (0 for a still). */
export function apngFps(decoded: DecodedApng): number {
  const delays = decoded.frames.map((f) => f.delayMs).sort((a, b) => a - b);
  const median = delays[Math.floor(delays.length / 2)] ?? 0;
  return median > 0 ? 1000 / median : 0;
}
