// (c) Bad input is explained in the UI, and nothing reaches the store.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, historyItems, waitForModels } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

async function storedCount(): Promise<number> {
  return (await session.api<GenerationRecord[]>('history.list', {})).length;
}

test('out-of-range steps are flagged at the field and Generate stays off', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a quiet pond', steps: 0, seed: 1 });
  const message = byTestId(page, 'field-error-steps');
  await message.waitFor();
  expect(await message.textContent()).toMatch(/Steps must be a whole number from 1 to 1000/);
  expect(await byTestId(page, 'steps').getAttribute('aria-invalid')).toBe('true');
  expect(await byTestId(page, 'generate').isDisabled()).toBe(true);

  // Fixing the field clears the message and enables Generate again.
  await fillForm(page, { steps: 5 });
  await message.waitFor({ state: 'detached' });
  expect(await byTestId(page, 'generate').isDisabled()).toBe(false);
});

test('a prompt longer than the model accepts shows the back end error in the banner', async () => {
  const { page } = session;
  // 60 words is far past the tiny model's 32-token text encoder.
  const prompt = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  await fillForm(page, { prompt, steps: 4, seed: 1 });
  await byTestId(page, 'generate').click();

  const banner = byTestId(page, 'error-banner');
  await banner.waitFor();
  expect(await banner.getAttribute('data-code')).toBe('PROMPT_TOO_LONG');
  expect(await banner.textContent()).toMatch(/token/i);
  await expect(byTestId(page, 'progress').getAttribute('data-phase')).resolves.toBe('failed');

  await byTestId(page, 'error-dismiss').click();
  await banner.waitFor({ state: 'detached' });

  expect(await storedCount()).toBe(0);
  await session.reload();
  await byTestId(session.page, 'history-empty').waitFor();
  expect(await historyItems(session.page).count()).toBe(0);
  expect(session.problems).toEqual([]);
});
