/**
 * What a request makes with the model it names: a still image, a video model's clip, or a
 * latent walk of an image model. The request's fields were validated at the boundary
 * (contract/request-schema.ts); the rules that need the model are checked here, where the
 * model is resolved, so the UI, the CLI and the job worker all get the same errors.
 *
 *   image model, no frames/fps/walk     → still
 *   image model, walk + frames (+ fps)  → walk (toSeed absent: seed; toPrompt absent: prompt)
 *   image model, frames or fps alone    → refused: a still has one frame
 *   video model                         → video; frames absent = framesDefault, fps absent =
 *                                         fpsDefault (a plain still request gets a default clip)
 *   video model, walk                   → refused: the model makes its frames itself
 *   video model, frames outside its framesMin..framesMax → refused
 */
import { LIMITS, type GenerateRequest, type ModelInfo } from '../../contract/api';
import { StudioError } from '../../contract/errors';

export type ClipMode =
  | { kind: 'still' }
  | { kind: 'video'; frames: number; fps: number }
  | { kind: 'walk'; frames: number; fps: number; toSeed: number; toPrompt: string };

/** @throws StudioError INVALID_REQUEST naming the field and what to do instead */
export function clipMode(request: GenerateRequest, model: Pick<ModelInfo, 'id' | 'kind' | 'video'>): ClipMode {
  const { frames, fps, walk } = request;
  const video = model.kind === 'video' ? model.video : undefined;
  if (video !== undefined) {
    if (walk !== undefined) {
      throw new StudioError('INVALID_REQUEST', `${model.id} is a video model: it makes every frame of a clip itself, so it takes no latent walk. Drop walk, or pick an image model for a walk.`, 'walk');
    }
    if (request.hybrid !== undefined || request.compensation !== undefined || request.denoiserVariant !== undefined) {
      const field = request.hybrid !== undefined ? 'hybrid' : request.compensation !== undefined ? 'compensation' : 'denoiserVariant';
      throw new StudioError('INVALID_REQUEST', `${model.id} is a video model, and ${field} does not run video models yet. Drop ${field}.`, field);
    }
    if (frames !== undefined && (frames < video.framesMin || frames > video.framesMax)) {
      throw new StudioError('INVALID_REQUEST', `frames must be between ${video.framesMin} and ${video.framesMax} for ${model.id} (got ${frames}).`, 'frames');
    }
    return { kind: 'video', frames: frames ?? video.framesDefault, fps: fps ?? video.fpsDefault };
  }
  if (walk !== undefined) {
    if (frames === undefined) throw new StudioError('INVALID_REQUEST', `frames is required with walk: say how many frames (${LIMITS.framesMin} to ${LIMITS.framesMax}) the walk has.`, 'frames');
    if (request.hybrid !== undefined) throw new StudioError('INVALID_REQUEST', 'A latent walk does not run hybrid inference yet; drop hybrid.', 'hybrid');
    return { kind: 'walk', frames, fps: fps ?? LIMITS.fpsDefault, toSeed: walk.toSeed ?? request.seed, toPrompt: walk.toPrompt ?? request.prompt };
  }
  if (frames !== undefined || fps !== undefined) {
    const field = frames !== undefined ? 'frames' : 'fps';
    throw new StudioError('INVALID_REQUEST', `${model.id} is an image model: it makes one still per run, so ${field} needs a latent walk (walk.toSeed and/or walk.toPrompt) or a video model.`, field);
  }
  return { kind: 'still' };
}
