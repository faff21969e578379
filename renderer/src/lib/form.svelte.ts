/**
 * The generation form: what the user has typed, whether it is valid, and the request it
 * becomes. Validity is derived, never stored, so it cannot fall out of step with the fields.
 */
import type { GenerateRequest, ModelInfo, PromptTokens, ProviderChoice, Recipe, RecommendedSettings, SchedulerName } from '../../../contract/api';
import { GENERIC_RECOMMENDED } from '../../../contract/recommended-settings';
import { checkForm, randomSeed, type FieldErrors } from './form-rules';
import type { SavedForm } from './form-persistence';

export class GenerationForm {
  prompt = $state('');
  negativePrompt = $state('');
  // Until a model is picked, the generic settings; picking one applies its own (pickModel).
  steps = $state<number | null>(GENERIC_RECOMMENDED.steps);
  cfg = $state<number | null>(GENERIC_RECOMMENDED.cfg);
  seed = $state<number | null>(randomSeed());
  /**
   * Draw a new seed for every Generate (the default, as in A1111), so pressing Generate twice
   * gives two images, not one image twice. Typing a seed, or reusing a recipe, turns it off.
   */
  newSeedEachRun = $state(true);
  /** Token counts of [prompt, negative prompt] with the chosen model's tokenizer, and its limit (prompt-tokens.svelte.ts). */
  tokens = $state.raw<PromptTokens | null>(null);
  model = $state('');
  provider = $state<ProviderChoice>('auto');
  scheduler = $state<SchedulerName>('default');

  readonly errors: FieldErrors = $derived(checkForm(this));
  /** An empty prompt is not an error to shout about, just not ready yet. */
  readonly ready = $derived(Object.keys(this.errors).length === 0 && this.prompt.trim() !== '');

  /** Every field, for saving (form-persistence.ts); reading them all makes an effect follow each. */
  snapshot(): SavedForm {
    const { prompt, negativePrompt, steps, cfg, seed, newSeedEachRun, model, provider, scheduler } = this;
    return { prompt, negativePrompt, steps, cfg, seed, newSeedEachRun, model, provider, scheduler };
  }

  /** Puts back what a previous page saved. */
  restore(saved: Partial<SavedForm>): void {
    Object.assign(this, saved);
  }

  /**
   * The user picked a model: it takes over that model's recommended steps, CFG and scheduler,
   * as Draw Things does, so every model starts from settings it draws well with. The prompts
   * and the seed stay.
   */
  pickModel(model: ModelInfo): void {
    this.model = model.id;
    this.applyRecommended(model.recommended);
  }

  applyRecommended(recommended: RecommendedSettings): void {
    this.steps = recommended.steps;
    this.cfg = recommended.cfg;
    this.scheduler = recommended.scheduler;
  }

  /** Whether steps, CFG and scheduler are the recommended ones. */
  followsRecommended(recommended: RecommendedSettings): boolean {
    return this.steps === recommended.steps && this.cfg === recommended.cfg && this.scheduler === recommended.scheduler;
  }

  randomizeSeed(): void {
    this.seed = randomSeed();
  }

  /** Before a run: a fresh seed when newSeedEachRun, shown in the field so the run can be repeated. */
  seedForRun(): void {
    if (this.newSeedEachRun) this.seed = randomSeed();
  }

  /** The request to send; only call when `ready`. */
  toRequest(): GenerateRequest {
    return {
      prompt: this.prompt,
      negativePrompt: this.negativePrompt,
      steps: this.steps ?? 0,
      cfg: this.cfg ?? 0,
      seed: this.seed ?? 0,
      model: this.model,
      provider: this.provider,
      scheduler: this.scheduler,
    };
  }

  /**
   * "Reuse settings" from a history item. A recipe that kept its request restores every choice
   * as it was sent, the scheduler override included; an older recipe names only the resolved
   * scheduler class, which is not always one of the override names, so the scheduler then stays.
   */
  applyRecipe(recipe: Recipe, knownModel: (id: string) => boolean): void {
    const sent = recipe.request;
    this.prompt = recipe.prompt;
    this.negativePrompt = recipe.negativePrompt;
    this.steps = recipe.steps;
    this.cfg = recipe.cfg;
    this.seed = recipe.seed;
    this.newSeedEachRun = false;
    this.provider = sent?.provider ?? recipe.providerRequested;
    if (sent !== undefined) this.scheduler = sent.scheduler;
    if (knownModel(recipe.modelId)) this.model = recipe.modelId;
  }
}
