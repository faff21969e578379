/**
 * The composition root: one client, the state objects, and the wiring between them
 * (events → job, finished job → history and view, errors → banner). Components receive
 * the pieces they need and never talk to the client directly.
 */
import type { GenerateRequest, GenerationRecord } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { AbCompare } from './ab-compare.svelte';
import type { ConnectionState, RendererClient } from './client';
import { Catalog } from './catalog.svelte';
import { loadSavedForm, saveForm } from './form-persistence';
import { GenerationForm } from './form.svelte';
import { ClipSettings } from './clip-settings.svelte';
import { HistoryState } from './history.svelte';
import { Gallery } from './gallery.svelte';
import { Hybrid } from './hybrid.svelte';
import { findLargeOnlyTwin, largeOnlyRequest } from './hybrid-reference';
import { Notices } from './notices.svelte';
import { PromptTokenCounter } from './prompt-tokens.svelte';
import { findFp32Twin, fp32Request } from './fp32-reference';
import { Quantization } from './quantization.svelte';
import { ModelManager } from './models-manager.svelte';
import { BenchLab } from './bench-lab.svelte';
import { LivePreview } from './preview.svelte';
import { SpeedUp } from './speed-up.svelte';
import type { JobOutcomes, TrackedJob } from './tracked-job.svelte';
import { asApiError } from './client-error';
import type { JobSummary } from '../../../contract/jobs';
import { batchRequests } from '../../../contract/batch';
import type { RecipeImport } from '../../../contract/recipe-import';
import { GenerateJobs } from './queue-jobs.svelte';
import { QueueState } from './queue.svelte';
import { BatchSize } from './queue-batch.svelte';
import { applyRequest, type RecipeTargets } from './recipe-apply';
import { RecipeImporter } from './recipe-import.svelte';
import { findUncachedTwin, uncachedRequest } from './uncached-reference';

export class Studio {
  readonly notices = new Notices();
  readonly form = new GenerationForm();
  /** A video model's frames and rate, or an image model's latent walk. */
  readonly clip = new ClipSettings();
  readonly catalog: Catalog;
  readonly history: HistoryState;
  /** The Gallery view's grid, filters, selection and undo; kept here so they survive switching views. */
  readonly gallery: Gallery;
  /** Every generation this page follows; `job` is the one the Generate bar shows. */
  readonly jobs: GenerateJobs;
  /** The back end's queue as the queue panel shows it. */
  readonly queue: QueueState;
  readonly batch = new BatchSize();
  /** "Open image…" and PNGs dropped onto the window. */
  readonly recipes: RecipeImporter;
  readonly speedUp: SpeedUp;
  readonly hybrid: Hybrid;
  readonly quant: Quantization;
  /** The Models view: cards, import, delete. */
  readonly models: ModelManager;
  /** The Benchmarks view: reports, charts, a cache benchmark run. */
  readonly bench: BenchLab;
  readonly ab = new AbCompare();
  /** The running generation's live preview, and whether generations ask for one. */
  readonly preview = new LivePreview();
  /** The record the big view shows: the latest result, or a history item the user picked. */
  viewed = $state.raw<GenerationRecord | null>(null);
  connection = $state<ConnectionState>('connecting');

  /** Records finished in this page, newest first: A/B twins even when a search hides them in history. */
  #finished = $state.raw<GenerationRecord[]>([]);
  /** The request each record of this page was made from (its recipe names resolved values only). */
  readonly #sent = new Map<number, GenerateRequest>();

  readonly client: RendererClient;
  readonly #outcomes: JobOutcomes<'generate'>;
  /** For A/B twins: their end also settles the comparison waiting for them. */
  readonly #twinOutcomes: JobOutcomes<'generate'>;
  readonly #tokens: PromptTokenCounter;
  #wasOpen = false;

