/**
 * Deleting a user model (`models.delete`, `studio models delete ID`): its folder under
 * STUDIO_HOME/models, or only the link when it was imported as one. The folder is first renamed
 * to a hidden name (one atomic step: the model leaves the list whole), then removed.
 * Bundled models are part of the app and are refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { removeModelFolder } from './model-import';
import type { ModelRegistry } from './model-registry';

/** @throws StudioError MODEL_NOT_FOUND | INVALID_REQUEST (a bundled model) */
export function deleteUserModel(id: string, registry: ModelRegistry): void {
  const model = registry.list().find((m) => m.id === id);
  if (!model) throw new StudioError('MODEL_NOT_FOUND', `No installed model has the id "${id}".`, 'id');
  if (model.source === 'bundled') throw new StudioError('INVALID_REQUEST', `"${id}" is a bundled model: it ships with the studio and cannot be deleted.`, 'id');
  // The registry lists the models folder's own entries; anything else is not ours to remove.
  if (path.dirname(model.dir) !== registry.userDir) throw new StudioError('INVALID_REQUEST', `"${id}" is not in the studio's models folder (${registry.userDir}).`, 'id');
  const doomed = path.join(registry.userDir, `.delete-${process.pid}-${crypto.randomUUID()}`);
  fs.renameSync(model.dir, doomed);
  removeModelFolder(doomed);
}
