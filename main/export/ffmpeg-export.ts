/**
 * WebM (VP9) and MP4 (H.264) exports through the system's `ffmpeg`: frames go to its stdin
 * as raw RGBA, it scales them up with nearest-neighbour sampling and writes the file.
 *
 *   ffmpeg -f rawvideo -pix_fmt rgba -s WxH -framerate R -i pipe:0
 *          -vf scale=iw*S:ih*S:flags=neighbor[,pad to even]  <codec options>
 *          -metadata comment=<recipe JSON> -f <muxer> OUT
 *
 * The program is `ffmpeg` on PATH, or the file STUDIO_FFMPEG names. Success is judged by
 * the exit code; a failure carries the tail of ffmpeg's stderr. A write to stdin that
 * fails because ffmpeg already quit (EPIPE) is not the error reported: the exit is.
 */
import { spawn } from 'node:child_process';
import { StudioError } from '../../contract/errors';

export type FfmpegFormat = 'webm' | 'mp4';

const CODEC_ARGS: Record<FfmpegFormat, string[]> = {
  // Constant quality (-b:v 0 with -crf) is libvpx-vp9's recommended mode.
  webm: ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', '30', '-pix_fmt', 'yuv420p', '-f', 'webm'],
  // +faststart moves the index to the front so a browser can play before the whole file arrives.
  mp4: ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '18', '-movflags', '+faststart', '-f', 'mp4'],
};

export const FFMPEG_MISSING = 'ffmpeg is not installed (apt-get install ffmpeg); GIF and APNG export still work';

/** The ffmpeg program to run: STUDIO_FFMPEG when set, else `ffmpeg` from PATH. */
export function ffmpegProgram(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_FFMPEG?.trim() || 'ffmpeg';
}

export interface FfmpegJob {
  format: FfmpegFormat;
  width: number;
  height: number;
  /** RGBA frames, width·height·4 bytes each. */
  frames: readonly Uint8Array[];
  fps: number;
  scale: number;
  comment: string;
  /** The file ffmpeg writes (a temp path; it must not exist). */
  outFile: string;
  signal?: AbortSignal;
  /** Called after each frame is handed to ffmpeg (1-based count). */
  onFrame?: (written: number) => void;
}

/** The full argument list (without the program). */
export function ffmpegArgs(job: Omit<FfmpegJob, 'frames' | 'signal' | 'onFrame'>): string[] {
  const filters = [`scale=iw*${job.scale}:ih*${job.scale}:flags=neighbor`];
  // H.264 in 4:2:0 needs even sides; an odd side gets one black column or row.
  if (job.format === 'mp4') filters.push('pad=ceil(iw/2)*2:ceil(ih/2)*2');
  return [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${job.width}x${job.height}`, '-framerate', String(Math.round(job.fps * 1000) / 1000), '-i', 'pipe:0',
    '-vf', filters.join(','),
    ...CODEC_ARGS[job.format],
    '-metadata', `comment=${job.comment}`,
    job.outFile,
  ];
}

/** Runs ffmpeg to its end. @throws StudioError ENCODER (missing or failed) | CANCELLED */
export function encodeWithFfmpeg(job: FfmpegJob, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const program = ffmpegProgram(env);
  return new Promise<void>((resolve, reject) => {
    // ffmpeg turns off its keyboard commands itself when an input is pipe:0.
    const child = spawn(program, ffmpegArgs(job), { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      job.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => {
      child.kill('SIGKILL');
      settle(new StudioError('CANCELLED', 'Export cancelled; nothing was written.'));
    };
    job.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') settle(new StudioError('ENCODER', `${FFMPEG_MISSING} (no program "${program}").`));
      else settle(new StudioError('ENCODER', `ffmpeg could not be started: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return settle();
      const tail = stderr.trim().split('\n').slice(-6).join('\n');
      settle(new StudioError('ENCODER', `ffmpeg failed making ${job.format.toUpperCase()} (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ''}`));
    });
    // EPIPE after ffmpeg quits early: the close handler reports why it quit.
    child.stdin.on('error', () => undefined);
    void feedFrames(child.stdin, job, () => settled);
    if (job.signal?.aborted) onAbort();
  });
}

/** Writes every frame, waiting for 'drain' whenever the pipe's buffer is full. */
async function feedFrames(stdin: NodeJS.WritableStream & { destroyed: boolean }, job: FfmpegJob, stop: () => boolean): Promise<void> {
  for (let i = 0; i < job.frames.length; i++) {
    if (stop() || stdin.destroyed) return;
    const ok = stdin.write(job.frames[i] as Uint8Array);
    job.onFrame?.(i + 1);
    if (!ok) {
      await new Promise<void>((resume) => {
        const done = (): void => {
          stdin.off('drain', done);
          stdin.off('close', done);
          stdin.off('error', done);
          resume();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
        stdin.on('error', done);
      });
    }
  }
  stdin.end();
}
