// The queue: Generate while a job runs queues the next; the queue panel cancels, reorders and
// retries; the Batch field makes N images with consecutive seeds. A long first job holds the
// queue while the test arranges the rest, and is then cancelled so the rest run.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import type { JobSummary } from '../../contract/jobs';
import { openPage } from './harness/browser';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';
import type { Page } from 'playwright-core';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

const queueItem = (page: Page, prompt: string) => page.locator('[data-testid="queue-item"]', { hasText: prompt });

/** Queues one generation from the form, as a user does: fill in, press Generate (or Add to queue). */
async function queue(page: Page, prompt: string, steps: number, seed: number): Promise<void> {
  await fillForm(page, { prompt, steps, seed });
  await byTestId(page, 'batch').fill('1');
  await byTestId(page, 'generate').click();
  await queueItem(page, prompt).waitFor();
}

/**
 * A job that runs for a while, so the others wait behind it: 1000 steps of `emoji` with
 * guidance (2000 denoiser calls, several seconds even on a fast machine); the jobs queued
 * behind it are `tiny` ones.
 */
async function startLongJob(page: Page, prompt: string): Promise<void> {
  await byTestId(page, 'model').selectOption('emoji');
  await queue(page, prompt, 1000, 1);
  await page.waitForSelector(`[data-testid="queue-item"][data-state="running"]`);
  await byTestId(page, 'model').selectOption('tiny');
}

/** The id of the newest generation job with this prompt. */
async function jobId(prompt: string): Promise<string | undefined> {
  return (await session.api<JobSummary[]>('jobs.list', {})).find((j) => j.kind === 'generate' && j.request.prompt === prompt)?.id;
}

async function historyPrompts(): Promise<string[]> {
  return (await session.api<GenerationRecord[]>('history.list', {})).map((r) => r.recipe.prompt);
}

async function waitForHistory(count: number): Promise<void> {
  await session.page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[data-testid="history-item"]').length >= n, count, { timeout: 60_000 });
}

test('three jobs queued behind a running one; cancelling one lands the other two, never the cancelled one', async () => {
  const { page } = session;
  await startLongJob(page, 'queue hold');
  expect(await byTestId(page, 'generate').textContent()).toContain('Add to queue');
  await queue(page, 'queue alpha', 3, 1);
  await queue(page, 'queue beta', 3, 2);
  await queue(page, 'queue gamma', 3, 3);
  expect(await page.locator('[data-testid="queue-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')))).toEqual(['running', 'queued', 'queued', 'queued']);
  expect(await byTestId(page, 'queue-count').textContent()).toBe('3 waiting');

  await queueItem(page, 'queue beta').getByTestId('queue-cancel').click();
  await queueItem(page, 'queue beta').waitFor({ state: 'detached' });
  // The ended job is offered for retry.
  await page.locator('[data-testid="queue-ended"]', { hasText: 'queue beta' }).waitFor();

  // Stop the job that held the queue (by the API: Cancel in the page is cancel.test.ts's); the other two run.
  await session.api('jobs.cancel', { jobId: await jobId('queue hold') });
  await waitForHistory(2);
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"]').length === 0);
  expect(await historyPrompts()).toEqual(['queue gamma', 'queue alpha']);
  const jobs = await session.api<JobSummary[]>('jobs.list', {});
  expect(jobs.find((j) => j.kind === 'generate' && j.request.prompt === 'queue beta')).toMatchObject({ state: 'cancelled', resultRef: null });
  expect(session.problems).toEqual([]);
});

