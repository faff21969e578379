// The gallery in Chromium: the grid of generated images, search and filters, favourites that
// survive a reload, the large view's zoom and keys, A/B compare of any two, Open in Create, and
// delete with Undo (the row and its file) and the purge after the undo window.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId } from './harness/ui';

/** A short undo window, so the purge after it is seen within the test. */
const UNDO_MS = 6000;
process.env.STUDIO_DELETE_UNDO_MS = String(UNDO_MS);

const RUNS = [
  { prompt: 'red heart gallery', seed: 11 },
  { prompt: 'blue whale gallery', seed: 12 },
  { prompt: 'green apple gallery', seed: 13, cache: { method: 'fora', interval: 2 } },
];

let session: StudioSession;
const records = new Map<string, GenerationRecord>();

beforeAll(async () => {
  session = await StudioSession.start();
  for (const run of RUNS) await session.api('generate.start', { steps: 4, cfg: 1, model: 'tiny', ...run });
  await waitFor(async () => (await session.api<GenerationRecord[]>('history.list', {})).length === 3, 60_000);
  for (const record of await session.api<GenerationRecord[]>('history.list', {})) records.set(record.recipe.prompt, record);
  await openGallery(session.page);
});
afterAll(async () => {
  await session?.close();
});

/** Polls `check` until it holds (expect.poll works only inside a test). */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openGallery(page: Page): Promise<void> {
  await byTestId(page, 'tab-gallery').click();
  await byTestId(page, 'gallery-grid').waitFor();
}

const items = (page: Page): Locator => byTestId(page, 'gallery-item');
const tile = (page: Page, prompt: string): Locator => page.locator(`[data-testid="gallery-item"][data-record-id="${records.get(prompt)!.id}"]`);
const shownIds = async (page: Page): Promise<number[]> => (await items(page).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-record-id')))));

test('the grid shows every generated image, newest first, without scrolling the document at 1024×700', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect.poll(() => shownIds(page)).toEqual([...records.values()].map((r) => r.id).sort((a, b) => b - a));
  // Every thumbnail really decoded.
  await page.waitForFunction(() => {
    const imgs = [...(globalThis as any).document.querySelectorAll('[data-testid="gallery-item"] img')];
    return imgs.length === 3 && imgs.every((img: any) => img.complete && img.naturalWidth === 64);
  });
  const scroll = await page.evaluate(() => {
    const root = (globalThis as any).document.scrollingElement;
    return { height: root.scrollHeight, room: (globalThis as any).innerHeight };
  });
  expect(scroll.height).toBeLessThanOrEqual(scroll.room);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('search narrows the grid by a word of the prompt', async () => {
  const { page } = session;
  await byTestId(page, 'gallery-search').fill('whale');
  await expect.poll(() => shownIds(page)).toEqual([records.get('blue whale gallery')!.id]);
  await byTestId(page, 'gallery-search').fill('nonsenseword');
  await byTestId(page, 'gallery-empty').waitFor();
  await byTestId(page, 'gallery-search').fill('');
  await expect.poll(() => items(page).count()).toBe(3);
});

test('the cache-method filter narrows the grid to the cached run, and uncached to the others', async () => {
  const { page } = session;
  await byTestId(page, 'gallery-filter-method').selectOption('fora');
  await expect.poll(() => shownIds(page)).toEqual([records.get('green apple gallery')!.id]);
  await byTestId(page, 'gallery-filter-method').selectOption('none');
  await expect.poll(() => items(page).count()).toBe(2);
  await byTestId(page, 'gallery-filter-method').selectOption('');
  await expect.poll(() => items(page).count()).toBe(3);
});

test('the model and date filters narrow the grid', async () => {
  const { page } = session;
  await byTestId(page, 'gallery-filter-model').selectOption('emoji');
  await byTestId(page, 'gallery-empty').waitFor();
  await byTestId(page, 'gallery-filter-model').selectOption('tiny');
  await expect.poll(() => items(page).count()).toBe(3);
  await byTestId(page, 'gallery-filter-model').selectOption('');

  // Days as the page's <input type="date"> holds them: local calendar days.
  const [today, tomorrow] = await page.evaluate(() => {
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const now = new Date();
    return [day(now), day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1))];
  });
  await byTestId(page, 'gallery-filter-from').fill(tomorrow);
  await byTestId(page, 'gallery-empty').waitFor();
  await byTestId(page, 'gallery-filter-from').fill(today);
  await byTestId(page, 'gallery-filter-to').fill(today);
  await expect.poll(() => items(page).count()).toBe(3);
  await byTestId(page, 'gallery-filter-from').fill('');
  await byTestId(page, 'gallery-filter-to').fill('');
});

