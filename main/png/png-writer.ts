/**
 * Encodes 8-bit RGB pixels as a PNG that carries its own recipe:
 *
 *   IHDR (8-bit truecolour, not interlaced)
 *   tEXt 'parameters'    A1111-format text (a1111-parameters.ts), so other tools read the
 *                        settings; iTXt with the same keyword when the text is not Latin-1,
 *                        which is what A1111 does through PIL's add_text
 *   iTXt 'studio-recipe' the full Recipe as UTF-8 JSON, for exact re-runs
 *   IDAT                 zlib stream of filtered scanlines
 *   IEND
 *
 * Each scanline gets the filter (None, Sub, Up, Average, Paeth) with the smallest sum of
 * absolute signed bytes, libpng's heuristic; the reader undoes all five.
 */
import zlib from 'node:zlib';
import type { Recipe } from '../../contract/api';
import { formatA1111Parameters } from './a1111-parameters';
import { encodeChunk, paeth, PNG_SIGNATURE } from './png-chunks';

/** Keyword of the iTXt chunk holding the Recipe JSON. */
export const RECIPE_KEYWORD = 'studio-recipe';
/** Keyword A1111 uses for its settings text. */
export const PARAMETERS_KEYWORD = 'parameters';

export interface PngText {
  keyword: string;
  text: string;
  /** Write iTXt (UTF-8) even when the text would fit tEXt (Latin-1). */
  international?: boolean;
}

function isLatin1(text: string): boolean {
  // tEXt is Latin-1 without NUL; anything else needs iTXt.
  return /^[\u0001-\u00ff]*$/.test(text);
}

/** tEXt when the text fits Latin-1, else uncompressed iTXt with empty language and translated keyword. */
export function textChunk(keyword: string, text: string, forceInternational = false): Buffer {
  if (!/^[\u0020-\u007e\u00a1-\u00ff]{1,79}$/.test(keyword) || keyword !== keyword.trim()) {
    throw new Error(`PNG text keyword must be 1–79 Latin-1 characters without leading/trailing spaces (got ${JSON.stringify(keyword)})`);
  }
  const key = Buffer.from(keyword, 'latin1');
  if (!forceInternational && isLatin1(text)) {
    return encodeChunk('tEXt', Buffer.concat([key, Buffer.from([0]), Buffer.from(text, 'latin1')]));
  }
  // keyword \0 compressionFlag(0) compressionMethod(0) languageTag \0 translatedKeyword \0 text(UTF-8)
  return encodeChunk('iTXt', Buffer.concat([key, Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

/** Filtered scanlines: each row is [filterType, ...filteredBytes]. bpp = bytes per pixel. Also the frames of an APNG (apng-writer.ts). */
export function filterRows(pixels: Uint8Array, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(height * (stride + 1));
  const candidate = Buffer.alloc(stride);
  const best = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const prev = y > 0 ? row - stride : -1;
    let bestType = 0;
    let bestScore = Infinity;
    for (let type = 0; type < 5; type++) {
      let score = 0;
      for (let x = 0; x < stride; x++) {
        const raw = pixels[row + x] as number;
        const a = x >= bpp ? (pixels[row + x - bpp] as number) : 0;
        const b = prev >= 0 ? (pixels[prev + x] as number) : 0;
        const c = prev >= 0 && x >= bpp ? (pixels[prev + x - bpp] as number) : 0;
        const predictor = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (raw - predictor) & 0xff;
        candidate[x] = v;
        score += v < 128 ? v : 256 - v;
      }
      if (score < bestScore) {
        bestScore = score;
        bestType = type;
        candidate.copy(best);
      }
    }
    out[y * (stride + 1)] = bestType;
    best.copy(out, y * (stride + 1) + 1);
  }
  return out;
}

/** IHDR of an 8-bit truecolour (RGB), non-interlaced image. */
export function rgbHeaderChunk(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour RGB
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return encodeChunk('IHDR', ihdr);
}

/** The `parameters` (A1111 text) and `studio-recipe` (JSON) chunks every file the studio writes carries. */
export function recipeTexts(recipe: Recipe): PngText[] {
  return [
    { keyword: PARAMETERS_KEYWORD, text: formatA1111Parameters(recipe) },
    // Always iTXt (UTF-8), whatever its characters, so readers need one code path.
    { keyword: RECIPE_KEYWORD, text: JSON.stringify(recipe), international: true },
  ];
}

/**
 * @param rgb interleaved RGB bytes, row-major, width·height·3
 * @param texts extra text chunks, written before the image data in the given order
 */
export function encodePng(rgb: Uint8Array, width: number, height: number, texts: readonly PngText[] = []): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`PNG size must be positive integers (got ${width}x${height})`);
  }
  if (rgb.length !== width * height * 3) {
    throw new Error(`RGB data has ${rgb.length} bytes; ${width}x${height} needs ${width * height * 3}`);
  }
  const idat = zlib.deflateSync(filterRows(rgb, width, height, 3), { level: 9 });
  return Buffer.concat([
    PNG_SIGNATURE,
    rgbHeaderChunk(width, height),
    ...texts.map((t) => textChunk(t.keyword, t.text, t.international)),
    encodeChunk('IDAT', idat),
    encodeChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A PNG of the image with its `parameters` (A1111) and `studio-recipe` (JSON) chunks. */
export function encodeRecipePng(rgb: Uint8Array, width: number, height: number, recipe: Recipe): Buffer {
  return encodePng(rgb, width, height, recipeTexts(recipe));
}
