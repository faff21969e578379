/**
 * Walks a GIF's blocks (GIF89a spec §§17–27) to count its frames and read its extensions,
 * for tests: gifenc has no decoder. Every length is checked, so a malformed file throws.
 */
export interface GifSummary {
  width: number;
  height: number;
  /** Image descriptors (0x2C), i.e. frames. */
  frames: number;
  /** Delay of each frame from its graphic control extension, in centiseconds. */
  delaysCs: number[];
  /** Text of each comment extension (0x21 0xFE). */
  comments: string[];
  /** NETSCAPE2.0 loop count (0 = forever), or undefined without one. */
  loops?: number;
  /** Length of each comment sub-block, in order (≤255 each). */
  commentBlockSizes: number[];
}

export function walkGif(bytes: Uint8Array): GifSummary {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = b.toString('latin1', 0, 6);
  if (head !== 'GIF89a' && head !== 'GIF87a') throw new Error(`not a GIF (header ${JSON.stringify(head)})`);
  const summary: GifSummary = { width: b.readUInt16LE(6), height: b.readUInt16LE(8), frames: 0, delaysCs: [], comments: [], commentBlockSizes: [] };
  let pos = 13;
  const packed = b[10] as number;
  if (packed & 0x80) pos += 3 * 2 ** ((packed & 7) + 1);
  /** Sub-blocks from `pos` up to the 0 terminator; returns their data and sizes. */
  const subBlocks = (): { data: Buffer; sizes: number[] } => {
    const parts: Buffer[] = [];
    const sizes: number[] = [];
    for (;;) {
      if (pos >= b.length) throw new Error('sub-blocks run past the end');
      const size = b[pos++] as number;
      if (size === 0) return { data: Buffer.concat(parts), sizes };
      parts.push(b.subarray(pos, pos + size));
      sizes.push(size);
      pos += size;
    }
  };
  for (;;) {
    const introducer = b[pos++];
    if (introducer === 0x3b) return summary;
    if (introducer === 0x2c) {
      const local = b[pos + 8] as number;
      pos += 9;
      if (local & 0x80) pos += 3 * 2 ** ((local & 7) + 1);
      pos += 1; // LZW minimum code size
      subBlocks();
      summary.frames++;
    } else if (introducer === 0x21) {
      const label = b[pos++];
      const { data, sizes } = subBlocks();
      if (label === 0xf9) summary.delaysCs.push(data.readUInt16LE(1));
      else if (label === 0xfe) {
        summary.comments.push(data.toString('latin1'));
        summary.commentBlockSizes.push(...sizes);
      } else if (label === 0xff && data.toString('latin1', 0, 11) === 'NETSCAPE2.0') summary.loops = data.readUInt16LE(12);
    } else throw new Error(`unknown block 0x${(introducer ?? 0).toString(16)} at byte ${pos - 1}`);
  }
}
