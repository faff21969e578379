/**
 * How a generation becomes a file: a media writer turns frames plus the recipe into the
 * bytes of one file, and says which MIME type and file extension those bytes have.
 *
 * Two implementations: a still image is a PNG (png-media-writer.ts), and a clip (a video
 * model's frames, or a latent walk) one animated PNG (apng-media-writer.ts). Another container
 * (WebM, MP4, GIF) would implement this same interface, and the rest stays as it is: the
 * generation names the file with the writer's extension and writes it staged-then-renamed
 * (generation/output-file.ts), history records its path, and the `/media/<id>` route serves
 * any file by its extension (media-types.ts) with byte ranges, which video players need.
 */
import type { Recipe } from '../../contract/api';

/** One frame of 8-bit RGB pixels, row-major, `width · height · 3` bytes. */
export interface MediaFrame {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export interface MediaWriter {
  /** What the bytes are, e.g. `image/png`; also what the route serves them as. */
  readonly mimeType: string;
  /** File extension without the dot, e.g. `png`; must be a key of MEDIA_TYPES. */
  readonly extension: string;
  /** Most frames one file holds: 1 for a still image. */
  readonly maxFrames: number;
  /**
   * The whole file. The recipe goes inside it (a PNG text chunk today; a container's
   * metadata for video) so a file copied out of the studio still says how to remake it.
   * @throws Error when `frames` is empty, longer than maxFrames, or of mixed sizes
   */
  encode(frames: readonly MediaFrame[], recipe: Recipe): Uint8Array;
}

/** Throws unless `frames` fits `writer` (1..maxFrames frames, all of one size); returns the first. */
export function checkFrames(writer: MediaWriter, frames: readonly MediaFrame[]): MediaFrame {
  const [first] = frames;
  if (first === undefined || frames.length > writer.maxFrames) {
    throw new Error(`A ${writer.extension} file holds 1 to ${writer.maxFrames} frames (got ${frames.length}).`);
  }
  const { width, height } = first;
  for (const f of frames) {
    if (f.width !== width || f.height !== height) throw new Error(`Frames differ in size: ${width}x${height} and ${f.width}x${f.height}.`);
    if (f.rgb.length !== width * height * 3) throw new Error(`A ${width}x${height} RGB frame has ${width * height * 3} bytes (got ${f.rgb.length}).`);
  }
  return first;
}
