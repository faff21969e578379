/**
 * Which live preview the image view shows (renderer/src/lib/preview-frames.ts), and the
 * persisted "Live preview" setting.
 */
import { describe, expect, it } from 'vitest';
import type { JobPreview, StudioEvent } from '../../../contract/api';
import { loadPreviewEnabled, nextPreview, savePreviewEnabled } from '../../../renderer/src/lib/preview-frames';

const frame = (jobId: string, step: number): JobPreview => ({ jobId, step, totalSteps: 50, width: 64, height: 64, image: `data:image/png;base64,${step}` });
const event = (f: JobPreview): StudioEvent => ({ type: 'job.preview', ...f });
/** The page follows job `a` only. */
const onlyA = (id: string) => id === 'a';

describe('nextPreview', () => {
  it('shows the followed job\'s newest frame and ignores other jobs', () => {
    let shown = nextPreview(null, event(frame('a', 5)), onlyA);
    expect(shown).toEqual(frame('a', 5));
    shown = nextPreview(shown, event(frame('b', 10)), onlyA);
    expect(shown).toEqual(frame('a', 5));
    shown = nextPreview(shown, event(frame('a', 10)), onlyA);
    expect(shown).toEqual(frame('a', 10));
    expect(nextPreview(null, event(frame('a', 5)), () => false)).toBeNull();
  });

  it('a late frame of an earlier step does not replace a later one', () => {
    expect(nextPreview(frame('a', 10), event(frame('a', 5)), onlyA)).toEqual(frame('a', 10));
  });

  it('goes when its job ends or is retried, and stays through progress and other jobs\' ends', () => {
    const shown = frame('a', 10);
    expect(nextPreview(shown, { type: 'job.progress', progress: { jobId: 'a', stage: 'denoise', step: 11, totalSteps: 50, elapsedMs: 1 } }, onlyA)).toBe(shown);
    expect(nextPreview(shown, { type: 'job.cancelled', jobId: 'b' }, onlyA)).toBe(shown);
    expect(nextPreview(shown, { type: 'job.cancelled', jobId: 'a' }, onlyA)).toBeNull();
    expect(nextPreview(shown, { type: 'job.failed', jobId: 'a', error: { code: 'INTERNAL', message: 'x' } }, onlyA)).toBeNull();
    expect(nextPreview(shown, { type: 'job.retried', jobId: 'a', retryId: 'c', reason: 'r' }, onlyA)).toBeNull();
  });
});

describe('the Live preview setting', () => {
  const memory = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
  };

  it('is on by default and remembers being turned off and on', () => {
    const store = memory();
    expect(loadPreviewEnabled(store)).toBe(true);
    savePreviewEnabled(false, store);
    expect(loadPreviewEnabled(store)).toBe(false);
    savePreviewEnabled(true, store);
    expect(loadPreviewEnabled(store)).toBe(true);
  });

  it('a storage that throws leaves previews on', () => {
    const broken = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); } };
    expect(loadPreviewEnabled(broken)).toBe(true);
    expect(() => savePreviewEnabled(false, broken)).not.toThrow();
  });
});
