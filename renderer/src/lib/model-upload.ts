/**
 * Uploads a folder chosen in the page (<input type=file webkitdirectory>) as a user model: the
 * files are declared, then sent one after another in chunks of MODEL_UPLOAD_LIMITS.chunkBytes
 * (base64, one call each, so every call stays small), and finishing installs the model
 * (contract/model-upload.ts). An abort cancels the upload on the back end, which removes its files.
 */
import type { StudioClient } from '../../../contract/api';
import type { ModelImportResult } from '../../../contract/models';
import { MODEL_UPLOAD_LIMITS } from '../../../contract/model-upload';

export interface ChosenFolder {
  /** The folder's own name. */
  name: string;
  /** Its files, with '/'-separated paths relative to it; hidden files and folders left out (the model's hash leaves them out too). */
  files: { path: string; file: File }[];
}

/** The folder a directory input chose, from each file's webkitRelativePath ("name/sub/file"); null when empty. */
export function chosenFolder(list: ArrayLike<File>): ChosenFolder | null {
  const files: ChosenFolder['files'] = [];
  let name: string | null = null;
  for (const file of Array.from(list)) {
    // webkitRelativePath is DOM-only; the node-side typecheck (which compiles this through tests) has no DOM lib.
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
    const [top, ...rest] = (relative || file.name).split('/');
    if (top === undefined || rest.length === 0 || rest.some((seg) => seg.startsWith('.'))) continue;
    name ??= top;
    files.push({ path: rest.join('/'), file });
  }
  return name === null ? null : { name, files };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: 32 KiB at a time.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function uploadFolder(
  client: StudioClient,
  folder: ChosenFolder,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
): Promise<ModelImportResult> {
  const total = folder.files.reduce((sum, f) => sum + f.file.size, 0);
  const { uploadId } = await client.call('models.uploadBegin', { name: folder.name, files: folder.files.map((f) => ({ path: f.path, size: f.file.size })) });
  let sent = 0;
  onProgress(0, total);
  try {
    for (const { path, file } of folder.files) {
      for (let offset = 0; offset < file.size; offset += MODEL_UPLOAD_LIMITS.chunkBytes) {
        if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError');
        const bytes = new Uint8Array(await file.slice(offset, offset + MODEL_UPLOAD_LIMITS.chunkBytes).arrayBuffer());
        await client.call('models.uploadChunk', { uploadId, path, offset, data: base64(bytes) });
        sent += bytes.length;
        onProgress(sent, total);
      }
    }
    if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError');
    return await client.call('models.uploadFinish', { uploadId });
  } catch (err) {
    // Finish removes the upload itself, whatever its outcome; otherwise it is dropped here.
    await client.call('models.uploadCancel', { uploadId }).catch(() => undefined);
    throw err;
  }
}
