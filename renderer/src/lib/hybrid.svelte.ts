/**
 * Hybrid inference as the studio offers it: the settings, the compatible partners of the chosen
 * model for the current steps and scheduler, the step plan and predicted saving they give, and
 * the remote endpoint's connection test. Everything that depends on the run is derived from the
 * generation form, so the panel always describes exactly the run Generate would start.
 */
import type { HybridPartners, HybridPartnersRequest, StudioClient } from '../../../contract/api';
import type { GenerationForm } from './form.svelte';
import { HybridPartnersState } from './hybrid-partners.svelte';
import { predictHybrid, stepModels, type HybridPrediction, type StepModel } from './hybrid-prediction';
import { HybridRemoteCheck } from './hybrid-remote-check.svelte';
import { HybridSettings, type HybridRequest } from './hybrid-settings.svelte';

/** The shape the back end accepts for an endpoint (contract/request-schema.ts), checked here for feedback. */
const V2_MODEL_URL = /^https?:\/\/[^\s]+\/v2\/models\/[^\s/]+$/;

export class Hybrid {
  readonly settings = new HybridSettings();
  readonly partners: HybridPartnersState;
  readonly remote: HybridRemoteCheck;
  /** Whether the panel is open; the partner list is only asked for while it is open or hybrid is on. */
  expanded = $state(false);

  readonly #form: GenerationForm;

  /** The run Generate would start, or null while the form's steps or model are not valid. */
  readonly target: HybridPartnersRequest | null = $derived.by(() => {
    const { errors, steps, model, scheduler } = this.#form;
    if (errors.steps || errors.model || steps === null) return null;
    return { model, steps, scheduler };
  });

  /** The partner list, once it is an answer for the chosen model (kept while the steps are being typed). */
  readonly list: HybridPartners | null = $derived.by(() => {
    const response = this.partners.response;
    return response !== null && this.partners.responseFor === this.#form.model ? response : null;
  });

  /**
   * The small model that would run: the chosen one while it is compatible, else the cheapest
   * compatible one. While the list is loading, the choice stands as it is.
   */
  readonly small: string = $derived.by(() => {
    const chosen = this.settings.small;
    if (this.list === null) return chosen;
    return this.list.partners.some((p) => p.id === chosen) ? chosen : (this.list.partners[0]?.id ?? '');
  });

  readonly steps = $derived(this.target?.steps ?? 0);
  readonly k = $derived(this.settings.kFor(this.steps));
  readonly plan: StepModel[] = $derived(this.target ? stepModels(this.steps, this.k, this.settings.order) : []);
  readonly prediction: HybridPrediction = $derived(
    predictHybrid(this.steps, this.k, this.list?.macsPerCall ?? null, this.list?.partners.find((p) => p.id === this.small)?.macsPerCall ?? null),
  );

  /** Why Generate cannot send this hybrid setting, or null when it can (or hybrid is off). */
  readonly problem: string | null = $derived.by(() => {
    if (!this.settings.enabled) return null;
    if (this.small === '') {
      if (this.list) return `No model can pair with ${this.list.model} for this run.`;
      return this.partners.pending ? 'The models that can pair with this one are still loading.' : 'Choose a small model for the hybrid run.';
    }
    const url = this.settings.remoteUrl.trim();
    if (url !== '' && !V2_MODEL_URL.test(url)) return 'The remote endpoint must be an http(s) URL ending in /v2/models/NAME.';
    return null;
  });

  constructor(client: StudioClient, form: GenerationForm) {
    this.#form = form;
    this.partners = new HybridPartnersState(client);
    this.remote = new HybridRemoteCheck(client);
  }

  /** What the partner list should be for now (effects pass it to `partners.want`). */
  partnersWanted(): HybridPartnersRequest | null {
    return this.expanded || this.settings.enabled ? this.target : null;
  }

  /** The request's `hybrid` field: undefined when hybrid is off. */
  toRequest(): HybridRequest | undefined {
    return this.settings.toRequest(this.steps, this.small, this.list?.hasTinyVae ?? true);
  }

  checkRemote(): Promise<void> {
    return this.remote.check(this.settings.remoteUrl, this.settings.remoteToken);
  }
}
