/**
 * Reads PNG chunks, their text (tEXt, zTXt, iTXt) and, for the 8-bit non-interlaced RGB or
 * RGBA images the studio writes, the pixels.
 *
 * Used by tests (same seed → same pixels, text round-trip) and by "import settings from
 * an image", where the file comes from the user: anything malformed is an
 * INVALID_REQUEST naming what is wrong, never a crash or a partial result.
 */
import zlib from 'node:zlib';
import { StudioError } from '../../contract/errors';
import { crc32, paeth, PNG_SIGNATURE, type PngChunk } from './png-chunks';

function bad(message: string): StudioError {
  return new StudioError('INVALID_REQUEST', `Not a readable PNG: ${message}.`, 'image');
}

/** Every chunk in file order, CRCs checked, stopping at IEND. */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw bad('the PNG signature is missing');
  const chunks: PngChunk[] = [];
  let pos = 8;
  while (pos < buf.length) {
    if (pos + 12 > buf.length) throw bad(`chunk header at byte ${pos} is cut off`);
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw bad(`invalid chunk type at byte ${pos}`);
    if (pos + 12 + len > buf.length) throw bad(`${type} chunk at byte ${pos} runs past the end of the file (truncated?)`);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    const stored = buf.readUInt32BE(pos + 8 + len);
    if (crc32(buf.subarray(pos + 4, pos + 8), data) !== stored) throw bad(`${type} chunk at byte ${pos} has a bad CRC`);
    chunks.push({ type, data });
    pos += 12 + len;
    if (type === 'IEND') return chunks;
  }
  throw bad('the IEND chunk is missing (truncated?)');
}

/** Text chunks as keyword → text (the first chunk wins on duplicate keywords). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { type, data } of readPngChunks(png)) {
    if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') continue;
    const nul = data.indexOf(0);
    if (nul < 1) throw bad(`${type} chunk has no keyword`);
    const keyword = data.toString('latin1', 0, nul);
    let text: string;
    if (type === 'tEXt') text = data.toString('latin1', nul + 1);
    else if (type === 'zTXt') text = inflate(data.subarray(nul + 2), type).toString('latin1');
    else {
      const compressed = data[nul + 1] === 1;
      const langEnd = data.indexOf(0, nul + 3);
      const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
      if (transEnd < 0) throw bad('iTXt chunk header is malformed');
      const body = data.subarray(transEnd + 1);
      text = (compressed ? inflate(body, type) : body).toString('utf8');
    }
    if (!(keyword in out)) out[keyword] = text;
  }
  return out;
}

/** zlib-inflates chunk data; a stream that does not inflate is an INVALID_REQUEST naming `what`. */
export function inflate(data: Uint8Array, what: string): Buffer {
  try {
    return zlib.inflateSync(data);
  } catch (err) {
    throw bad(`${what} data does not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Undoes PNG scanline filtering (types 0–4): `raw` is height rows of [filterType, width·bpp
 * bytes]; returns the height·width·bpp pixel bytes. Also used for APNG frames (apng-reader.ts).
 */
export function unfilterScanlines(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (pixels[row + x - bpp] as number) : 0;
      const b = y > 0 ? (pixels[row - stride + x] as number) : 0;
      const c = y > 0 && x >= bpp ? (pixels[row - stride + x - bpp] as number) : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: predictor = paeth(a, b, c); break;
        default: throw bad(`row ${y} has unknown filter type ${filter}`);
      }
      pixels[row + x] = ((raw[src + x] as number) + predictor) & 0xff;
    }
  }
  return pixels;
}

export interface DecodedPng {
  width: number;
  height: number;
  /** Interleaved RGB, width·height·3 bytes (alpha dropped for RGBA files). */
  rgb: Uint8Array;
}

/** Pixels of an 8-bit, non-interlaced RGB (colour type 2) or RGBA (6) PNG. */
export function decodePng(png: Uint8Array): DecodedPng {
  const chunks = readPngChunks(png);
  const ihdr = chunks[0];
  if (!ihdr || ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw bad('the first chunk is not a valid IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const [depth, colour, , , interlace] = [ihdr.data[8], ihdr.data[9], ihdr.data[10], ihdr.data[11], ihdr.data[12]];
  if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
    throw bad(`only 8-bit non-interlaced RGB/RGBA is supported (bit depth ${depth}, colour type ${colour}, interlace ${interlace})`);
  }
  if (width < 1 || height < 1 || width * height > 1 << 28) throw bad(`implausible size ${width}x${height}`);
  const bpp = colour === 6 ? 4 : 3;
  const stride = width * bpp;
  const raw = inflate(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)), 'IDAT');
  if (raw.length !== height * (stride + 1)) throw bad(`image data is ${raw.length} bytes; ${width}x${height} needs ${height * (stride + 1)}`);
  const pixels = unfilterScanlines(raw, width, height, bpp);
  if (bpp === 3) return { width, height, rgb: pixels };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < pixels.length; i += 4, j += 3) {
    rgb[j] = pixels[i] as number;
    rgb[j + 1] = pixels[i + 1] as number;
    rgb[j + 2] = pixels[i + 2] as number;
  }
  return { width, height, rgb };
}
