// (a) The core loop: type a prompt, generate, watch progress, see the image.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, readProgressSteps, recordProgressSteps, waitForModels, waitForResultImage } from './harness/ui';

const SCREENSHOT = '/tmp/studio-e2e.png';
// The e2e server sends every step (no progress throttle, see harness/server.ts), so the bar's
// intermediate steps do not depend on how fast this machine runs the tiny model.
const STEPS = 60;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
});
afterAll(async () => {
  await session?.close();
});

test('generating shows moving progress, then the image and its recipe', async () => {
  const { page } = session;
  await waitForModels(page);
  await expect(byTestId(page, 'model').inputValue()).resolves.toBe('tiny');

  await fillForm(page, { prompt: 'a red fox in fresh snow', steps: STEPS, seed: 424242, cfg: 3 });
  await recordProgressSteps(page);
  await byTestId(page, 'generate').click();

  const image = await waitForResultImage(page);
  expect(image.naturalWidth).toBeGreaterThan(0);
  await expect(byTestId(page, 'progress').getAttribute('data-phase')).resolves.toBe('done');

  // The bar went through intermediate steps, not straight from nothing to done.
  const steps = await readProgressSteps(page);
  expect(steps.some((s) => s > 0 && s < STEPS), `observed steps ${steps.join(',')}`).toBe(true);
  expect(Math.max(...steps)).toBe(STEPS);

  // The recipe shown is the one asked for, as the back end recorded it.
  await expect(byTestId(page, 'recipe-seed').textContent()).resolves.toBe('424242');
  await expect(byTestId(page, 'recipe-steps').textContent()).resolves.toBe(String(STEPS));
  await expect(byTestId(page, 'history-item').count()).resolves.toBe(1);

  await page.screenshot({ path: SCREENSHOT });
  expect(session.problems).toEqual([]);
});

test('the dice gives a new seed, Ctrl+Enter generates, and generating does not block typing', async () => {
  const { page } = session;
  const seed = byTestId(page, 'seed');
  const before = await seed.inputValue();
  await byTestId(page, 'seed-random').click();
  expect(await seed.inputValue()).not.toBe(before);

  // The longest run a request may ask for, so it is still going while the test types.
  await fillForm(page, { prompt: 'a lighthouse at dusk', steps: 1000 });
  await byTestId(page, 'scheduler').selectOption('euler');
  // The keyboard shortcut starts it, as the hint under the prompt says.
  await byTestId(page, 'prompt').press('Control+Enter');
  await byTestId(page, 'cancel').waitFor();
  // While the job runs the form stays live: the user can already edit the next prompt.
  await byTestId(page, 'prompt').fill('the next idea');
  expect(await byTestId(page, 'prompt').inputValue()).toBe('the next idea');
  await page.waitForSelector('[data-testid="progress"][data-phase="done"]', { timeout: 120_000 });
  await expect(byTestId(page, 'history-item').count()).resolves.toBe(2);
  expect(session.problems).toEqual([]);
});

test('the scheduler list offers only what the chosen model can run, and a choice it cannot run falls back', async () => {
  const { page } = session;
  await waitForModels(page);
  const options = (): Promise<string[]> => byTestId(page, 'scheduler').locator('option').evaluateAll((els) => els.map((e) => (e as { value: string }).value));
  await byTestId(page, 'model').selectOption('tiny');
  await byTestId(page, 'scheduler').selectOption('dpmpp-2m');
  expect(await options()).toEqual(['default', 'ddim', 'euler', 'dpmpp-2m']);
  await byTestId(page, 'model').selectOption('emoji');
  await expect.poll(options).toEqual(['default', 'flow-euler']);
  expect(await byTestId(page, 'scheduler').inputValue()).toBe('default');
  await byTestId(page, 'model').selectOption('tiny');
  await expect.poll(options).toEqual(['default', 'ddim', 'euler', 'dpmpp-2m']);
});

test('a new seed each run by default; typing a seed keeps it for the next runs', async () => {
  const { page } = session;
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('tiny');
  await fillForm(page, { prompt: 'a small red kite', steps: 3 });
  // The earlier tests typed a seed, which turns drawing off; turning it back on draws again.
  await byTestId(page, 'seed-each-run').check();
  /** Generates and waits for the result of this run (a record id it has not shown before). */
  const run = async (): Promise<GenerationRecord> => {
    const before = await byTestId(page, 'result-image').getAttribute('data-record-id').catch(() => null);
    await byTestId(page, 'generate').click();
    await page.waitForFunction((prev) => {
      const img = (globalThis as any).document.querySelector('[data-testid="result-image"]');
      return img !== null && img.getAttribute('data-record-id') !== prev && img.complete && img.naturalWidth > 0;
    }, before);
    const { recordId } = await waitForResultImage(page);
    return session.api<GenerationRecord>('history.get', { id: recordId });
  };
  const first = await run();
  expect(String(first.recipe.seed)).toBe(await byTestId(page, 'seed').inputValue());
  const second = await run();
  expect(String(second.recipe.seed)).toBe(await byTestId(page, 'seed').inputValue());
  expect(second.recipe.seed).not.toBe(first.recipe.seed);
  await byTestId(page, 'seed').fill('77');
  expect(await byTestId(page, 'seed-each-run').isChecked()).toBe(false);
  expect((await run()).recipe.seed).toBe(77);
  expect(session.problems).toEqual([]);
});

test('the form survives a reload', async () => {
  const { page } = session;
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('tiny');
  await fillForm(page, { prompt: 'a paper boat, kept across reloads', negative: 'blur', steps: 17, cfg: 3.5, seed: 4242 });
  await byTestId(page, 'scheduler').selectOption('dpmpp-2m');
  // The same browser profile reloads the page (session.reload() would open a fresh profile).
  await page.reload();
  await waitForModels(page);
  const p = page;
  expect(await byTestId(p, 'prompt').inputValue()).toBe('a paper boat, kept across reloads');
  expect(await byTestId(p, 'negative').inputValue()).toBe('blur');
  expect(await byTestId(p, 'steps').inputValue()).toBe('17');
  expect(await byTestId(p, 'cfg').inputValue()).toBe('3.5');
  expect(await byTestId(p, 'seed').inputValue()).toBe('4242');
  expect(await byTestId(p, 'seed-each-run').isChecked()).toBe(false);
  expect(await byTestId(p, 'scheduler').inputValue()).toBe('dpmpp-2m');
  expect(await byTestId(p, 'model').inputValue()).toBe('tiny');
});
