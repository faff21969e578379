/**
 * The composition root: one client, the state objects, and the wiring between them
 * (events → job, finished job → history and view, errors → banner). Components receive
 * the pieces they need and never talk to the client directly.
 */
import type { GenerateRequest, GenerationRecord, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { AbCompare } from './ab-compare.svelte';
import type { ConnectionState, RendererClient } from './client';
import { Catalog } from './catalog.svelte';
import { loadSavedForm, saveForm } from './form-persistence';
import { GenerationForm } from './form.svelte';
import { HistoryState } from './history.svelte';
import { Gallery } from './gallery.svelte';
import { Hybrid } from './hybrid.svelte';
import { findLargeOnlyTwin, largeOnlyRequest } from './hybrid-reference';
import { Notices } from './notices.svelte';
import { PromptTokenCounter } from './prompt-tokens.svelte';
import { findFp32Twin, fp32Request } from './fp32-reference';
import { Quantization } from './quantization.svelte';
import { SpeedUp } from './speed-up.svelte';
import { TrackedJob } from './tracked-job.svelte';
import { findUncachedTwin, uncachedRequest } from './uncached-reference';

export class Studio {
  readonly notices = new Notices();
  readonly form = new GenerationForm();
  readonly catalog: Catalog;
  readonly history: HistoryState;
  /** The Gallery view's grid, filters, selection and undo; kept here so they survive switching views. */
  readonly gallery: Gallery;
  readonly job: TrackedJob<'generate'>;
  readonly speedUp: SpeedUp;
  readonly hybrid: Hybrid;
  readonly quant: Quantization;
  readonly ab = new AbCompare();
  /** The record the big view shows: the latest result, or a history item the user picked. */
  viewed = $state.raw<GenerationRecord | null>(null);
  connection = $state<ConnectionState>('connecting');

  /** Records finished in this page, newest first: A/B twins even when a search hides them in history. */
  #finished = $state.raw<GenerationRecord[]>([]);
  /** The request each record of this page was made from (its recipe names resolved values only). */
  readonly #sent = new Map<number, GenerateRequest>();

  readonly client: RendererClient;
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
    const generateCalls = {
      start: (c: StudioClient, request: GenerateRequest) => c.call('generate.start', request),
      load: (c: StudioClient, id: number) => c.call('history.get', { id }),
    };
    this.job = new TrackedJob('generate', client, generateCalls, {
      done: (record, request) => {
        this.#sent.set(record.id, request);
        this.#finished = [record, ...this.#finished];
        // An A/B twin finished: keep looking at the cached image, now beside its twin.
        this.viewed = this.ab.settle(record) ?? record;
        this.history.add(record);
      },
      failed: (error) => {
        this.ab.settle(null);
        onError(error);
      },
      cancelled: () => this.ab.settle(null),
    });
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
      this.job.handle(event);
      this.speedUp.handle(event);
      this.quant.handle(event);
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
    if (!this.form.ready || this.job.busy || this.connection !== 'open') return;
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
    this.form.seedForRun();
    const cache = this.speedUp.settings.toRequest();
    const hybrid = this.hybrid.toRequest();
    await this.job.start({ ...this.form.toRequest(), ...(cache ? { cache } : {}), ...(hybrid ? { hybrid } : {}), ...this.quant.toRequest() });
  }

  reuse(record: GenerationRecord): void {
    this.form.applyRecipe(record.recipe, (id) => this.catalog.hasModel(id));
    this.speedUp.settings.applyRecipe(record.recipe.cache);
    this.hybrid.settings.applyRecipe(record.recipe);
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
    if (this.job.busy) return;
    this.notices.dismiss();
    this.ab.wait(record);
    await this.job.start(uncachedRequest(record.recipe, this.#sent.get(record.id)));
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
    if (this.job.busy) return;
    this.notices.dismiss();
    this.ab.wait(record, 'fp32');
    await this.job.start(fp32Request(record.recipe, this.#sent.get(record.id)));
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
    if (this.job.busy) return;
    this.notices.dismiss();
    this.ab.wait(record, 'large-only');
    await this.job.start(largeOnlyRequest(record.recipe, this.#sent.get(record.id)));
  }

  async #loadAll(): Promise<void> {
    await this.catalog.load();
    // A restored model that is gone (or none yet, on a first run) gives way to the default, with
    // its recommended settings; a restored model keeps the settings the user left.
    if (!this.catalog.hasModel(this.form.model) && this.catalog.defaultModel) this.form.pickModel(this.catalog.defaultModel);
    await this.history.refresh();
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
      void this.job.resync(lost);
      void this.speedUp.profiling.resync(lost);
      void this.speedUp.profiles.refresh();
      void this.#loadAll();
    }
    this.#wasOpen = true;
  }
}
