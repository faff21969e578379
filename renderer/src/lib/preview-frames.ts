/**
 * Which live preview the image view shows, as a pure reducer over studio events: the newest
 * job.preview of the job the page follows (a frame for an earlier step, arriving late, never
 * replaces a later one), until that job ends. Plus the user's choice to ask for previews at
 * all, kept in localStorage (on unless turned off).
 */
import type { JobPreview, StudioEvent } from '../../../contract/api';

const KEY = 'diffusion-studio.preview.v1';

/** The frame to show after `event`; `follows` says whether the page follows a (running) job. */
export function nextPreview(current: JobPreview | null, event: StudioEvent, follows: (jobId: string) => boolean): JobPreview | null {
  switch (event.type) {
    case 'job.preview': {
      if (!follows(event.jobId)) return current;
      if (current !== null && current.jobId === event.jobId && current.step >= event.step) return current;
      const { type: _type, ...frame } = event;
      return frame;
    }
    case 'job.progress':
      return current;
    default:
      // The job ended (done, failed, cancelled) or was replaced by a retry: its preview goes.
      return current !== null && event.jobId === current.jobId ? null : current;
  }
}

/** The part of localStorage the setting uses (a Map-backed one in tests). */
export interface SettingStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The storage the page has, if any (absent in tests and if the browser blocks it). */
function storage(): SettingStore | undefined {
  try {
    return (globalThis as { localStorage?: SettingStore }).localStorage;
  } catch {
    return undefined;
  }
}

/** Whether previews are on: true unless a previous page turned them off. */
export function loadPreviewEnabled(store: SettingStore | undefined = storage()): boolean {
  try {
    return store?.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function savePreviewEnabled(enabled: boolean, store: SettingStore | undefined = storage()): void {
  try {
    store?.setItem(KEY, enabled ? 'on' : 'off');
  } catch {
    // A full or blocked storage only loses the convenience.
  }
}
