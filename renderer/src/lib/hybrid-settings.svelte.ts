/**
 * The Hybrid panel's choices: on or off, the small model, K (the large model's step count), the
 * order, the tiny VAE and an optional remote endpoint for the large model. K is kept as the user
 * set it and clamped to the run's steps where it is used, so lowering the steps and raising them
 * again finds K as it was.
 */
import type { GenerateRequest, Recipe } from '../../../contract/api';
import type { HybridOrder } from '../../../core/hybrid/hybrid-plan';

export type HybridRequest = NonNullable<GenerateRequest['hybrid']>;

/** Before the user moves the slider, K is this share of the steps (Hybrid SD's papers use 40% and more). */
const DEFAULT_LARGE_SHARE = 0.4;

export class HybridSettings {
  enabled = $state(false);
  /** The small model's id; '' until one is chosen from the compatible partners. */
  small = $state('');
  /** null until the user sets K: then it follows the steps (DEFAULT_LARGE_SHARE). */
  largeSteps = $state<number | null>(null);
  order = $state<HybridOrder>('large-first');
  tinyVae = $state(false);
  remoteUrl = $state('');
  remoteToken = $state('');
  /** Finish on the local large model when the server fails mid-run, instead of failing the job. */
  fallbackLocal = $state(false);

  /** K for a run of `steps` steps, always within 0..steps. */
  kFor(steps: number): number {
    const k = this.largeSteps ?? Math.round(steps * DEFAULT_LARGE_SHARE);
    return Math.max(0, Math.min(steps, k));
  }

  /**
   * What a request carries for a run of `steps` steps with the `small` model (the choice, or a
   * compatible stand-in for it): nothing when hybrid is off or there is no small model.
   */
  toRequest(steps: number, small: string, hasTinyVae: boolean): HybridRequest | undefined {
    if (!this.enabled || small === '') return undefined;
    const url = this.remoteUrl.trim();
    const token = this.remoteToken.trim();
    return {
      small,
      largeSteps: this.kFor(steps),
      order: this.order,
      tinyVae: hasTinyVae && this.tinyVae,
      ...(url === '' ? {} : { remote: { url, ...(token === '' ? {} : { token }), fallback: this.fallbackLocal ? 'local' : 'fail' } }),
    };
  }

  /**
   * "Reuse settings": the hybrid part of the request that made the recipe, or, for a recipe
   * without its request, what its segments say (the token is never stored, so it stays).
   */
  applyRecipe(recipe: Recipe): void {
    const sent = recipe.request?.hybrid ?? fromSegments(recipe);
    this.enabled = sent !== undefined;
    if (sent === undefined) return;
    this.small = sent.small;
    this.largeSteps = sent.largeSteps;
    this.order = sent.order;
    this.tinyVae = sent.tinyVae;
    this.remoteUrl = sent.remote?.url ?? '';
    this.remoteToken = sent.remote?.token ?? '';
    this.fallbackLocal = sent.remote?.fallback === 'local';
  }
}

function fromSegments(recipe: Recipe): HybridRequest | undefined {
  const hybrid = recipe.hybrid;
  const small = hybrid?.segments.find((s) => s.model === 'small');
  if (!hybrid || !small) return undefined;
  const endpoint = hybrid.segments.find((s) => s.model === 'large' && s.endpoint !== undefined)?.endpoint;
  return {
    small: small.modelId,
    largeSteps: hybrid.largeSteps,
    order: hybrid.order,
    tinyVae: hybrid.tinyVae,
    ...(endpoint === undefined ? {} : { remote: { url: endpoint, fallback: hybrid.fellBack ? 'local' : 'fail' } }),
  };
}
