/**
 * The clip part of the form: with a video model, its frames and rate (starting from the model's
 * own defaults); with an image model, an optional latent walk (frames, rate, the seed and the
 * prompt the walk goes to). Off for image models until the user turns the walk on.
 *
 * The back end checks all of it again (contract/request-schema.ts, generation/clip-mode.ts);
 * `problem` says what would be refused before anything is sent.
 */
import { LIMITS, type GenerateRequest, type ModelInfo } from '../../../contract/api';

type ClipFields = Pick<GenerateRequest, 'frames' | 'fps' | 'walk'>;

/** Frames a new walk starts with: enough to see it move, quick on a CPU. */
const WALK_FRAMES_DEFAULT = 8;

export class ClipSettings {
  expanded = $state(false);
  /** Latent walk on (image models only). */
  walk = $state(false);
  frames = $state<number | null>(WALK_FRAMES_DEFAULT);
  fps = $state<number | null>(LIMITS.fpsDefault);
  toSeed = $state<number | null>(null);
  toPrompt = $state('');
  /** The model the fields were last set up for, so picking another applies its defaults once. */
  #modelId = '';

  /** A newly picked video model brings its frame count and rate, and opens the panel; an image model keeps the walk as it was. */
  followModel(model: ModelInfo | undefined): void {
    if (model === undefined || model.id === this.#modelId) return;
    const first = this.#modelId === '';
    this.#modelId = model.id;
    if (model.video !== undefined) {
      this.frames = model.video.framesDefault;
      this.fps = model.video.fpsDefault;
      this.expanded = true;
    } else if (!first) {
      this.frames = WALK_FRAMES_DEFAULT;
      this.fps = LIMITS.fpsDefault;
    }
  }

  /** The frame range the model allows: its own for a video model, the request's for a walk. */
  range(model: ModelInfo | undefined): { min: number; max: number } {
    return model?.video ? { min: model.video.framesMin, max: model.video.framesMax } : { min: LIMITS.framesMin, max: LIMITS.framesMax };
  }

  /** Why the request would be refused, or null. */
  problem(model: ModelInfo | undefined): string | null {
    if (model?.video === undefined && !this.walk) return null;
    const { min, max } = this.range(model);
    if (this.frames === null || !Number.isInteger(this.frames) || this.frames < min || this.frames > max) return `Frames must be a whole number from ${min} to ${max}.`;
    if (this.fps === null || !(this.fps >= LIMITS.fpsMin && this.fps <= LIMITS.fpsMax)) return `FPS must be a number from ${LIMITS.fpsMin} to ${LIMITS.fpsMax}.`;
    if (model?.video !== undefined) return null;
    if (this.toSeed !== null && !(Number.isInteger(this.toSeed) && this.toSeed >= 0 && this.toSeed <= LIMITS.seedMax)) return `The walk's seed must be a whole number from 0 to ${LIMITS.seedMax}.`;
    if (this.toSeed === null && this.toPrompt.trim() === '') return 'Give the walk a seed or a prompt to walk to.';
    return null;
  }

  /** What the request gets: a video model's frames and rate, a walk, or nothing (a still). Only call when `problem` is null. */
  toRequest(model: ModelInfo | undefined): ClipFields {
    const frames = this.frames ?? WALK_FRAMES_DEFAULT;
    const fps = this.fps ?? LIMITS.fpsDefault;
    if (model?.video !== undefined) return { frames, fps };
    if (!this.walk) return {};
    const toPrompt = this.toPrompt.trim();
    return { frames, fps, walk: { ...(this.toSeed === null ? {} : { toSeed: this.toSeed }), ...(toPrompt === '' ? {} : { toPrompt }) } };
  }

  /** A recipe's clip settings ("Reuse settings", a dropped PNG), for `model`, which the form takes too: its defaults must not replace them. */
  applyRequest(request: Pick<GenerateRequest, 'frames' | 'fps' | 'walk'>, model: string): void {
    this.#modelId = model;
    this.walk = request.walk !== undefined;
    if (request.frames !== undefined) this.frames = request.frames;
    if (request.fps !== undefined) this.fps = request.fps;
    this.toSeed = request.walk?.toSeed ?? null;
    this.toPrompt = request.walk?.toPrompt ?? '';
    if (request.frames !== undefined) this.expanded = true;
  }

  /** A summary for the collapsed panel header. */
  summary(model: ModelInfo | undefined): string {
    if (model?.video !== undefined) return `${this.frames ?? '?'} frames · ${this.fps ?? '?'} fps`;
    if (!this.walk) return 'Off';
    const to = [this.toSeed === null ? '' : `seed ${this.toSeed}`, this.toPrompt.trim() === '' ? '' : `"${this.toPrompt.trim()}"`].filter(Boolean).join(', ');
    return `${this.frames ?? '?'} frames${to ? ` → ${to}` : ''}`;
  }
}
