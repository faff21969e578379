/**
 * Uploading a pipeline folder from the page (browser mode's "choose a folder", which gives the page
 * the files but not their path on disk): the page declares the files, sends each in order in
 * chunks small enough for one call, and finishing installs the folder as a user model with the same
 * checks as an import (main/models/model-upload.ts). Cancelling, or a page that goes away, leaves
 * nothing.
 *
 * Pure TypeScript (zod only), like contract/api.ts.
 */
import { z } from 'zod';
import { integerIn, requestObject, text } from './field-schema';

export const MODEL_UPLOAD_LIMITS = {
  files: 4096,
  /** Bytes of one chunk before base64: a chunk call stays under the HTTP server's 1 MiB body cap. */
  chunkBytes: 512 * 1024,
  /** Bytes of one whole model. */
  totalBytes: 64 * 1024 ** 3,
} as const;

/** A path inside the folder, '/'-separated: no empty, '.', '..' or hidden segments, no leading '/'. */
const relativePath = () =>
  text(1024, { nonEmpty: true }).refine((p) => p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.startsWith('.') && !/[\\\0]/.test(seg)), {
    error: 'must be a relative path inside the folder (no "..", hidden or empty parts)',
  });

const uploadId = () => text(100, { nonEmpty: true });

export const modelUploadBeginSchema = requestObject(
  'models.uploadBegin',
  {
    /** The chosen folder's name: the model's id when its studio.json names none. */
    name: text(64, { nonEmpty: true }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be a folder name of letters, digits, dots, dashes and underscores' }),
    files: z
      .array(z.strictObject({ path: relativePath(), size: integerIn(0, MODEL_UPLOAD_LIMITS.totalBytes) }), { error: 'must be a list of files' })
      .min(1, { error: 'must name at least one file' })
      .max(MODEL_UPLOAD_LIMITS.files),
  },
  { allowEmpty: false },
);
export type ModelUploadBegin = z.output<typeof modelUploadBeginSchema>;

export const modelUploadChunkSchema = requestObject(
  'models.uploadChunk',
  {
    uploadId: uploadId(),
    path: relativePath(),
    /** Where in the file the chunk starts: the bytes of it received so far. */
    offset: integerIn(0, MODEL_UPLOAD_LIMITS.totalBytes),
    /** The chunk, base64. */
    data: z.base64({ error: 'must be base64' }).max(Math.ceil(MODEL_UPLOAD_LIMITS.chunkBytes / 3) * 4, { error: `must hold at most ${MODEL_UPLOAD_LIMITS.chunkBytes} bytes` }),
  },
  { allowEmpty: false },
);
export type ModelUploadChunk = z.output<typeof modelUploadChunkSchema>;

export const modelUploadIdSchema = (call: string) => requestObject(call, { uploadId: uploadId() }, { allowEmpty: false });
