/**
 * Encodes a generation with a media writer and stages the file under the outputs folder,
 * named by time and seed with the writer's extension. The caller commits the staged file
 * only once the run can no longer be cancelled (generation/output-file.ts), so a failed
 * or cancelled run leaves no file behind.
 */
import type { Recipe } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { outputPathFor, stageFile, type StagedFile } from '../generation/output-file';
import type { MediaFrame, MediaWriter } from './media-writer';

export interface MediaTarget {
  /** STUDIO_HOME/outputs */
  outputsDir: string;
  when: Date;
  seed: number;
}

/**
 * @throws StudioError INTERNAL when the file cannot be written (the message names it)
 * @throws Error when the frames do not fit the writer (a programming error)
 */
export function stageMedia(writer: MediaWriter, frames: readonly MediaFrame[], recipe: Recipe, target: MediaTarget): StagedFile {
  const bytes = writer.encode(frames, recipe);
  const file = outputPathFor(target.outputsDir, target.when, target.seed, writer.extension);
  try {
    return stageFile(file, bytes);
  } catch (err) {
    throw new StudioError('INTERNAL', `Could not write ${file}: ${err instanceof Error ? err.message : String(err)}`, file);
  }
}
