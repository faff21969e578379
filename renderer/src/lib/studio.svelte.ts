/**
 * The composition root: one client, the state objects, and the wiring between them
 * (events → job, finished job → history and view, errors → banner). Components receive
 * the pieces they need and never talk to the client directly.
 */
import type { GenerationRecord } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import type { ConnectionState, RendererClient } from './client';
import { Catalog } from './catalog.svelte';
import { GenerationForm } from './form.svelte';
import { HistoryState } from './history.svelte';
import { JobState } from './job.svelte';
import { Notices } from './notices.svelte';

export class Studio {
  readonly notices = new Notices();
  readonly form = new GenerationForm();
  readonly catalog: Catalog;
  readonly history: HistoryState;
  readonly job: JobState;
  /** The record the big view shows: the latest result, or a history item the user picked. */
  viewed = $state.raw<GenerationRecord | null>(null);
  connection = $state<ConnectionState>('connecting');

  readonly client: RendererClient;
  #wasOpen = false;

  constructor(client: RendererClient) {
    this.client = client;
    const onError = (error: ApiError) => this.notices.show(error);
    this.catalog = new Catalog(client, onError);
    this.history = new HistoryState(client, onError);
    this.job = new JobState(client, {
      done: (record) => {
        this.viewed = record;
        this.history.add(record);
      },
      failed: onError,
    });
  }

  /** Connects and loads everything; returns a teardown for the component that owns it. */
  start(): () => void {
    const offEvent = this.client.onEvent((event) => this.job.handle(event));
    const offConnection = this.client.onConnection((state) => this.#onConnection(state));
    void this.#loadAll();
    return () => {
      offEvent();
      offConnection();
    };
  }

  async generate(): Promise<void> {
    if (!this.form.ready || this.job.busy) return;
    this.notices.dismiss();
    await this.job.start(this.form.toRequest());
  }

  reuse(record: GenerationRecord): void {
    this.form.applyRecipe(record.recipe, (id) => this.catalog.hasModel(id));
  }

  async #loadAll(): Promise<void> {
    await this.catalog.load();
    if (this.form.model === '' && this.catalog.defaultModel) this.form.model = this.catalog.defaultModel.id;
    await this.history.refresh();
  }

  #onConnection(state: ConnectionState): void {
    this.connection = state;
    if (state !== 'open') return;
    // A reconnect means the server may have restarted: a running job died with it, and
    // history or models may have changed while we were away.
    if (this.#wasOpen) {
      this.notices.dismiss();
      this.job.abandon({
        code: 'INTERNAL',
        message: 'The connection to the studio server was lost during generation. Check history for the result.',
      });
      void this.#loadAll();
    }
    this.#wasOpen = true;
  }
}
