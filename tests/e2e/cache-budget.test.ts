// Choosing for the user: on the trained emoji model, the Speed-up panel's Budget offers the
// setting its shipped matched-calls benchmark (docs/bench, 50 steps, CFG 5) measured best at that
// many model calls, with its PSNR against plain sampling with as many steps; "Use recommendation"
// makes it the panel's setting, the plan preview shows it, and the run records exactly it. Where
// nothing was benchmarked (CFG 4), the panel says why instead. The model is profiled first (two
// prompts, through the API), since the methods fitted on a profile may be the ones recommended.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import type { CacheProfileSummary, CacheRecommendResponse } from '../../contract/cache';
import { openSpeedUp, waitForPlan } from './harness/cache-ui';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels, waitForResultImage } from './harness/ui';

const STEPS = 50;
const BUDGET = 13;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  const { page } = session;
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('emoji');
  await session.api('profiles.start', { model: 'emoji', steps: STEPS, cfg: 5, scheduler: 'default', prompts: ['a green apple', 'a cat face with tears of joy'], provider: 'auto', seed: 1000 });
  const deadline = Date.now() + 150_000;
  while ((await session.api<CacheProfileSummary[]>('profiles.list', { model: 'emoji' })).length === 0) {
    if (Date.now() > deadline) throw new Error('profiling emoji did not finish within 150 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await fillForm(page, { prompt: 'red heart', steps: STEPS, cfg: 5, seed: 7 });
  await openSpeedUp(page);
}, 180_000);
afterAll(async () => {
  await session?.close();
});

/** The plan strip's cells by kind (data-step: computed, reused or forecast). */
async function stripKinds(): Promise<{ computed: number; reused: number; forecast: number }> {
  const kinds = await session.page
    .locator('[data-testid="cache-step-strip"] [data-step]')
    .evaluateAll((els) => els.map((el) => (el as unknown as { getAttribute(n: string): string }).getAttribute('data-step')));
  const count = (kind: string) => kinds.filter((k) => k === kind).length;
  return { computed: count('computed'), reused: count('reused'), forecast: count('forecast') };
}

test('a budget of 13 model calls: the benchmarked best is shown with its PSNR, applied to the panel, and run as recommended', async () => {
  const { page } = session;
  const expected = await session.api<CacheRecommendResponse>('cache.recommend', { model: 'emoji', steps: STEPS, cfg: 5, calls: BUDGET });
  const best = expected.recommendation;
  if (best === null) throw new Error(`expected a recommendation for emoji at 50 steps, CFG 5: ${expected.reason}`);
  expect(best.calls).toBe(BUDGET);
  expect(best.psnr).toBeGreaterThan(best.baselinePsnr);

  await byTestId(page, 'cache-budget').selectOption(String(BUDGET));
  await page.waitForSelector(`[data-testid="cache-budget-panel"][data-state="ready"] [data-testid="cache-recommendation"][data-calls="${BUDGET}"]`);
  const shown = byTestId(page, 'cache-recommendation');
  expect(await shown.getAttribute('data-method')).toBe(best.config.method);
  expect(await byTestId(page, 'cache-recommendation-psnr').textContent()).toBe(`${best.psnr.toFixed(1)} dB`);
  expect(await byTestId(page, 'cache-recommendation-baseline').textContent()).toBe(`${best.baselinePsnr.toFixed(1)} dB`);
  expect(await shown.textContent()).toContain(`for ${BUDGET} steps without a cache`);
  // Nothing is switched on until the user asks.
  expect(await byTestId(page, 'speedup-summary').textContent()).toBe('Off');

  await byTestId(page, 'cache-recommendation-use').click();
  await page.waitForSelector(`[data-testid="cache-method-${best.config.method}"][data-checked="true"]`);
  expect(await byTestId(page, 'speedup-summary').textContent()).toBe(await byTestId(page, 'cache-recommendation-method').textContent());
  await page.waitForSelector('[data-testid="cache-plan"][data-state="ready"][aria-busy="false"]');
  await waitForPlan(page, 'ready');

  // The plan of the recommended setting: as many model calls as the budget, the rest forecast
  // where the method forecasts (reused where it reuses).
  const kinds = await stripKinds();
  const forecasting = ['taylorseer', 'linear', 'ertacache-forecast'].includes(best.config.method);
  const skipped = STEPS - best.calls;
  expect(kinds).toEqual({ computed: best.calls, forecast: forecasting ? skipped : 0, reused: forecasting ? 0 : skipped });

  await byTestId(page, 'generate').click();
  await byTestId(page, 'result-image').waitFor({ timeout: 150_000 });
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.cache).toEqual(best.config);
  expect(record.cacheStats?.modelCalls).toBe(best.calls);
  expect(session.problems).toEqual([]);
});

test('CFG 4 has no benchmark: the panel says why and offers nothing to use', async () => {
  const { page } = session;
  await fillForm(page, { cfg: 4 });
  await page.waitForSelector('[data-testid="cache-budget-panel"][data-state="none"]');
  expect(await byTestId(page, 'cache-recommendation-reason').textContent()).toMatch(/No cache benchmark is recorded for this model at 50 steps, CFG 4/);
  expect(await byTestId(page, 'cache-recommendation').count()).toBe(0);
  expect(await byTestId(page, 'cache-recommendation-use').isDisabled()).toBe(true);
  expect(session.problems).toEqual([]);
});
