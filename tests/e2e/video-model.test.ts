// A video model in the app: picking it shows Frames and FPS with the model's defaults, and
// Generate makes a clip of that many frames, played in the player.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanupTempDirs } from '../helpers/runtime-fixture';
import { videoFixture } from '../helpers/video-fixture';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  // A user model: the registry lists STUDIO_HOME/models at every call.
  const fixture = videoFixture('tiny-video', { framesMin: 2, framesMax: 6, framesDefault: 3, fpsDefault: 6 });
  fs.cpSync(fixture, path.join(session.home, 'models', 'tiny-video'), { recursive: true });
  await session.reload();
});
afterAll(async () => {
  await session?.close();
  cleanupTempDirs();
});

test("picking a video model shows its frames and rate; Generate makes a clip of that many frames", async () => {
  const { page } = session;
  await waitForModels(page);
  await expect(byTestId(page, 'clip-toggle').textContent()).resolves.toContain('Latent walk');
  await byTestId(page, 'model').selectOption('tiny-video');
  await expect(byTestId(page, 'clip-toggle').textContent()).resolves.toContain('Video');
  await expect(byTestId(page, 'clip-frames').inputValue()).resolves.toBe('3');
  await expect(byTestId(page, 'clip-fps').inputValue()).resolves.toBe('6');
  await expect(byTestId(page, 'clip-summary').textContent()).resolves.toBe('3 frames · 6 fps');

  await fillForm(page, { prompt: 'a red apple', steps: 3, seed: 9, cfg: 3 });
  await byTestId(page, 'clip-frames').fill('5');
  await byTestId(page, 'generate').click();
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="clip-player"]')?.dataset.frameCount === '5', undefined, { timeout: 120_000 });
  await expect(byTestId(page, 'clip-counter').textContent()).resolves.toBe('1 / 5');
  await expect(byTestId(page, 'history-item').first().getByTestId('video-badge').isVisible()).resolves.toBe(true);
  expect(session.problems).toEqual([]);
});