test('a favourite persists after a reload and the favourites filter shows only it', async () => {
  const heart = records.get('red heart gallery')!;
  await tile(session.page, 'red heart gallery').getByTestId('gallery-favourite').click();
  await expect.poll(() => tile(session.page, 'red heart gallery').getAttribute('data-favourite')).toBe('true');
  await expect.poll(async () => (await session.api<GenerationRecord>('history.get', { id: heart.id })).favourite).toBe(true);

  await session.reload();
  const { page } = session;
  await openGallery(page);
  await expect.poll(() => tile(page, 'red heart gallery').getAttribute('data-favourite')).toBe('true');
  await byTestId(page, 'gallery-filter-favourites').check();
  await expect.poll(() => shownIds(page)).toEqual([heart.id]);
  await byTestId(page, 'gallery-filter-favourites').uncheck();
  await expect.poll(() => items(page).count()).toBe(3);
});

test('the large view opens, zooms with buttons and the wheel, shows 1:1, steps with arrows and closes with Esc', async () => {
  const { page } = session;
  const ids = await shownIds(page);
  await items(page).first().getByTestId('gallery-open').click();
  const box = byTestId(page, 'gallery-lightbox');
  await box.waitFor();
  expect(Number(await box.getAttribute('data-record-id'))).toBe(ids[0]);
  const scale = async () => Number(await byTestId(page, 'lightbox-zoom').getAttribute('data-scale'));
  const width = () => byTestId(page, 'lightbox-image').evaluate((img) => (img as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);

  const fit = await scale();
  expect(fit).toBeGreaterThan(1);
  await byTestId(page, 'lightbox-zoom-in').click();
  expect(await scale()).toBeGreaterThan(fit);
  expect(await width()).toBe(64 * (await scale()));
  await byTestId(page, 'lightbox-actual').click();
  expect(await scale()).toBe(1);
  expect(await width()).toBe(64);
  expect(await byTestId(page, 'lightbox-image').evaluate((img) => (globalThis as any).getComputedStyle(img).imageRendering)).toBe('pixelated');
  await byTestId(page, 'lightbox-image').hover();
  await page.mouse.wheel(0, -100);
  await expect.poll(scale).toBe(2);
  await byTestId(page, 'lightbox-fit').click();
  expect(await scale()).toBe(fit);

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => box.getAttribute('data-record-id')).toBe(String(ids[1]));
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => box.getAttribute('data-record-id')).toBe(String(ids[0]));
  await page.keyboard.press('Escape');
  await box.waitFor({ state: 'detached' });
});

test('two selected images compare on the A/B slider', async () => {
  const { page } = session;
  await expect(byTestId(page, 'gallery-compare-button').isDisabled()).resolves.toBe(true);
  await tile(page, 'red heart gallery').getByTestId('gallery-select').check();
  await tile(page, 'blue whale gallery').getByTestId('gallery-select').check();
  await byTestId(page, 'gallery-compare-button').click();
  const compare = byTestId(page, 'gallery-compare');
  await compare.waitFor();
  expect(await compare.getAttribute('data-a-id')).toBe(String(records.get('red heart gallery')!.id));
  expect(await compare.getAttribute('data-b-id')).toBe(String(records.get('blue whale gallery')!.id));
  // Moving the slider moves the divider: image A is clipped to the slider's position.
  await byTestId(page, 'gallery-compare-slider').evaluate((input) => {
    const el = input as unknown as { value: string; dispatchEvent(e: unknown): void };
    el.value = '20';
    el.dispatchEvent(new (globalThis as any).Event('input', { bubbles: true }));
  });
  await expect.poll(() => compare.locator('figure').evaluate((f) => (f as unknown as { style: { getPropertyValue(n: string): string } }).style.getPropertyValue('--split'))).toBe('20%');
  // Different seeds and prompts: a finite PSNR and the differing fields listed.
  await expect.poll(() => byTestId(page, 'gallery-compare-psnr').getAttribute('data-status')).toBe('done');
  expect(await byTestId(page, 'gallery-compare-psnr').textContent()).toMatch(/^\d+\.\d\d dB$/);
  expect(await byTestId(page, 'gallery-compare-diff').textContent()).toContain('Seed');
  await byTestId(page, 'gallery-compare-close').click();
  await compare.waitFor({ state: 'detached' });
  await byTestId(page, 'gallery-select').first().uncheck();
});

