// A clip from the UI: turn on the latent walk, generate, see the clip's poster with its video
// badge in the history, and step through its frames in the player (ImageDecoder in the page).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';

const FRAMES = 5;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
});
afterAll(async () => {
  await session?.close();
});

test('a latent walk made in the app plays frame by frame, with a still poster in the history', async () => {
  const { page } = session;
  await waitForModels(page);
  await fillForm(page, { prompt: 'a red fox in fresh snow', steps: 4, seed: 31, cfg: 3 });

  await byTestId(page, 'clip-toggle').click();
  await byTestId(page, 'walk-enabled').check();
  await byTestId(page, 'clip-frames').fill(String(FRAMES));
  await byTestId(page, 'walk-to-seed').fill('32');
  await byTestId(page, 'walk-to-prompt').fill('a green tree');
  await expect(byTestId(page, 'clip-summary').textContent()).resolves.toBe(`${FRAMES} frames → seed 32, "a green tree"`);
  await byTestId(page, 'generate').click();

  // The history shows the clip as its first frame on a canvas, with the badge.
  const item = byTestId(page, 'history-item').first();
  await item.locator('[data-testid="clip-poster"][data-ready="true"]').waitFor({ timeout: 120_000 });
  await expect(item.getByTestId('video-badge').textContent()).resolves.toBe('video');

  // The player opens on frame 1, paused; stepping moves the counter and wraps around.
  const counter = byTestId(page, 'clip-counter');
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-testid="clip-player"]')?.dataset.frameCount === String(n), FRAMES);
  await expect(counter.textContent()).resolves.toBe(`1 / ${FRAMES}`);
  await expect(byTestId(page, 'recipe-clip').textContent()).resolves.toMatch(new RegExp(`^\\s*${FRAMES} frames at 10 fps, walk to seed 32, “a green tree”\\s*$`));
  await byTestId(page, 'clip-next').click();
  await byTestId(page, 'clip-next').click();
  await expect(counter.textContent()).resolves.toBe(`3 / ${FRAMES}`);
  await byTestId(page, 'clip-prev').click();
  await expect(counter.textContent()).resolves.toBe(`2 / ${FRAMES}`);
  await byTestId(page, 'clip-prev').click();
  await byTestId(page, 'clip-prev').click();
  await expect(counter.textContent()).resolves.toBe(`${FRAMES} / ${FRAMES}`);

  // Play moves through the frames on its own; Pause stops it.
  await byTestId(page, 'clip-play').click();
  await page.waitForFunction((last) => (globalThis as any).document.querySelector('[data-testid="clip-counter"]')?.textContent !== last, `${FRAMES} / ${FRAMES}`);
  await byTestId(page, 'clip-play').click();
  await expect(byTestId(page, 'clip-play').textContent()).resolves.toBe('Play');

  // The file itself, as the browser's own decoder reads it: an animated PNG of FRAMES frames.
  const recordId = Number(await item.getAttribute('data-record-id'));
  const frameCount = await page.evaluate(async (id) => {
    const g = globalThis as any;
    const bytes = await (await g.fetch(`/media/${id}`)).arrayBuffer();
    const decoder = new g.ImageDecoder({ data: bytes, type: 'image/png' });
    await decoder.tracks.ready;
    return decoder.tracks.selectedTrack.frameCount as number;
  }, recordId);
  expect(frameCount).toBe(FRAMES);

  // "Reuse settings" brings the walk back after the panel was changed.
  await byTestId(page, 'walk-enabled').uncheck();
  await byTestId(page, 'reuse').click();
  await expect(byTestId(page, 'walk-enabled').isChecked()).resolves.toBe(true);
  await expect(byTestId(page, 'clip-frames').inputValue()).resolves.toBe(String(FRAMES));
  await expect(byTestId(page, 'walk-to-prompt').inputValue()).resolves.toBe('a green tree');
  expect(session.problems).toEqual([]);
});
