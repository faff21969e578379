// (d) A long generation can be cancelled; the UI says so and nothing is stored. The click
// follows the bar reaching step 5 (the server sends every step), not a delay.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import type { JobSummary } from '../../contract/jobs';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, historyItems, waitForModels } from './harness/ui';

const STEPS = 1000;
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
  // The most steps a request may have, on a scheduler that takes them all: far from done at step 5.
  await fillForm(page, { prompt: 'a very slow cathedral', steps: STEPS, seed: 3 });
  await byTestId(page, 'scheduler').selectOption('euler');
  await byTestId(page, 'generate').click();
  await page.waitForFunction(() => {
    const bar = (globalThis as any).document.querySelector('[data-testid="progress"][data-phase="running"]');
    return bar !== null && Number(bar.getAttribute('data-step')) >= 5;
  });
  await byTestId(page, 'cancel').click();

  await page.waitForSelector('[data-testid="progress"][data-phase="cancelled"]');
  expect(await byTestId(page, 'job-status').textContent()).toBe('Cancelled');
  const stepAtCancel = Number(await byTestId(page, 'progress').getAttribute('data-step'));
  expect(stepAtCancel).toBeLessThan(STEPS);
  expect(await byTestId(page, 'cancel').count()).toBe(0);
  expect(await byTestId(page, 'generate').isEnabled()).toBe(true);
  // Cancelling is not an error: no banner.
  expect(await byTestId(page, 'error-banner').count()).toBe(0);

  expect(await session.api<GenerationRecord[]>('history.list', {})).toEqual([]);
  const [job] = await session.api<JobSummary[]>('jobs.list', {});
  expect(job).toMatchObject({ kind: 'generate', state: 'cancelled', resultRef: null });
  await session.reload();
  await byTestId(session.page, 'history-empty').waitFor();
  expect(await historyItems(session.page).count()).toBe(0);
  expect(session.problems).toEqual([]);
});

test('Esc cancels the running generation', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'another very slow cathedral', steps: STEPS, seed: 4 });
  await byTestId(page, 'scheduler').selectOption('euler');
  await byTestId(page, 'generate').click();
  await page.waitForFunction(() => {
    const bar = (globalThis as any).document.querySelector('[data-testid="progress"][data-phase="running"]');
    return bar !== null && Number(bar.getAttribute('data-step')) >= 3;
  });
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="progress"][data-phase="cancelled"]');
  expect(Number(await byTestId(page, 'progress').getAttribute('data-step'))).toBeLessThan(STEPS);
  const jobs = await session.api<JobSummary[]>('jobs.list', {});
  expect(jobs.filter((j) => j.state === 'cancelled')).toHaveLength(2);
  expect(await session.api<GenerationRecord[]>('history.list', {})).toEqual([]);
});
