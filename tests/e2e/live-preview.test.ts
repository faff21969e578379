// The live preview: while a 50-step generation on `emoji` runs, the image view shows the image
// taking shape ("preview, step k/50") and the progress gives the measured step rate, then the
// final image replaces the preview; the "Live preview" checkbox turns it off, and the choice
// survives a reload.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels, waitForResultImage } from './harness/ui';

const STEPS = 50;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
});
afterAll(async () => {
  await session?.close();
});

interface SeenPreview {
  step: number;
  label: string;
  src: string;
}

/** Records every live preview the view shows (a MutationObserver, so a frame replaced at once is still seen). */
async function recordPreviews(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    const seen: SeenPreview[] = [];
    g.__previews = seen;
    g.__rates = [] as string[];
    const note = (): void => {
      const rate = g.document.querySelector('[data-testid="progress-time"]')?.getAttribute('title');
      if (rate) g.__rates.push(rate);
      const img = g.document.querySelector('[data-testid="live-preview"]');
      if (!img) return;
      const entry = { step: Number(img.getAttribute('data-step')), label: g.document.querySelector('[data-testid="live-preview-label"]')?.textContent ?? '', src: img.getAttribute('src') ?? '' };
      const last = seen[seen.length - 1];
      if (!last || last.step !== entry.step) seen.push(entry);
    };
    new g.MutationObserver(note).observe(g.document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

const readPreviews = (page: Page): Promise<SeenPreview[]> => page.evaluate(() => [...((globalThis as any).__previews as SeenPreview[])]);
const readRates = (page: Page): Promise<string[]> => page.evaluate(() => [...((globalThis as any).__rates as string[])]);

/** Decodes a data URL in the page; its pixel size, or 0×0 when it is not an image. */
const decodedSize = (page: Page, src: string): Promise<{ width: number; height: number }> =>
  page.evaluate(async (url) => {
    const img = new (globalThis as any).Image();
    img.src = url;
    try {
      await img.decode();
      return { width: img.naturalWidth as number, height: img.naturalHeight as number };
    } catch {
      return { width: 0, height: 0 };
    }
  }, src);

async function generateOnEmoji(page: Page, seed: number): Promise<void> {
  await fillForm(page, { prompt: 'red heart', steps: STEPS, cfg: 4, seed });
  await recordPreviews(page);
  const before = await byTestId(page, 'history-item').count();
  await byTestId(page, 'generate').click();
  await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[data-testid="history-item"]').length > n, before, { timeout: 120_000 });
  await page.waitForSelector('[data-testid="progress"][data-phase="done"]', { timeout: 120_000 });
}

test('a 50-step run on emoji shows its preview every few steps, then the final image replaces it', async () => {
  const { page } = session;
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('emoji');
  await expect(byTestId(page, 'preview-toggle').isChecked()).resolves.toBe(true);

  await generateOnEmoji(page, 7);
  const seen = await readPreviews(page);
  expect(seen.length, JSON.stringify(seen.map((s) => s.step))).toBeGreaterThanOrEqual(1);
  for (const preview of seen) {
    expect(preview.step).toBeGreaterThan(0);
    expect(preview.step).toBeLessThan(STEPS);
    expect(preview.label).toBe(`preview, step ${preview.step}/${STEPS}`);
    expect(preview.src.startsWith('data:image/png;base64,')).toBe(true);
  }
  // Steps only move forward.
  expect(seen.map((s) => s.step)).toEqual([...seen.map((s) => s.step)].sort((a, b) => a - b));
  await expect(decodedSize(page, (seen[0] as SeenPreview).src)).resolves.toEqual({ width: 64, height: 64 });

  // While it ran, the progress time's tooltip gave the measured step rate.
  expect((await readRates(page)).some((rate) => /^\d+(\.\d)? steps\/s$/.test(rate))).toBe(true);

  // The run is over: the final image is shown, the preview is gone.
  const image = await waitForResultImage(page);
  expect(image.naturalWidth).toBe(64);
  await expect(byTestId(page, 'live-preview').count()).resolves.toBe(0);
  expect(session.problems).toEqual([]);
});

test('with Live preview off no preview appears, and the choice survives a reload', async () => {
  const { page } = session;
  await byTestId(page, 'preview-toggle').uncheck();
  await generateOnEmoji(page, 8);
  await expect(readPreviews(page)).resolves.toEqual([]);

  // The same browser profile reloads the page (session.reload() would open a fresh profile).
  await page.reload();
  await waitForModels(page);
  await expect(byTestId(page, 'preview-toggle').isChecked()).resolves.toBe(false);
  await byTestId(page, 'preview-toggle').check();
  expect(session.problems).toEqual([]);
});
