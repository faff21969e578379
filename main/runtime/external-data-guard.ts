/**
 * Keeps a model's external-data weights inside the model's own folder.
 *
 * An .onnx file may store tensors in other files (TensorProto.external_data, key `location`),
 * relative to the .onnx file's folder. A crafted model could name `../../outside.bin` or
 * `/etc/passwd` there, and onnxruntime would read that file (and report its size when the
 * offsets do not fit). This check runs on the protobuf alone, before onnxruntime or any `stat`
 * touches the target, and its error names the model and the location only: nothing about the
 * outside file (whether it exists, its size) can leak through it.
 *
 * The check is lexical: symlinks inside the folder are followed as the user placed them
 * (Hugging Face caches link every file to a blob store), but a location can never name a
 * path outside the folder by itself.
 */
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import type { ExternalDataRef } from './onnx-proto';

/**
 * Why `location` leaves the folder of the model that names it, or undefined when it stays inside.
 * Both separators count, so a model made on Windows cannot escape on another OS either.
 */
export function externalLocationProblem(location: string): string | undefined {
  if (location.length === 0) return 'it is empty';
  if (location.includes('\0')) return 'it holds a NUL character';
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) return 'it is an absolute path';
  const normal = path.posix.normalize(location.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return 'it leads out of the model folder';
  if (normal === '.' || normal.endsWith('/')) return 'it names a folder, not a file';
  return undefined;
}

/**
 * Refuses a model whose tensors live outside its folder.
 * @param model what the message calls the model, e.g. "emoji: transformer/model.onnx"
 * @throws StudioError MODEL_LAYOUT naming the model, the tensor and the location as written
 */
export function assertExternalDataInside(model: string, refs: readonly ExternalDataRef[]): void {
  for (const ref of refs) {
    const problem = externalLocationProblem(ref.location);
    if (problem === undefined) continue;
    throw new StudioError(
      'MODEL_LAYOUT',
      `${model} keeps tensor "${ref.tensor}" in external data at ${JSON.stringify(ref.location.slice(0, 200))}, which was refused because ${problem}. A model may only read weight files stored in its own folder.`,
      model,
    );
  }
}
