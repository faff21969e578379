/**
 * The `studio-recipe` text a stored PNG or APNG carries (main/png/png-writer.ts writes it as
 * an uncompressed iTXt chunk), read in the page so an export embeds the file's own recipe.
 * Only chunk framing is walked (no CRC check, no zlib): the bytes come from our own media
 * route, and a missing or unreadable chunk just means the caller falls back to the record.
 */
const KEYWORD = 'studio-recipe';

export function pngRecipeText(png: Uint8Array): string | undefined {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const latin1 = (from: number, to: number): string => String.fromCharCode(...png.subarray(from, to));
  let pos = 8;
  while (pos + 12 <= png.length) {
    const length = view.getUint32(pos);
    const type = latin1(pos + 4, pos + 8);
    const data = png.subarray(pos + 8, Math.min(png.length, pos + 8 + length));
    if (type === 'IDAT' || type === 'IEND') return undefined;
    const nul = data.indexOf(0);
    if ((type === 'iTXt' || type === 'tEXt') && nul > 0 && String.fromCharCode(...data.subarray(0, nul)) === KEYWORD) {
      if (type === 'tEXt') return latin1(pos + 8 + nul + 1, pos + 8 + data.length);
      if (data[nul + 1] !== 0) return undefined; // compressed iTXt: not written by the studio
      const langEnd = data.indexOf(0, nul + 3);
      const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
      return transEnd < 0 ? undefined : new TextDecoder().decode(data.subarray(transEnd + 1));
    }
    pos += 12 + length;
  }
  return undefined;
}
