/**
 * The gallery's state: a filtered, paged grid of history records, favourites, a selection
 * (two records to compare, or several to delete) and the delete's undo window.
 *
 * Deleting is immediate in the grid; the back end keeps the rows and files restorable for
 * `undoMs` (main/gallery/trash.ts), and `undo` brings them back within it. Answers to
 * superseded queries are dropped, so a slow old search cannot win.
 */
import type { GenerationRecord, StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';
import { NO_FILTERS, toHistoryQuery, type GalleryFilters } from './gallery-query';

const PAGE_SIZE = 60;
const SEARCH_DEBOUNCE_MS = 250;

export interface PendingUndo {
  records: GenerationRecord[];
  /** Date.now() when the back end purges them. */
  until: number;
}

export class Gallery {
  items = $state.raw<GenerationRecord[]>([]);
  filters = $state<GalleryFilters>({ ...NO_FILTERS });
  loading = $state(false);
  /** The last page was full, so there may be older records. */
  hasMore = $state(false);
  /** Ids picked with the tiles' checkboxes, in the order picked. */
  selected = $state.raw<number[]>([]);
  /** The last delete, while it can still be undone. */
  pendingUndo = $state.raw<PendingUndo | null>(null);

  #debounce: ReturnType<typeof setTimeout> | null = null;
  #undoTimer: ReturnType<typeof setTimeout> | null = null;
  #generation = 0;
  readonly #client: StudioClient;
  readonly #onError: (error: ApiError) => void;
  /** Told when records were deleted or restored, so other views of history follow. */
  readonly #onChanged: () => void;

  constructor(client: StudioClient, onError: (error: ApiError) => void, onChanged: () => void) {
    this.#client = client;
    this.#onError = onError;
    this.#onChanged = onChanged;
  }

  /** Sets filters; the search box waits for typing to pause, other filters apply at once. */
  setFilters(change: Partial<GalleryFilters>): void {
    this.filters = { ...this.filters, ...change };
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    const onlySearch = Object.keys(change).every((k) => k === 'search');
    this.#debounce = setTimeout(
      () => {
        this.#debounce = null;
        void this.refresh();
      },
      onlySearch ? SEARCH_DEBOUNCE_MS : 0,
    );
  }

  clearFilters(): void {
    this.setFilters({ ...NO_FILTERS });
  }

  async refresh(): Promise<void> {
    const page = await this.#load(undefined);
    if (page) this.items = page;
  }

  async loadMore(): Promise<void> {
    const last = this.items.at(-1);
    if (!last || this.loading || !this.hasMore) return;
    const page = await this.#load(last.id);
    if (page) this.items = [...this.items, ...page.filter((r) => !this.items.some((i) => i.id === r.id))];
  }

  isSelected(id: number): boolean {
    return this.selected.includes(id);
  }

  toggleSelected(id: number): void {
    this.selected = this.isSelected(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  clearSelection(): void {
    this.selected = [];
  }

  /** The two selected records, oldest pick first, when exactly two are selected. */
  get comparePair(): [GenerationRecord, GenerationRecord] | null {
    if (this.selected.length !== 2) return null;
    const [a, b] = this.selected.map((id) => this.items.find((r) => r.id === id));
    return a && b ? [a, b] : null;
  }

  async toggleFavourite(record: GenerationRecord): Promise<void> {
    const favourite = record.favourite !== true;
    this.#replace(record.id, favourite);
    try {
      await this.#client.call('history.setFavourite', { id: record.id, favourite });
      // Unstarred while only favourites are shown: it leaves the grid.
      if (!favourite && this.filters.favourites) this.items = this.items.filter((r) => r.id !== record.id);
    } catch (err) {
      this.#replace(record.id, !favourite);
      this.#onError(asApiError(err));
    }
  }

  async remove(records: GenerationRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      const { deleted, undoMs, failed } = await this.#client.call('history.delete', { ids: records.map((r) => r.id) });
      if (failed.length > 0) this.#onError({ code: 'STORE', message: `${failed.length === 1 ? 'An image was' : `${failed.length} images were`} not deleted: ${failed[0]!.reason}` });
      const gone = records.filter((r) => deleted.includes(r.id));
      this.items = this.items.filter((r) => !deleted.includes(r.id));
      this.selected = this.selected.filter((id) => !deleted.includes(id));
      this.#setPendingUndo(gone.length > 0 ? { records: gone, until: Date.now() + undoMs } : null, undoMs);
      this.#onChanged();
    } catch (err) {
      this.#onError(asApiError(err));
    }
  }

  async undo(): Promise<void> {
    const pending = this.pendingUndo;
    if (!pending) return;
    this.#setPendingUndo(null, 0);
    try {
      const { restored } = await this.#client.call('history.restore', { ids: pending.records.map((r) => r.id) });
      if (restored.length < pending.records.length) {
        this.#onError({ code: 'NOT_FOUND', message: 'The undo window had passed: some images were already removed for good.' });
      }
      await this.refresh();
      this.#onChanged();
    } catch (err) {
      this.#onError(asApiError(err));
    }
  }

  dismissUndo(): void {
    this.#setPendingUndo(null, 0);
  }

  #setPendingUndo(pending: PendingUndo | null, ms: number): void {
    if (this.#undoTimer !== null) clearTimeout(this.#undoTimer);
    this.#undoTimer = null;
    this.pendingUndo = pending;
    if (pending) this.#undoTimer = setTimeout(() => (this.pendingUndo = null), ms);
  }

  #replace(id: number, favourite: boolean): void {
    this.items = this.items.map((r) => {
      if (r.id !== id) return r;
      const { favourite: _old, ...rest } = r;
      return favourite ? { ...rest, favourite: true } : rest;
    });
  }

  async #load(before: number | undefined): Promise<GenerationRecord[] | null> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await this.#client.call('history.list', { ...toHistoryQuery(this.filters), limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
      if (generation !== this.#generation) return null;
      this.hasMore = page.length === PAGE_SIZE;
      return page;
    } catch (err) {
      if (generation === this.#generation) this.#onError(asApiError(err));
      return null;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Stops the timers (the view is leaving). */
  dispose(): void {
    if (this.#debounce !== null) clearTimeout(this.#debounce);
    this.#setPendingUndo(null, 0);
  }
}
