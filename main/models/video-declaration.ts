/**
 * Whether a pipeline folder is a video model, from the `video` entry of its studio.json
 * (contract/video-settings.ts). A malformed entry is a StudioError MODEL_LAYOUT naming the file
 * and field, so the model stays out of the list with the reason shown (`studio models`).
 */
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { videoSettingsSchema, type VideoSettings } from '../../contract/video-settings';
import { formatIssuePath } from '../../core/schema/issue-path';

/** The folder's video settings, or undefined for an image model. @throws StudioError MODEL_LAYOUT */
export function videoDeclaration(dir: string, studioJson: Record<string, unknown> | undefined): VideoSettings | undefined {
  const raw = studioJson?.['video'];
  if (raw === undefined) return undefined;
  const parsed = videoSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${formatIssuePath(issue.path)}: `;
    throw new StudioError('MODEL_LAYOUT', `${path.join(dir, 'studio.json')}: video: ${where}${issue?.message ?? 'is invalid'}`, 'studio.json');
  }
  return parsed.data;
}
