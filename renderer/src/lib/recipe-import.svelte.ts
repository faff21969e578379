/**
 * "Open image…" and a PNG dropped onto the window: the file's bytes go to the back end
 * (recipe.fromPng), which reads its settings where parsing untrusted bytes is safe and answers
 * with a request or a clear error; the request then fills the form (recipe-apply.ts).
 * `last` says what was loaded from which file, and what could not be carried over.
 */
import type { StudioClient } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { RECIPE_PNG_BYTES_MAX, type RecipeImport } from '../../../contract/recipe-import';
import { asApiError } from './client-error';

export interface LoadedRecipe {
  file: string;
  source: RecipeImport['source'];
  notes: string[];
}

/** Standard padded base64 of `bytes`, in slices so a large file does not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export class RecipeImporter {
  loading = $state(false);
  last = $state.raw<LoadedRecipe | null>(null);

  readonly #client: StudioClient;
  readonly #apply: (imported: RecipeImport) => void;
  readonly #onError: (error: ApiError) => void;

  constructor(client: StudioClient, apply: (imported: RecipeImport) => void, onError: (error: ApiError) => void) {
    this.#client = client;
    this.#apply = apply;
    this.#onError = onError;
  }

  async open(file: File): Promise<void> {
    if (file.size > RECIPE_PNG_BYTES_MAX) {
      this.#onError({ code: 'INVALID_REQUEST', message: `${file.name} is larger than ${RECIPE_PNG_BYTES_MAX / (1024 * 1024)} MiB; open the PNG the image was saved as.`, detail: 'png' });
      return;
    }
    this.loading = true;
    try {
      const png = toBase64(new Uint8Array(await file.arrayBuffer()));
      const imported = await this.#client.call('recipe.fromPng', { png });
      this.#apply(imported);
      this.last = { file: file.name, source: imported.source, notes: imported.notes };
    } catch (err) {
      const error = asApiError(err);
      this.#onError({ ...error, message: `${file.name}: ${error.message}` });
    } finally {
      this.loading = false;
    }
  }
}
