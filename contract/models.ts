/**
 * The model manager's calls: importing a diffusers ONNX folder into STUDIO_HOME/models (a job,
 * since copying gigabytes takes a while), a model's card, and deleting a user model.
 *
 * Pure TypeScript, like contract/api.ts.
 */

/** `models.import`: a pipeline folder on the back end's disk. */
export interface ModelImportRequest {
  /** Absolute path of the folder to import. */
  path: string;
  /** 'copy' (default) copies the files; 'link' leaves them where they are and links to the folder. */
  mode: 'copy' | 'link';
}

/** What an import installed (a row of migration 0009's model_imports). */
export interface ModelImportResult {
  id: number;
  /** The model's id in `models.list`. */
  modelId: string;
  /** Where it was imported from. */
  source: string;
  /** Its folder under STUDIO_HOME/models (a link to `source` in 'link' mode). */
  dir: string;
  mode: 'copy' | 'link';
  /** Content hash of the pipeline folder (main/runtime/model-hash.ts), checked on the copy. */
  sha256: string;
  /** Bytes of every file of the model. */
  bytes: number;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** `models.card`: what the model manager shows of one model. */
export interface ModelCard {
  modelId: string;
  source: 'bundled' | 'user';
  /** A user model that is a link to a folder elsewhere. */
  linked: boolean;
  dir: string;
  /** The folder's README.md as markdown text (cut at MODEL_CARD_LIMITS.readmeChars), null when there is none. */
  readme: string | null;
  /** contact-sheet.png as a data: URL, null when there is none (or it is larger than MODEL_CARD_LIMITS.contactSheetBytes). */
  contactSheet: string | null;
  /** Bytes of every file of the model (links followed). */
  bytes: number;
  files: number;
  sha256: string;
  /** Where an imported model came from, and when. */
  imported: { source: string; createdAt: string } | null;
}

export const MODEL_CARD_LIMITS = {
  readmeChars: 200_000,
  contactSheetBytes: 4 * 1024 * 1024,
} as const;
