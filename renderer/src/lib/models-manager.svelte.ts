/**
 * The model manager's state: the model whose card is open, the import of a folder (a job with
 * progress and cancel), and deleting a user model after a confirmation. After an import or a
 * delete the catalog is loaded again, so the model picker follows.
 */
import type { StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import type { ModelCard, ModelImportResult } from '../../../contract/models';
import type { Catalog } from './catalog.svelte';
import { asApiError } from './client-error';
import { droppedFolder, type DroppedDirectoryEntry } from './folder-drop';
import { chosenFolder, uploadFolder, type ChosenFolder } from './model-upload';
import { TrackedJob } from './tracked-job.svelte';

export class ModelManager {
  /** Id of the model whose card is shown. */
  selected = $state<string | null>(null);
  card = $state.raw<ModelCard | null>(null);
  cardError = $state.raw<ApiError | null>(null);
  importPath = $state('');
  importMode = $state<'copy' | 'link'>('copy');
  /** Why the last import was refused or failed. */
  importError = $state.raw<ApiError | null>(null);
  imported = $state.raw<ModelImportResult | null>(null);
  /** The id awaiting a second click on Delete. */
  confirming = $state<string | null>(null);
  deleteError = $state.raw<ApiError | null>(null);
  readonly importJob: TrackedJob<'model-import'>;
  /** A folder being uploaded from the page: bytes sent of total; null when none. */
  upload = $state.raw<{ name: string; sent: number; total: number } | null>(null);
  uploadCancelled = $state(false);
  #uploadAbort: AbortController | null = null;

  readonly #client: StudioClient;
  readonly #catalog: Catalog;
  #cardToken = 0;

  constructor(client: StudioClient, catalog: Catalog) {
    this.#client = client;
    this.#catalog = catalog;
    this.importJob = new TrackedJob(
      'model-import',
      client,
      { start: (c, request) => c.call('models.import', request), load: () => Promise.reject(new Error('The import ended while the studio was disconnected; the model list shows whether it arrived.')) },
      {
        done: (result) => {
          this.imported = result;
          this.importPath = '';
          void this.#catalog.load().then(() => this.select(result.modelId));
        },
        failed: (error) => (this.importError = error),
      },
    );
  }

  handle(event: StudioEvent): void {
    this.importJob.handle(event);
  }

  async select(id: string): Promise<void> {
    const token = ++this.#cardToken;
    this.selected = id;
    this.confirming = null;
    this.deleteError = null;
    this.cardError = null;
    try {
      const card = await this.#client.call('models.card', { id });
      if (token === this.#cardToken) this.card = card;
    } catch (err) {
      if (token !== this.#cardToken) return;
      this.card = null;
      this.cardError = asApiError(err);
    }
  }

  async startImport(): Promise<void> {
    this.importError = null;
    this.imported = null;
    await this.importJob.start({ path: this.importPath.trim(), mode: this.importMode });
  }

  /** Uploads the folder a directory input chose, then shows the model it became. */
  async startUpload(files: ArrayLike<File>): Promise<void> {
    const folder = chosenFolder(files);
    if (folder !== null) await this.uploadChosen(folder);
  }

  /** Uploads a folder dropped onto the import form; anything but one folder is refused with the reason. */
  async drop(items: DataTransferItemList): Promise<void> {
    const entries = Array.from(items)
      .map((item) => item.webkitGetAsEntry())
      .filter((entry): entry is FileSystemEntry => entry !== null);
    const dir = entries.length === 1 && entries[0]!.isDirectory ? (entries[0] as FileSystemDirectoryEntry) : null;
    if (dir === null) {
      this.imported = null;
      this.importError = { code: 'INVALID_REQUEST', message: 'Drop one folder: the pipeline folder that holds model_index.json.' };
      return;
    }
    await this.uploadChosen(await droppedFolder(dir as unknown as DroppedDirectoryEntry));
  }

  async uploadChosen(folder: ChosenFolder): Promise<void> {
    if (this.upload !== null || this.importJob.busy) return;
    this.importError = null;
    this.imported = null;
    this.uploadCancelled = false;
    const abort = (this.#uploadAbort = new AbortController());
    this.upload = { name: folder.name, sent: 0, total: 0 };
    try {
      const result = await uploadFolder(this.#client, folder, (sent, total) => (this.upload = { name: folder.name, sent, total }), abort.signal);
      this.imported = result;
      await this.#catalog.load();
      await this.select(result.modelId);
    } catch (err) {
      if (abort.signal.aborted) this.uploadCancelled = true;
      else this.importError = asApiError(err);
    } finally {
      this.upload = null;
      this.#uploadAbort = null;
    }
  }

  cancelUpload(): void {
    this.#uploadAbort?.abort();
  }

  /** First call asks for confirmation; the second, for the same id, deletes. */
  async remove(id: string): Promise<void> {
    if (this.confirming !== id) {
      this.confirming = id;
      return;
    }
    this.confirming = null;
    this.deleteError = null;
    try {
      await this.#client.call('models.delete', { id });
      await this.#catalog.load();
      const next = this.#catalog.models[0]?.id ?? null;
      this.card = null;
      this.selected = null;
      if (next !== null) await this.select(next);
    } catch (err) {
      this.deleteError = asApiError(err);
    }
  }
}
