// Hints that the back end fills in later (model details, providers, token counts) take their
// line from the first frame, so the panels below them never move under the pointer.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';

let session: StudioSession;
beforeAll(async () => {
  session = await StudioSession.start();
});
afterAll(async () => {
  await session?.close();
});

test('the panel headers stay where they are while the catalog and token counts arrive', async () => {
  const { page } = session;
  // Every distinct top edge of the Hybrid header, one reading per animation frame (CSS px).
  await page.evaluate(() => {
    const g = globalThis as any;
    const tops: number[] = [];
    g.__hybridTops = tops;
    const read = (): void => {
      const toggle = g.document.querySelector('[data-testid="hybrid-toggle"]');
      if (toggle) {
        const top = Math.round(toggle.getBoundingClientRect().top);
        if (tops[tops.length - 1] !== top) tops.push(top);
      }
      g.requestAnimationFrame(read);
    };
    read();
  });
  await waitForModels(page);
  await fillForm(page, { prompt: 'a yellow star with a smile', negative: 'blurry', steps: 8, seed: 21, cfg: 3 });
  await page.waitForFunction(() => /tokens/.test((globalThis as any).document.querySelector('#negative-message')?.textContent ?? ''));
  expect(await byTestId(page, 'model').inputValue()).not.toBe('');
  expect(await page.evaluate(() => (globalThis as any).__hybridTops)).toHaveLength(1);
  expect(session.problems).toEqual([]);
});
