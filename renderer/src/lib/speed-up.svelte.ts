/**
 * Step caching as the studio offers it: the chosen method and knobs, the plan preview for the
 * current model/steps/cfg/scheduler, the model's calibration profiles and a calibration run.
 * The run target is derived from the generation form, so a preview or a profile is always for
 * exactly the run Generate would start.
 */
import type { StudioClient, StudioEvent } from '../../../contract/api';
import type {
  CachePlanRequest,
  CacheProfileSummary,
  CacheRecommendRequest,
  CacheRecommendResponse,
  CacheRunTarget,
} from '../../../contract/cache';
import type { ApiError } from '../../../contract/errors';
import { METHOD_INFO } from './cache-methods';
import { CachePlanState } from './cache-plan.svelte';
import { CacheSettings } from './cache-settings.svelte';
import { LatestCall } from './latest-call.svelte';
import type { GenerationForm } from './form.svelte';
import { ProfileLibrary } from './profile-library.svelte';
import { profilingPosition } from './profiling-progress';
import { TrackedJob, type JobCalls } from './tracked-job.svelte';

/** Calibration prompt i runs with seed CALIBRATION_SEED + i: fixed, so a profile can be re-made. */
export const CALIBRATION_SEED = 1000;

/** The Budget control's first choice: the middle of the benchmarked budgets. */
export const DEFAULT_BUDGET = 13;
const RECOMMEND_DEBOUNCE_MS = 150;

const profilingCalls: JobCalls<'profile'> = {
  start: (client, request) => client.call('profiles.start', request),
  load: async (client, id) => {
    const profile = (await client.call('profiles.list', {})).find((p) => p.id === id);
    if (!profile) throw new Error(`Profile ${id} is no longer stored.`);
    return profile;
  },
};

export class SpeedUp {
  readonly settings = new CacheSettings();
  readonly plan: CachePlanState;
  readonly profiles: ProfileLibrary;
  readonly profiling: TrackedJob<'profile'>;
  /** Where the calibration run is: prompt i of n, step s of T. */
  readonly profilingAt = $derived.by(() => {
    const job = this.profiling;
    return profilingPosition(job.progress, job.request?.prompts.length ?? 0, job.request?.steps ?? 0);
  });
  /** The profile the last calibration run stored, to point it out in the list. */
  lastProfiled = $state.raw<CacheProfileSummary | null>(null);

  /** Model calls the user is willing to spend; the recommendation is for this budget. */
  budget = $state<number>(DEFAULT_BUDGET);
  /** The best benchmarked setting at `budget` for the run on screen, or why there is none. */
  readonly recommendation: LatestCall<CacheRecommendRequest, CacheRecommendResponse>;

  readonly #form: GenerationForm;

  /** The run Generate would start, or null while steps, CFG or model are not valid. */
  readonly target: CacheRunTarget | null = $derived.by(() => {
    const { errors, steps, cfg, model, scheduler } = this.#form;
    if (errors.steps || errors.cfg || errors.model || steps === null || cfg === null) return null;
    return { model, steps, cfg, scheduler };
  });

  readonly recommendRequest: CacheRecommendRequest | null = $derived(this.target ? { ...this.target, calls: this.budget } : null);

  readonly planRequest: CachePlanRequest | null = $derived(
    this.settings.enabled && this.target ? { ...this.target, cache: this.settings.config } : null,
  );

  /**
   * The main-knob values where the plan changes, for the method and run on screen ([] until the
   * back end has answered for them): the slider steps through these.
   */
  readonly stops: number[] = $derived.by(() => {
    const { response, answered } = this.plan;
    const wanted = this.planRequest;
    if (response === null || answered === null || wanted === null) return [];
    const sameRun =
      answered.cache.method === wanted.cache.method &&
      answered.model === wanted.model &&
      answered.steps === wanted.steps &&
      answered.cfg === wanted.cfg &&
      answered.scheduler === wanted.scheduler;
    return sameRun ? response.stops : [];
  });

  /**
   * Why Generate would fail: the method needs a calibration profile and none matches the run.
   * The panel offers to record one; until then Generate says so instead of queueing a job that fails.
   */
  readonly problem: string | null = $derived.by(() => {
    const response = this.plan.response;
    if (!this.settings.enabled || !METHOD_INFO[this.settings.method].needsProfile || this.plan.pending) return null;
    return response?.problemFix === 'profile' ? response.problem : null;
  });

  constructor(client: StudioClient, form: GenerationForm, onError: (error: ApiError) => void) {
    this.#form = form;
    this.plan = new CachePlanState(client);
    this.recommendation = new LatestCall((request) => client.call('cache.recommend', request), { debounceMs: RECOMMEND_DEBOUNCE_MS, keepOnNull: false });
    this.profiles = new ProfileLibrary(client, onError, () => void this.plan.refresh());
    this.profiling = new TrackedJob('profile', client, profilingCalls, {
      done: (profile) => {
        this.lastProfiled = profile;
        void this.plan.refresh();
        void this.profiles.refresh();
      },
      failed: onError,
    });
  }

  /** "Use recommendation": the panel's method and knobs become the recommended setting, so the plan preview shows it. */
  applyRecommendation(): void {
    const { response, answered } = this.recommendation;
    const wanted = this.recommendRequest;
    // Only an answer for the run and budget on screen: a stale one was for other settings.
    if (!response?.recommendation || wanted === null || JSON.stringify(answered) !== JSON.stringify(wanted)) return;
    this.settings.set(response.recommendation.config);
  }

  async startProfiling(prompts: string[]): Promise<void> {
    const target = this.target;
    if (!target || prompts.length === 0) return;
    await this.profiling.start({ ...target, prompts, provider: this.#form.provider, seed: CALIBRATION_SEED });
  }

  handle(event: StudioEvent): void {
    this.profiling.handle(event);
  }
}
