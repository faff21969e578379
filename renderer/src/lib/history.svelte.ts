/**
 * Generation history as the panel shows it: newest first, filtered by a debounced search
 * over prompts, paged with `before` so a store with thousands of images stays fast.
 */
import type { GenerationRecord, HistoryQuery, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';

const PAGE_SIZE = 60;
const SEARCH_DEBOUNCE_MS = 250;

export class HistoryState {
  items = $state.raw<GenerationRecord[]>([]);
  search = $state('');
  loading = $state(false);
  /** The last page was full, so there may be older records. */
  hasMore = $state(false);

  #debounce: ReturnType<typeof setTimeout> | null = null;
  /** Answers to superseded queries are dropped, so a slow old search cannot win. */
  #generation = 0;
  readonly #client: StudioClient;
  readonly #onError: (error: ApiError) => void;

  constructor(client: StudioClient, onError: (error: ApiError) => void) {
    this.#client = client;
    this.#onError = onError;
  }

  /** Bound to the search box: waits for typing to pause before querying. */
  setSearch(text: string): void {
    this.search = text;
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      void this.refresh();
    }, SEARCH_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    this.items = await this.#load({}, []) ?? this.items;
  }

  async loadMore(): Promise<void> {
    const last = this.items.at(-1);
    if (!last || this.loading) return;
    const page = await this.#load({ before: last.id }, this.items);
    if (page) this.items = page;
  }

  /** A fresh generation: show it at once when no search hides it, else re-ask the store. */
  add(record: GenerationRecord): void {
    if (this.search.trim() === '') this.items = [record, ...this.items.filter((r) => r.id !== record.id)];
    else void this.refresh();
  }

  async #load(extra: HistoryQuery, before: GenerationRecord[]): Promise<GenerationRecord[] | null> {
    const generation = ++this.#generation;
    const search = this.search.trim();
    const query: HistoryQuery = { limit: PAGE_SIZE, ...extra, ...(search ? { search } : {}) };
    this.loading = true;
    try {
      const page = await this.#client.call('history.list', query);
      if (generation !== this.#generation) return null;
      this.hasMore = page.length === PAGE_SIZE;
      return [...before, ...page];
    } catch (err) {
      if (generation === this.#generation) this.#onError(asApiError(err));
      return null;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
