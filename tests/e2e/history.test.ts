// (b) history survives a reload and is searchable; (e) it survives a server restart, and an
// open page reconnects to a restarted server by itself.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, historyItems, waitForModels, waitForResultImage } from './harness/ui';

const PROMPT = 'an origami crane over a misty harbor';
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  const { page } = session;
  await waitForModels(page);
  await fillForm(page, { prompt: PROMPT, steps: 6, seed: 7 });
  await byTestId(page, 'scheduler').selectOption('euler');
  await byTestId(page, 'generate').click();
  await waitForResultImage(page);
});
afterAll(async () => {
  await session?.close();
});

async function search(text: string): Promise<void> {
  const box = byTestId(session.page, 'history-search');
  await box.fill(text);
}

test('after a reload the generation is in history and opens with its recipe', async () => {
  await session.reload();
  const { page } = session;
  await expect.poll(() => historyItems(page).count()).toBe(1);
  await expect(historyItems(page).first().textContent()).resolves.toContain(PROMPT);

  await historyItems(page).first().click();
  await waitForResultImage(page);
  await expect(byTestId(page, 'recipe-seed').textContent()).resolves.toBe('7');

  // "Reuse settings" puts the recipe back into the form.
  await fillForm(page, { prompt: 'something else', steps: 30, seed: 1 });
  await byTestId(page, 'scheduler').selectOption('default');
  await byTestId(page, 'reuse').click();
  expect(await byTestId(page, 'prompt').inputValue()).toBe(PROMPT);
  expect(await byTestId(page, 'steps').inputValue()).toBe('6');
  expect(await byTestId(page, 'seed').inputValue()).toBe('7');
  // The recipe keeps the request as sent, so the scheduler override comes back too.
  expect(await byTestId(page, 'scheduler').inputValue()).toBe('euler');
});

test('search finds the item by a word of its prompt and nothing for nonsense', async () => {
  const { page } = session;
  await search('crane');
  await expect.poll(() => historyItems(page).count()).toBe(1);

  await search('zxqvbnonsense');
  await byTestId(page, 'history-empty').waitFor();
  expect(await historyItems(page).count()).toBe(0);

  await search('');
  await expect.poll(() => historyItems(page).count()).toBe(1);
  expect(session.problems).toEqual([]);
});

test('history and images survive a server restart on the same STUDIO_HOME', async () => {
  await session.restartServer({ samePort: false });
  await session.reload();
  const { page } = session;
  await expect.poll(() => historyItems(page).count()).toBe(1);
  await historyItems(page).first().click();
  const image = await waitForResultImage(page);
  expect(image.naturalWidth).toBeGreaterThan(0);
});

test('an open page reconnects when the server restarts and keeps working', async () => {
  const { page } = session;
  await page.waitForSelector('[data-testid="connection"][data-state="open"]');
  await session.restartServer({
    samePort: true,
    whileDown: async () => {
      await page.waitForSelector('[data-testid="connection"]:not([data-state="open"])');
    },
  });
  // The socket dropped and came back on its own (backoff), without a reload.
  await page.waitForSelector('[data-testid="connection"][data-state="open"]', { timeout: 30_000 });

  await fillForm(page, { prompt: 'a second prompt after the restart', steps: 4, seed: 9 });
  await byTestId(page, 'generate').click();
  await page.waitForSelector('[data-testid="progress"][data-phase="done"]', { timeout: 60_000 });
  await expect.poll(() => historyItems(page).count()).toBe(2);
});
