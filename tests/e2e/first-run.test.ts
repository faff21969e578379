// A first run as a user sees it: no test fixture in the model list, the default model's
// recommended settings in the form, its example prompts one click away, and a Generate that
// waits while the studio is unreachable.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { GenerationRecord, ModelInfo } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels, waitForResultImage } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  // As a user starts it: the suite's STUDIO_SHOW_FIXTURES=1 and STUDIO_DEFAULT_MODEL=tiny do not
  // reach this server (the spawned server and its worker copy the environment at start).
  vi.stubEnv('STUDIO_SHOW_FIXTURES', '');
  vi.stubEnv('STUDIO_DEFAULT_MODEL', '');
  try {
    session = await StudioSession.start();
  } finally {
    vi.unstubAllEnvs();
  }
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

test('the model list has no test fixture, and the form starts from emoji’s recommended settings', async () => {
  const { page } = session;
  const options = await byTestId(page, 'model').locator('option').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
  expect(options).toEqual(['emoji', 'emoji-motion', 'emoji-small']);
  expect(await byTestId(page, 'model').inputValue()).toBe('emoji');
  const emoji = (await session.api<ModelInfo[]>('models.list', {})).find((m) => m.id === 'emoji');
  expect(emoji?.recommended).toMatchObject({ steps: 50, cfg: 4, scheduler: 'default', source: 'model' });
  expect(await byTestId(page, 'steps').inputValue()).toBe('50');
  expect(await byTestId(page, 'cfg').inputValue()).toBe('4');
  expect(await byTestId(page, 'scheduler').inputValue()).toBe('default');
  expect(await byTestId(page, 'prompt').getAttribute('placeholder')).toBe(`e.g. ${emoji?.recommended.examplePrompts[0]}`);
  expect(await byTestId(page, 'recommended').getAttribute('data-following')).toBe('true');
  expect(session.problems).toEqual([]);
});

test('picking a model applies its recommended settings; "Use" restores them after an edit', async () => {
  const { page } = session;
  await byTestId(page, 'steps').fill('12');
  await byTestId(page, 'cfg').fill('9');
  expect(await byTestId(page, 'recommended').getAttribute('data-following')).toBe('false');
  expect(await byTestId(page, 'recommended').textContent()).toContain('Recommended: 50 steps, CFG 4');
  await byTestId(page, 'recommended-apply').click();
  expect(await byTestId(page, 'steps').inputValue()).toBe('50');
  expect(await byTestId(page, 'cfg').inputValue()).toBe('4');

  await byTestId(page, 'cfg').fill('9');
  await byTestId(page, 'model').selectOption('emoji-small');
  expect(await byTestId(page, 'cfg').inputValue()).toBe('4');
  const small = (await session.api<ModelInfo[]>('models.list', {})).find((m) => m.id === 'emoji-small');
  const shown = await byTestId(page, 'example-prompt').allTextContents();
  expect(shown.map((t) => t.trim())).toEqual(small?.recommended.examplePrompts);
  await byTestId(page, 'model').selectOption('emoji');
});

test('clicking an example prompt fills the prompt, and Generate makes that image with the recommended settings', async () => {
  const { page } = session;
  const examples = byTestId(page, 'example-prompt');
  expect(await examples.count()).toBe(6);
  const chosen = (await examples.nth(1).textContent())?.trim() ?? '';
  await examples.nth(1).click();
  expect(await byTestId(page, 'prompt').inputValue()).toBe(chosen);

  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe).toMatchObject({ prompt: chosen, modelId: 'emoji', steps: 50, cfg: 4 });
  expect(record.recipe.scheduler).toBe('FlowMatchEulerDiscreteScheduler');
  expect(session.problems).toEqual([]);
});

test('Generate is disabled while the page reconnects, and enabled again once the studio is back', async () => {
  const { page } = session;
  await byTestId(page, 'prompt').fill('red heart');
  expect(await byTestId(page, 'generate').isEnabled()).toBe(true);
  await session.restartServer({
    samePort: true,
    whileDown: async () => {
      await page.waitForSelector('[data-testid="connection"]:not([data-state="open"])');
      expect(await byTestId(page, 'generate').isDisabled()).toBe(true);
      expect(await byTestId(page, 'generate').getAttribute('title')).toBe('Waiting for the studio to reconnect');
      // Ctrl+Enter in the prompt does not send either: a call to the stopped server would fail
      // within milliseconds and show the error banner; half a second leaves it ample time.
      await byTestId(page, 'prompt').press('Control+Enter');
      await page.waitForTimeout(500);
      expect(await byTestId(page, 'error-banner').count()).toBe(0);
    },
  });
  await page.waitForSelector('[data-testid="connection"][data-state="open"]', { timeout: 30_000 });
  await page.waitForFunction(() => !(globalThis as any).document.querySelector('[data-testid="generate"]').disabled);
  expect(session.problems).toEqual([]);
});
