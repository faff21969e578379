/**
 * A clip as WebM (VP9) or MP4 (H.264) in the page: WebCodecs encodes, mediabunny muxes.
 *
 * Frames are drawn onto a canvas scaled up by a whole factor with smoothing off (nearest
 * neighbour: a 64×64 clip becomes a crisp 512×512), and captured with their own timestamps
 * and durations in seconds. H.264 in 4:2:0 needs even sides, so an odd size gets one
 * black column or row. The recipe JSON goes in the container's comment tag.
 */
import { BufferTarget, CanvasSource, canEncodeVideo, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } from 'mediabunny';
import { defaultExportScale } from '../../../../core/export/export-formats';
import { ClientError } from '../client-error';
import type { ClipFrames } from './clip-frames';

export type VideoFormat = 'webm' | 'mp4';

/**
 * Codec per format. H.264 High profile level 4.0 (avc1.640028) admits frames up to
 * 2048×1024, so 512×512 and the other default sizes fit; VP9's string is left to mediabunny.
 */
export const VIDEO_CODECS = {
  webm: { codec: 'vp9', fullCodecString: undefined, label: 'VP9' },
  mp4: { codec: 'avc', fullCodecString: 'avc1.640028', label: 'H.264 (avc1.640028)' },
} as const;

export interface VideoSize {
  width: number;
  height: number;
  scale: number;
}

/** The encoded size of `clip` in `format`: scaled by the default factor, even sides for MP4. */
export function videoSize(clip: Pick<ClipFrames, 'width' | 'height'>, format: VideoFormat): VideoSize {
  const scale = defaultExportScale(clip.width, clip.height);
  const even = (n: number): number => (format === 'mp4' ? n + (n % 2) : n);
  return { width: even(clip.width * scale), height: even(clip.height * scale), scale };
}

/** Throws ENCODER naming the codec when this browser cannot encode `format` at `size`. */
export async function checkVideoEncoder(format: VideoFormat, size: VideoSize): Promise<void> {
  const { codec, fullCodecString, label } = VIDEO_CODECS[format];
  const supported = typeof VideoEncoder !== 'undefined' && (await canEncodeVideo(codec, { width: size.width, height: size.height, fullCodecString }));
  if (!supported) {
    throw new ClientError({
      code: 'ENCODER',
      message: `This browser cannot encode ${label} video at ${size.width}x${size.height}. Export GIF${format === 'mp4' ? ' or WebM' : ''} instead, or use "studio export" (ffmpeg).`,
    });
  }
}

/** The whole file. `onProgress(done, total)` after each frame; aborting stops the encoder and discards the output. */
export async function encodeVideo(clip: ClipFrames, format: VideoFormat, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<Uint8Array> {
  const size = videoSize(clip, format);
  await checkVideoEncoder(format, size);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ClientError({ code: 'ENCODER', message: 'This browser gave no 2D canvas to draw frames on.' });
  ctx.imageSmoothingEnabled = false;

  const target = new BufferTarget();
  const output = new Output({ format: format === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
  const { codec, fullCodecString } = VIDEO_CODECS[format];
  const source = new CanvasSource(canvas, { codec, quality: QUALITY_HIGH, ...(fullCodecString ? { fullCodecString } : {}) });
  output.addVideoTrack(source, { frameRate: clip.fps || undefined });
  output.setMetadataTags({ comment: clip.recipeText });
  await output.start();
  try {
    let timestamp = 0;
    for (let i = 0; i < clip.frames.length; i++) {
      signal?.throwIfAborted();
      const duration = clip.durations[i] || 1 / (clip.fps || 10);
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, size.width, size.height);
      ctx.drawImage(clip.frames[i] as ImageBitmap, 0, 0, clip.width * size.scale, clip.height * size.scale);
      await source.add(timestamp, duration);
      timestamp += duration;
      onProgress(i + 1, clip.frames.length);
    }
    signal?.throwIfAborted();
    source.close();
    await output.finalize();
  } catch (err) {
    await output.cancel();
    throw err;
  }
  if (target.buffer === null) throw new ClientError({ code: 'ENCODER', message: `The ${format.toUpperCase()} muxer produced no file.` });
  return new Uint8Array(target.buffer);
}
