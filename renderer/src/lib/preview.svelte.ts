/**
 * The live preview the image view shows while this page's generation runs (preview-frames.ts
 * decides which frame), and the "Live preview" setting that decides whether a generation asks
 * the back end for previews at all.
 */
import type { JobPreview, StudioEvent } from '../../../contract/api';
import { loadPreviewEnabled, nextPreview, savePreviewEnabled } from './preview-frames';

export class LivePreview {
  /** Ask for previews with each generation (persisted). */
  enabled = $state(loadPreviewEnabled());
  /** The newest frame of the followed job, null when there is none to show. */
  frame = $state.raw<JobPreview | null>(null);

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    savePreviewEnabled(enabled);
  }

  /** Feed every studio event; `follows` says whether the page follows a running job. */
  handle(event: StudioEvent, follows: (jobId: string) => boolean): void {
    this.frame = nextPreview(this.frame, event, follows);
  }

  /** A new generation starts: the last one's preview is not shown over it. */
  clear(): void {
    this.frame = null;
  }
}
