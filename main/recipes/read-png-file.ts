/**
 * Reads a PNG the user names (`studio generate --from FILE.png`) with a bound on what is
 * read, not just on what `stat` says: a device or a FIFO reports size 0 and streams forever,
 * so only regular files are read, and never more than the cap plus one byte.
 */
import fs from 'node:fs';
import { StudioError } from '../../contract/errors';
import { RECIPE_PNG_BYTES_MAX } from '../../contract/recipe-import';

/** The file's bytes; INVALID_REQUEST when it is missing, not a regular file, or over the cap. */
export function readPngFile(file: string, maxBytes = RECIPE_PNG_BYTES_MAX): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can refuse it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError('INVALID_REQUEST', `Cannot open ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}.`, 'from');
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new StudioError('INVALID_REQUEST', `${file} is not a regular file.`, 'from');
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= maxBytes; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new StudioError('INVALID_REQUEST', `${file} is larger than ${maxBytes / (1024 * 1024)} MiB; that is not an image this studio reads settings from.`, 'from');
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
