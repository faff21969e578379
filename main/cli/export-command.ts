/**
 * `studio export ID --format F --out FILE [--scale N] [--force] [--json]`: a history record
 * as a GIF, APNG, WebM, MP4 (clips) or PNG (stills), via main/export/export-record.ts.
 * Ctrl-C stops the encoder and deletes the partial file.
 */
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, exportFileName, isExportFormat, MAX_EXPORT_SCALE } from '../../core/export/export-formats';
import { exportRecord } from '../export/export-record';
import type { CliContext } from './cli-context';
import { integerOption, requiredText, UsageError } from './cli-options';
import { onInterrupt } from './interrupt';
import { FORCE_OPTION, outTarget, refuseOverwrite } from './out-file';

export const EXPORT_HELP = `Usage: studio export ID --format F --out FILE [--scale N] [--force] [--json]

Writes history record ID (see "studio history") as a file. The recipe goes inside it: a
PNG text chunk, a GIF comment, or the WebM/MP4 comment tag.

  --format F   a clip: gif | apng | webm | mp4; a still image: png
               gif and apng are made here; webm (VP9) and mp4 (H.264) need ffmpeg
               (or STUDIO_FFMPEG naming its program)
  --out FILE   file to write (a folder keeps the name studio-ID.EXT); written to a temp
               file first, so a failed or cancelled export leaves nothing behind
  --scale N    gif, webm, mp4: enlarge each pixel to NxN, 1..${MAX_EXPORT_SCALE} (default: the largest
               factor that keeps the longer side at most 512 px, e.g. 8 for 64x64)
               apng and png keep the stored pixels
  --force      replace an existing file
  --json       print the result as JSON

GIF stores delays in hundredths of a second, so a rate such as 8 fps alternates 13 and
12 hundredths per frame to keep the clip's length.`;

export async function exportCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, out: { type: 'string' }, scale: { type: 'string' }, json: { type: 'boolean' }, ...FORCE_OPTION },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('usage: studio export ID --format F --out FILE (one history id)');
  const id = integerOption('id', requiredText('id', positionals[0]), 1, Number.MAX_SAFE_INTEGER, 0);
  const format = requiredText('format', values.format).toLowerCase();
  if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(values.format)})`);
  const scale = integerOption('scale', values.scale, 1, MAX_EXPORT_SCALE);
  const target = outTarget(requiredText('out', values.out), exportFileName(id, format));
  refuseOverwrite(target, values.force === true);

  const interrupt = onInterrupt('and deleting the partial file');
  try {
    let shown = -1;
    const result = await exportRecord(ctx.db().history, {
      id,
      format,
      target,
      scale,
      replace: values.force === true,
      signal: interrupt.signal,
      onProgress: (done, total) => {
        const percent = Math.floor((100 * done) / total);
        if (values.json || !process.stderr.isTTY || percent === shown) return;
        shown = percent;
        process.stderr.write(`\rencoding ${done}/${total} frames`);
      },
    });
    if (shown >= 0) process.stderr.write('\n');
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${result.file}  ${result.format}  ${result.width}x${result.height}  ${result.frames} frame${result.frames === 1 ? '' : 's'}  ${result.bytes} bytes\n`);
    return 0;
  } finally {
    interrupt.dispose();
  }
}