  constructor(client: RendererClient) {
    this.client = client;
    this.#tokens = new PromptTokenCounter(client);
    const onError = (error: ApiError) => this.notices.show(error);
    this.catalog = new Catalog(client, onError);
    this.history = new HistoryState(client, onError);
    this.gallery = new Gallery(client, onError, () => void this.history.refresh());
    this.speedUp = new SpeedUp(client, this.form, onError);
    this.hybrid = new Hybrid(client, this.form);
    this.quant = new Quantization(client, this.form, onError);
    this.models = new ModelManager(client, this.catalog);
    this.bench = new BenchLab(client);
    this.jobs = new GenerateJobs(client);
    this.queue = new QueueState(client, onError);
    this.recipes = new RecipeImporter(client, (imported) => this.#applyImport(imported), onError);
    this.#outcomes = {
      done: (record, request) => this.#finish(record, request),
      failed: onError,
    };
    this.#twinOutcomes = {
      done: (record, request) => {
        // An A/B twin finished: keep looking at the cached image, now beside its twin.
        this.#finish(record, request);
        this.viewed = this.ab.settle(record) ?? record;
      },
      failed: (error) => {
        this.ab.settle(null);
        onError(error);
      },
      cancelled: () => this.ab.settle(null),
    };
  }

  /** The generation the Generate bar shows and Cancel / Esc act on (GenerateJobs.focus). */
  get job(): TrackedJob<'generate'> {
    return this.jobs.focus;
  }

  /** Connects and loads everything; returns a teardown for the component that owns it. */
  start(): () => void {
    this.form.restore(loadSavedForm());
    const stopSaving = $effect.root(() => {
      $effect(() => saveForm(this.form.snapshot()));
      // Token counts follow the prompts and the model; the form judges them (form-rules.ts).
      $effect(() => this.#tokens.count(this.form.model, this.form.prompt, this.form.negativePrompt));
      $effect(() => {
        this.form.tokens = this.#tokens.response;
      });
    });
    const offEvent = this.client.onEvent((event) => {
      // A generation this page does not follow (retried elsewhere, queued before a reload) still lands in history.
      if (event.type === 'job.done' && event.kind === 'generate' && !this.jobs.follows(event.jobId)) this.#finish(event.result, null);
      this.preview.handle(event, (id) => this.jobs.follows(id));
      this.jobs.handle(event);
      this.queue.handle(event);
      this.speedUp.handle(event);
      this.quant.handle(event);
      this.models.handle(event);
      this.bench.handle(event);
    });
    const offConnection = this.client.onConnection((state) => this.#onConnection(state));
    void this.#loadAll();
    return () => {
      stopSaving();
      offEvent();
      offConnection();
    };
  }

  async generate(): Promise<void> {
    // While reconnecting a request would be lost: Generate is disabled, and Ctrl+Enter does nothing.
    if (!this.form.ready || this.batch.error !== undefined || this.connection !== 'open') return;
    this.notices.dismiss();
    if (this.hybrid.problem !== null) {
      this.notices.show({ code: 'INVALID_REQUEST', message: this.hybrid.problem, detail: 'hybrid' });
      return;
    }
    if (this.quant.problem !== null) {
      this.notices.show({ code: 'INVALID_REQUEST', message: this.quant.problem, detail: 'compensation' });
      return;
    }
    if (this.speedUp.problem !== null) {
      this.notices.show({ code: 'INVALID_REQUEST', message: this.speedUp.problem, detail: 'cache' });
      return;
    }
    const model = this.catalog.models.find((m) => m.id === this.form.model);
    const clipProblem = this.clip.problem(model);
    if (clipProblem !== null) {
      this.notices.show({ code: 'INVALID_REQUEST', message: clipProblem, detail: 'frames' });
      return;
    }
    this.form.seedForRun();
    const cache = this.speedUp.settings.toRequest();
    const hybrid = this.hybrid.toRequest();
    const request = { ...this.form.toRequest(), ...(cache ? { cache } : {}), ...(hybrid ? { hybrid } : {}), ...this.quant.toRequest(), ...this.clip.toRequest(model), preview: this.preview.enabled };
    // A batch is N jobs with consecutive seeds, queued in seed order.
    for (const one of batchRequests(request, this.batch.count ?? 1)) await this.jobs.start(one, this.#outcomes);
  }

  /** Queues an ended job again: a generation is followed like one started here. */
  async retry(job: JobSummary): Promise<void> {
    if (job.kind === 'generate') await this.jobs.retry(job, this.#outcomes);
    else await this.client.call('jobs.retry', { jobId: job.id }).catch((err: unknown) => this.notices.show(asApiError(err)));
    await this.queue.refresh();
  }

  reuse(record: GenerationRecord): void {
    const sent = record.recipe.request;
    // A recipe that kept its request restores every setting; an older one what it names.
    if (sent) return applyRequest(this.#recipeTargets(), sent, this.catalog.hasModel(sent.model));
    this.form.applyRecipe(record.recipe, (id) => this.catalog.hasModel(id));
    this.speedUp.settings.applyRecipe(record.recipe.cache);
    this.hybrid.settings.applyRecipe(record.recipe);
  }

  #applyImport(imported: RecipeImport): void {
    this.notices.dismiss();
    applyRequest(this.#recipeTargets(), imported.request, imported.modelKnown);
  }

  #recipeTargets(): RecipeTargets {
    return { form: this.form, cache: this.speedUp.settings, hybrid: this.hybrid.settings, quant: this.quant, clip: this.clip };
  }

  /** A finished generation: into this page's list and history, and into the big view. */
  #finish(record: GenerationRecord, request: GenerateRequest | null): void {
    if (request) this.#sent.set(record.id, request);
    if (this.#finished.some((r) => r.id === record.id)) return;
    this.#finished = [record, ...this.#finished];
    this.viewed = record;
    this.history.add(record);
  }

  /** The uncached record with the same recipe as a cached one, when this page knows one. */
  twinOf(record: GenerationRecord): GenerationRecord | null {
    return findUncachedTwin(record, [...this.#finished, ...this.history.items]);
  }

  /** A/B: shows the cached record beside its uncached twin, generating the twin when none is known. */
  async compare(record: GenerationRecord): Promise<void> {
    const twin = this.twinOf(record);
    if (twin) {
      this.ab.show(record, twin);
      return;
    }
    this.notices.dismiss();
    this.ab.wait(record);
    await this.jobs.start(uncachedRequest(record.recipe, this.#sent.get(record.id)), this.#twinOutcomes);
  }

  /** The fp32 record with the same recipe as a quantized one, when this page knows one. */
  fp32TwinOf(record: GenerationRecord): GenerationRecord | null {
    return findFp32Twin(record, [...this.#finished, ...this.history.items]);
  }

  /** A/B: shows a quantized record beside the same recipe on the fp32 denoiser, generating that when none is known. */
  async compareFp32(record: GenerationRecord): Promise<void> {
    const twin = this.fp32TwinOf(record);
    if (twin) {
      this.ab.show(record, twin, 'fp32');
      return;
    }
    this.notices.dismiss();
    this.ab.wait(record, 'fp32');
    await this.jobs.start(fp32Request(record.recipe, this.#sent.get(record.id)), this.#twinOutcomes);
  }

  /** The large-only record with the same recipe as a hybrid one, when this page knows one. */
  largeOnlyTwinOf(record: GenerationRecord): GenerationRecord | null {
    return findLargeOnlyTwin(record, [...this.#finished, ...this.history.items]);
  }

  /** A/B: shows a hybrid record beside the same recipe on the large model alone, generating that when none is known. */
  async compareLargeOnly(record: GenerationRecord): Promise<void> {
    const twin = this.largeOnlyTwinOf(record);
    if (twin) {
      this.ab.show(record, twin, 'large-only');
      return;
    }
    this.notices.dismiss();
    this.ab.wait(record, 'large-only');
    await this.jobs.start(largeOnlyRequest(record.recipe, this.#sent.get(record.id)), this.#twinOutcomes);
  }

  async #loadAll(): Promise<void> {
    await this.catalog.load();
    // A restored model that is gone (or none yet, on a first run) gives way to the default, with
    // its recommended settings; a restored model keeps the settings the user left.
    if (!this.catalog.hasModel(this.form.model) && this.catalog.defaultModel) this.form.pickModel(this.catalog.defaultModel);
    await this.history.refresh();
    // The queue survives a reload: follow the generations it still holds.
    await this.queue.refresh();
    this.jobs.adopt(this.queue.active, this.#outcomes);
  }

  #onConnection(state: ConnectionState): void {
    this.connection = state;
    if (state !== 'open') return;
    // A reconnect means the server may have restarted: its queue carries on (a job it was
    // running is retried), so the page follows on where it can; history or models may have
    // changed while we were away.
    if (this.#wasOpen) {
      this.notices.dismiss();
      const lost = {
        code: 'INTERNAL',
        message: 'The connection to the studio server was lost during generation. Check history for the result.',
      } as const;
      void this.jobs.resync(lost);
      void this.speedUp.profiling.resync(lost);
      void this.speedUp.profiles.refresh();
      void this.#loadAll();
    }
    this.#wasOpen = true;
  }
}
