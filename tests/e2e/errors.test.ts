// (c) Bad input is explained in the UI, and nothing reaches the store.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord, PromptTokens } from '../../contract/api';
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

test('the prompt field counts tokens, and a prompt longer than the model accepts is flagged before Generate', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a quiet pond', steps: 4, seed: 1 });
  // The hint shows the model's own count (BOS and EOS included) against the tiny model's 32-token limit.
  const { counts, limit } = await session.api<PromptTokens>('prompt.tokens', { model: 'tiny', texts: ['a quiet pond'] });
  expect(limit).toBe(32);
  const hint = (): Promise<string> => page.evaluate(() => (globalThis as any).document.getElementById('prompt-message')?.textContent ?? '');
  await expect.poll(hint).toBe(`${counts[0]} / 32 tokens · Ctrl+Enter to generate`);
  // 60 words is far past the limit: the form says so, with the count, and Generate stays off.
  const prompt = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  await fillForm(page, { prompt });
  const message = byTestId(page, 'field-error-prompt');
  await message.waitFor();
  expect(await message.textContent()).toMatch(/^Prompt is \d+ tokens; this model accepts at most 32\.$/);
  expect(await byTestId(page, 'generate').isDisabled()).toBe(true);
  expect(await storedCount()).toBe(0);

  await fillForm(page, { prompt: 'a quiet pond' });
  await message.waitFor({ state: 'detached' });
  expect(await byTestId(page, 'generate').isDisabled()).toBe(false);
  expect(session.problems).toEqual([]);
});
