// (d) A long generation can be cancelled; the UI says so and nothing is stored.
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

test('cancel stops a running job and leaves history unchanged', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a very slow cathedral', steps: 400, seed: 3 });
  await byTestId(page, 'generate').click();
  // Cancel mid-denoise: the job is demonstrably running, and far from done.
  await page.waitForSelector('[data-testid="progress"][data-phase="running"]:not([data-step="0"])');
  await byTestId(page, 'cancel').click();

  await page.waitForSelector('[data-testid="progress"][data-phase="cancelled"]');
  expect(await byTestId(page, 'job-status').textContent()).toBe('Cancelled');
  const stepAtCancel = Number(await byTestId(page, 'progress').getAttribute('data-step'));
  expect(stepAtCancel).toBeLessThan(400);
  expect(await byTestId(page, 'cancel').count()).toBe(0);
  expect(await byTestId(page, 'generate').isEnabled()).toBe(true);
  // Cancelling is not an error: no banner.
  expect(await byTestId(page, 'error-banner').count()).toBe(0);

  expect(await session.api<GenerationRecord[]>('history.list', {})).toEqual([]);
  await session.reload();
  await byTestId(session.page, 'history-empty').waitFor();
  expect(await historyItems(session.page).count()).toBe(0);
  expect(session.problems).toEqual([]);
});
