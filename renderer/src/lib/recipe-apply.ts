/**
 * Puts a request's every setting back into the form and the panels: "Reuse settings" on a
 * history item, and a PNG opened or dropped onto the window (recipe.fromPng). Prompt, negative
 * prompt, steps, CFG, seed, provider, scheduler, model (when installed), step caching, hybrid
 * inference, quantization (variant, compensation and strength) and a clip's frames, rate and
 * walk all come back; the seed stays
 * fixed so the next run repeats the image.
 */
import type { GenerateRequest } from '../../../contract/api';
import { PRECISIONS, variantNameOf, type Precision } from '../../../contract/quant';
import type { CacheSettings } from './cache-settings.svelte';
import type { ClipSettings } from './clip-settings.svelte';
import type { GenerationForm } from './form.svelte';
import type { HybridSettings } from './hybrid-settings.svelte';
import type { Quantization } from './quantization.svelte';

export interface RecipeTargets {
  form: GenerationForm;
  cache: CacheSettings;
  hybrid: HybridSettings;
  quant: Quantization;
  clip: ClipSettings;
}

/** The precision whose variant name is `variant`; fp32 for none (or one this studio does not name). */
export function precisionOfVariant(variant: string | undefined): Precision {
  return PRECISIONS.find((p): p is Exclude<Precision, 'fp32'> => p !== 'fp32' && variantNameOf(p) === variant) ?? 'fp32';
}

/** Applies `request`; its model only when `modelKnown` (else the form keeps the model it has). */
export function applyRequest(targets: RecipeTargets, request: GenerateRequest, modelKnown: boolean): void {
  const { form, cache, hybrid, quant } = targets;
  // The model first: the other fields are the recipe's, not the new model's defaults.
  if (modelKnown) form.model = request.model;
  form.prompt = request.prompt;
  form.negativePrompt = request.negativePrompt;
  form.steps = request.steps;
  form.cfg = request.cfg;
  form.seed = request.seed;
  form.newSeedEachRun = false;
  form.provider = request.provider;
  form.scheduler = request.scheduler;
  cache.applyRecipe(request.cache);
  const h = request.hybrid;
  hybrid.enabled = h !== undefined;
  if (h !== undefined) {
    hybrid.small = h.small;
    hybrid.largeSteps = h.largeSteps;
    hybrid.order = h.order;
    hybrid.tinyVae = h.tinyVae;
    hybrid.remoteUrl = h.remote?.url ?? '';
    hybrid.remoteToken = h.remote?.token ?? '';
    hybrid.fallbackLocal = h.remote?.fallback === 'local';
  }
  quant.precision = precisionOfVariant(request.denoiserVariant);
  quant.compensation = request.compensation?.method ?? 'none';
  quant.strength = request.compensation?.strength ?? null;
  if (modelKnown) targets.clip.applyRequest(request, request.model);
}
