/** What the Export menu offers for a record (kept apart from the encoders, which load on first use). */
import type { GenerationRecord } from '../../../../contract/api';

export type ClipExportKind = 'webm' | 'mp4' | 'gif' | 'apng' | 'frames';

export const CLIP_EXPORTS: readonly { kind: ClipExportKind; label: string }[] = [
  { kind: 'webm', label: 'WebM video (VP9)' },
  { kind: 'mp4', label: 'MP4 video (H.264)' },
  { kind: 'gif', label: 'GIF' },
  { kind: 'apng', label: 'Animated PNG' },
  { kind: 'frames', label: 'PNG frames (zip)' },
];

/** True when the record is a clip (an animated PNG), false for a still. */
export function isClip(record: GenerationRecord): boolean {
  return record.video !== undefined || record.recipe.video !== undefined;
}
