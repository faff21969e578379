/**
 * The gallery's calls on history records: star a record, delete records with an undo window,
 * and restore them within it. Request schemas (zod) are registered in CALL_SCHEMAS
 * (contract/call-schema.ts); the types they define are what the back end takes.
 *
 * Pure TypeScript, like the rest of contract/.
 */
import { z } from 'zod';
import { recordId, requestObject } from './field-schema';

/** Most records one delete or restore takes: a gallery selection, not a bulk purge. */
export const GALLERY_BATCH_MAX = 500;

const recordIds = () =>
  z
    .array(recordId(), { error: 'must be a list of record ids' })
    .min(1, { error: 'must name at least one record id' })
    .max(GALLERY_BATCH_MAX, { error: `must name at most ${GALLERY_BATCH_MAX} record ids` });

/** `history.setFavourite`: star (true) or unstar (false) one record. */
export const setFavouriteSchema = requestObject(
  'history.setFavourite',
  { id: recordId(), favourite: z.boolean({ error: 'must be true or false' }) },
  { allowEmpty: false },
);
export type SetFavouriteRequest = z.output<typeof setFavouriteSchema>;

/** `history.delete` and `history.restore`: the records to act on. */
export const recordIdsSchema = (call: string) => requestObject(call, { ids: recordIds() }, { allowEmpty: false });
export type RecordIdsRequest = z.output<ReturnType<typeof recordIdsSchema>>;

export interface DeleteResult {
  /** The ids that were live and are now deleted (unknown or already deleted ids are left out). */
  deleted: number[];
  /** How long `history.restore` can still bring them back, in ms; after that the rows and their files are purged. */
  undoMs: number;
  /** Records left as they were because their file could not be moved to the trash, each with the reason. */
  failed: { id: number; reason: string }[];
}

export interface RestoreResult {
  /** The ids brought back, each with its file (ids already purged or never deleted are left out). */
  restored: number[];
}