test('moving jobs in the panel changes the order they run in (buttons and keyboard)', async () => {
  const { page } = session;
  const before = (await historyPrompts()).length;
  await startLongJob(page, 'order first');
  await queue(page, 'order b', 2, 4);
  await queue(page, 'order c', 2, 5);
  await queue(page, 'order d', 2, 6);
  // A second window on the same studio follows the moves made in the first.
  const other = await openPage(session.browser, session.server.openUrl, session.problems);
  await waitForModels(other);
  await other.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"][data-state="queued"]').length === 3);
  // d up twice: once by click, once by keyboard (Enter on the focused button).
  await queueItem(page, 'order d').getByTestId('queue-up').click();
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('[data-testid="queue-item"][data-state="queued"]')].map((i: any) => i.textContent).join('|').match(/order d.*order c/s) !== null);
  // After a move the focus stays on the moved job's button, so the keyboard can carry on.
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('[data-testid="queue-item"]')?.textContent ?? '')).toContain('order d');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="queue-item"][data-state="queued"]')?.textContent?.includes('order d'));
  // c to the end with Alt+↓ on its row.
  await queueItem(page, 'order c').getByTestId('queue-up').focus();
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('[data-testid="queue-item"][data-state="queued"]')].map((i: any) => i.textContent.trim().split('\n')[0]).join('|').match(/order d.*order b.*order c/s) !== null);

  await other.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('[data-testid="queue-item"][data-state="queued"]')].map((i: any) => i.textContent.trim().split('\n')[0]).join('|').match(/order d.*order b.*order c/s) !== null);
  await other.close();

  // The queue survives a reload: the new page shows it in the same order.
  await session.reload();
  await waitForModels(session.page);
  await session.page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"][data-state="queued"]').length === 3);
  const order = await session.page.locator('[data-testid="queue-item"][data-state="queued"]').evaluateAll((items) => items.map((i) => i.textContent ?? ''));
  expect(order.map((t) => /order [a-z]+/.exec(t)?.[0])).toEqual(['order d', 'order b', 'order c']);

  // Stop the long job (by the API: the UI's cancel is the first test's); the rest run in the new order.
  await session.api('jobs.cancel', { jobId: await jobId('order first') });
  await waitForHistory(before + 3);
  await session.page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"]').length === 0);
  expect((await historyPrompts()).slice(0, 3)).toEqual(['order c', 'order b', 'order d']);
});

test('Retry queues an ended job again and its image lands', async () => {
  const { page } = session;
  const before = (await historyPrompts()).length;
  const ended = page.locator('[data-testid="queue-ended"]', { hasText: 'queue beta' });
  await ended.getByTestId('queue-retry').click();
  await waitForHistory(before + 1);
  await ended.waitFor({ state: 'detached' });
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"]').length === 0);
  const records = await session.api<GenerationRecord[]>('history.list', {});
  expect(records[0]?.recipe).toMatchObject({ prompt: 'queue beta', steps: 3, seed: 2 });
  const retried = (await session.api<JobSummary[]>('jobs.list', {})).find((j) => j.resultRef === records[0]?.id);
  expect(retried).toMatchObject({ attempt: 2, state: 'done' });
  expect(await byTestId(page, 'result-image').getAttribute('data-record-id')).toBe(String(records[0]?.id));
});

test('the Batch field makes N images with consecutive seeds, each its own history row', async () => {
  const { page } = session;
  const before = (await historyPrompts()).length;
  await fillForm(page, { prompt: 'batch of three', steps: 2, seed: 4294967294 });
  await byTestId(page, 'batch').fill('17');
  expect(await byTestId(page, 'field-error-batch').textContent()).toContain('1 to 16');
  expect(await byTestId(page, 'generate').isDisabled()).toBe(true);
  await byTestId(page, 'batch').fill('3');
  expect(await byTestId(page, 'generate').textContent()).toContain('×3');
  await byTestId(page, 'generate').click();
  await waitForHistory(before + 3);
  const records = (await session.api<GenerationRecord[]>('history.list', {})).slice(0, 3);
  expect(records.map((r) => r.recipe.seed)).toEqual([0, 4294967295, 4294967294]);
  expect(new Set(records.map((r) => r.recipe.prompt))).toEqual(new Set(['batch of three']));
  expect(session.problems).toEqual([]);
});

test('a full queue scrolls inside its panel: at 1024×700 the document never scrolls', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1024, height: 700 });
  const before = (await historyPrompts()).length;
  await startLongJob(page, 'hold the queue');
  await fillForm(page, { prompt: 'sixteen in a row', steps: 1, seed: 40 });
  await byTestId(page, 'batch').fill('16');
  await byTestId(page, 'generate').click();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"]').length === 17);
  const sizes = await page.evaluate(() => {
    const d = (globalThis as any).document;
    const panel = d.querySelector('[data-testid="queue"]').getBoundingClientRect();
    return { scroll: d.scrollingElement.scrollHeight, view: (globalThis as any).innerHeight, panel: panel.height };
  });
  expect(sizes.scroll).toBeLessThanOrEqual(sizes.view);
  expect(sizes.panel).toBeLessThan(sizes.view / 3);
  await session.api('jobs.cancel', { jobId: await jobId('hold the queue') });
  await waitForHistory(before + 16);
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="queue-item"]').length === 0);
  const seeds = (await session.api<GenerationRecord[]>('history.list', { limit: 16 })).map((r) => r.recipe.seed);
  expect(seeds).toEqual(Array.from({ length: 16 }, (_, i) => 55 - i));
  expect(session.problems).toEqual([]);
});
