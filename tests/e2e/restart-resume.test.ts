// The queue outlives the server: a generation running when the server restarts is recorded
// as interrupted, retried by the new server, and the open page follows the retry to its image.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import type { JobSummary } from '../../contract/jobs';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels, waitForResultImage } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

test('a job cut off by a server restart is retried and its image shows in the open page', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a lighthouse that outlived a restart', steps: 1000, seed: 11 });
  await byTestId(page, 'scheduler').selectOption('euler');
  await byTestId(page, 'generate').click();
  await page.waitForFunction(() => {
    const bar = (globalThis as any).document.querySelector('[data-testid="progress"][data-phase="running"]');
    return bar !== null && Number(bar.getAttribute('data-step')) >= 5;
  });
  await session.restartServer({ samePort: true });

  await page.waitForSelector('[data-testid="progress"][data-phase="done"]', { timeout: 120_000 });
  const image = await waitForResultImage(page);
  const history = await session.api<GenerationRecord[]>('history.list', {});
  expect(history.map((r) => [r.id, r.recipe.seed])).toEqual([[image.recordId, 11]]);

  const [retry, original] = await session.api<JobSummary[]>('jobs.list', {});
  expect(original).toMatchObject({ state: 'interrupted', error: { message: 'The studio was closed while this job ran.' }, resultRef: null });
  expect(retry).toMatchObject({ state: 'done', retryOf: original?.id, attempt: 2, resultRef: image.recordId });
  expect(await byTestId(page, 'error-banner').count()).toBe(0);
  expect(session.problems).toEqual([]);
});
