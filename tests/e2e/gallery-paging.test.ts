// The gallery pages through a long history: the first page of 60, then older ones as the grid
// scrolls to its end (history.list with a keyset cursor), with lazily loaded thumbnails.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId } from './harness/ui';

/** One more than the gallery's page (gallery.svelte.ts PAGE_SIZE). */
const COUNT = 61;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  for (let i = 0; i < COUNT; i++) await session.api('generate.start', { prompt: `paging image ${i}`, seed: i, steps: 1, cfg: 1, model: 'tiny' });
  const deadline = Date.now() + 120_000;
  while ((await session.api<GenerationRecord[]>('history.list', { limit: COUNT })).length < COUNT) {
    if (Date.now() > deadline) throw new Error(`${COUNT} generations did not finish in 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});
afterAll(async () => {
  await session?.close();
});

test('the grid shows a first page, then the older images once scrolled to its end', async () => {
  const { page } = session;
  await byTestId(page, 'tab-gallery').click();
  const items = byTestId(page, 'gallery-item');
  await expect.poll(() => items.count()).toBe(60);
  expect(await page.locator('[data-testid="gallery-item"] img[loading="lazy"]').count()).toBe(60);

  await items.last().scrollIntoViewIfNeeded();
  await expect.poll(() => items.count()).toBe(COUNT);
  // The oldest is last, and nothing is shown twice.
  const ids = await items.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-record-id'))));
  expect(new Set(ids).size).toBe(COUNT);
  expect(await items.last().textContent()).toContain('paging image 0');
  expect(session.problems).toEqual([]);
});