test('Open in Create shows the record in the Create view', async () => {
  const { page } = session;
  const apple = records.get('green apple gallery')!;
  await tile(page, 'green apple gallery').getByTestId('gallery-open').click();
  await byTestId(page, 'lightbox-open-create').click();
  const image = byTestId(page, 'result-image');
  await image.waitFor();
  expect(await image.getAttribute('data-record-id')).toBe(String(apple.id));
  expect(await byTestId(page, 'tab-create').getAttribute('aria-selected')).toBe('true');
  await openGallery(page);
});

test('delete removes the item and its file, Undo restores both, and after the window they are gone for good', async () => {
  const { page } = session;
  const whale = records.get('blue whale gallery')!;
  const trashed = path.join(session.home, 'trash', `${whale.id}.png`);
  // Asked from the page, which holds whatever the server wants from a browser.
  const media = () => page.evaluate(async (url) => (await (globalThis as any).fetch(url)).status as number, `/media/${whale.id}`);
  expect(existsSync(whale.outputPath)).toBe(true);

  await tile(page, 'blue whale gallery').getByTestId('gallery-delete').click();
  await expect.poll(() => items(page).count()).toBe(2);
  expect(existsSync(whale.outputPath)).toBe(false);
  expect(existsSync(trashed)).toBe(true);
  await expect(session.api('history.get', { id: whale.id })).rejects.toThrow(/NOT_FOUND/);
  expect(await media()).toBe(404);

  await byTestId(page, 'gallery-undo').click();
  await expect.poll(() => items(page).count()).toBe(3);
  expect(existsSync(whale.outputPath)).toBe(true);
  expect(existsSync(trashed)).toBe(false);
  expect((await session.api<GenerationRecord>('history.get', { id: whale.id })).id).toBe(whale.id);
  expect(await media()).toBe(200);

  await tile(page, 'blue whale gallery').getByTestId('gallery-delete').click();
  await byTestId(page, 'gallery-undo-toast').waitFor();
  await expect.poll(() => existsSync(trashed), { timeout: UNDO_MS + 10_000, interval: 200 }).toBe(false);
  expect(existsSync(whale.outputPath)).toBe(false);
  await expect(session.api('history.restore', { ids: [whale.id] })).resolves.toEqual({ restored: [] });
  expect((await session.api<GenerationRecord[]>('history.list', {})).map((r) => r.id)).not.toContain(whale.id);
  // The toast leaves with its window.
  await byTestId(page, 'gallery-undo-toast').waitFor({ state: 'detached', timeout: 5_000 });
  expect(session.problems).toEqual([]);
});

test('a delete survives a killed server: restorable when it restarts within the window, purged when it restarts after', async () => {
  const apple = records.get('green apple gallery')!;
  const heart = records.get('red heart gallery')!;
  const trashed = (r: GenerationRecord) => path.join(session.home, 'trash', `${r.id}.png`);

  await session.api('history.delete', { ids: [apple.id] });
  await session.server.kill();
  // Restarted with a 10-minute window, so "within the window" holds however slow the start is.
  process.env.STUDIO_DELETE_UNDO_MS = '600000';
  await session.restartServer({ samePort: false });
  process.env.STUDIO_DELETE_UNDO_MS = String(UNDO_MS);
  await expect(session.api('history.restore', { ids: [apple.id] })).resolves.toEqual({ restored: [apple.id] });
  expect(existsSync(apple.outputPath)).toBe(true);
  expect(existsSync(trashed(apple))).toBe(false);

  await session.api('history.delete', { ids: [heart.id] });
  expect(existsSync(trashed(heart))).toBe(true);
  await session.server.kill();
  await new Promise((resolve) => setTimeout(resolve, UNDO_MS + 500));
  await session.restartServer({ samePort: false });
  // The purge ran at start: no trash file, no image, no row to restore.
  expect(existsSync(trashed(heart))).toBe(false);
  expect(existsSync(heart.outputPath)).toBe(false);
  await expect(session.api('history.restore', { ids: [heart.id] })).resolves.toEqual({ restored: [] });
  expect((await session.api<GenerationRecord[]>('history.list', {})).map((r) => r.id)).toEqual([apple.id]);
});
