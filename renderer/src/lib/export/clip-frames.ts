/**
 * A history clip's frames in the page: the stored APNG is fetched from the media URL and
 * decoded with WebCodecs' ImageDecoder into one ImageBitmap per frame, with each frame's
 * duration. The exporters draw these bitmaps (video, GIF, PNG frames).
 */
import { ClientError } from '../client-error';
import { pngRecipeText } from './png-recipe-text';

export interface ClipFrames {
  /** The stored file, unchanged. */
  bytes: Uint8Array;
  width: number;
  height: number;
  frames: ImageBitmap[];
  /** Duration of each frame in seconds. */
  durations: number[];
  /** Frames per second (from the median duration). */
  fps: number;
  /** The recipe JSON the file carries, else the record's. */
  recipeText: string;
}

function encoderError(message: string): ClientError {
  return new ClientError({ code: 'ENCODER', message });
}

/** Fetches `url` and decodes every frame; `fallbackRecipe` is used when the file carries none. */
export async function loadClipFrames(url: string, fallbackRecipe: unknown, signal?: AbortSignal): Promise<ClipFrames> {
  if (typeof ImageDecoder === 'undefined') throw encoderError('This browser has no ImageDecoder (WebCodecs), which reading a clip\'s frames needs; use a Chromium-based browser or "studio export".');
  const response = await fetch(url, { signal });
  if (!response.ok) throw new ClientError({ code: 'NOT_FOUND', message: `The clip's file could not be read (HTTP ${response.status}).` });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const type = (await ImageDecoder.isTypeSupported('image/apng')) ? 'image/apng' : 'image/png';
  const decoder = new ImageDecoder({ data: bytes, type });
  try {
    await decoder.completed;
    await decoder.tracks.ready;
    const track = decoder.tracks.selectedTrack;
    const count = track?.frameCount ?? 0;
    if (count < 1) throw encoderError('The clip has no frames this browser can decode.');
    const frames: ImageBitmap[] = [];
    const durations: number[] = [];
    for (let i = 0; i < count; i++) {
      signal?.throwIfAborted();
      const { image } = await decoder.decode({ frameIndex: i });
      try {
        frames.push(await createImageBitmap(image));
        // VideoFrame.duration is in microseconds.
        durations.push((image.duration ?? 0) / 1e6);
      } finally {
        image.close();
      }
    }
    const sorted = [...durations].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const first = frames[0] as ImageBitmap;
    return {
      bytes,
      width: first.width,
      height: first.height,
      frames,
      durations,
      fps: median > 0 ? 1 / median : 0,
      recipeText: pngRecipeText(bytes) ?? JSON.stringify(fallbackRecipe),
    };
  } finally {
    decoder.close();
  }
}

/** Each frame as RGBA pixels at the stored size (width·height·4 bytes). */
export function framesAsRgba(clip: ClipFrames): Uint8Array[] {
  const canvas = new OffscreenCanvas(clip.width, clip.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw encoderError('This browser gave no 2D canvas to read frames with.');
  return clip.frames.map((frame) => {
    ctx.clearRect(0, 0, clip.width, clip.height);
    ctx.drawImage(frame, 0, 0);
    const { data } = ctx.getImageData(0, 0, clip.width, clip.height);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  });
}
