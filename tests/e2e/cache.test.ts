// Step caching from the UI: the plan preview before generating, what the run reports, and the
// one-click A/B against the uncached twin. The bundled `tiny` model is untrained, so these check
// behaviour (which steps ran, what was stored, what is shown), not image quality.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { openSpeedUp, pickCacheMethod, setCacheKnob, stripCounts, waitForPlan, waitForStrip } from './harness/cache-ui';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, historyItems, waitForModels, waitForResultImage } from './harness/ui';

const STEPS = 8;
const SEED = 77;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

test('FORA every 2nd step: the preview shows 4 of 8 steps before generating, and the run makes 4 model calls', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a yellow star with a smile', steps: STEPS, seed: SEED, cfg: 3 });
  await openSpeedUp(page);
  await pickCacheMethod(page, 'fora');
  await setCacheKnob(page, 2);
  await expect(byTestId(page, 'speedup-summary').textContent()).resolves.toBe('FORA · interval 2');

  // Before anything runs: steps 1, 3, 5, 7 compute; the rest reuse.
  await waitForStrip(page, { computed: 4, reused: 4 });
  await waitForPlan(page, 'ready');
  const cells = await page.locator('[data-testid="cache-step-strip"] [data-computed]').evaluateAll((els) =>
    els.map((el) => (el as unknown as { getAttribute(n: string): string }).getAttribute('data-computed')),
  );
  expect(cells).toEqual(['true', 'false', 'true', 'false', 'true', 'false', 'true', 'false']);
  expect(await byTestId(page, 'cache-plan-calls').textContent()).toContain('4 of 8 steps run the model');
  expect(await byTestId(page, 'cache-plan-speedup').textContent()).toBe('×2.00');

  // The slider really drives the plan: interval 4 → 2 of 8.
  await setCacheKnob(page, 4);
  await waitForStrip(page, { computed: 2, reused: 6 });
  await setCacheKnob(page, 2);
  await waitForStrip(page, { computed: 4, reused: 4 });

  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);
  expect(await byTestId(page, 'recipe-model-calls').textContent()).toBe('model calls 4/8');
  expect(await byTestId(page, 'recipe-cache-method').textContent()).toBe('FORA · interval 2');
  expect(await stripCounts(page, 'recipe-step-strip')).toEqual({ computed: 4, reused: 4 });

  // What the back end stored agrees with what the card shows.
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.cache).toEqual({ method: 'fora', interval: 2 });
  expect(record.cacheStats?.modelCalls).toBe(4);
  expect(record.cacheStats?.computeSteps).toEqual([true, false, true, false, true, false, true, false]);
  // No uncached twin yet, so no measured speedup.
  expect(await byTestId(page, 'recipe-measured-speedup').count()).toBe(0);
  expect(session.problems).toEqual([]);
});

test('Compare with uncached generates the same seed without a cache, then shows the slider, speedup and PSNR', async () => {
  const { page } = session;
  const cachedId = Number(await byTestId(page, 'result-image').getAttribute('data-record-id'));
  await byTestId(page, 'ab-compare-start').click();

  const compare = byTestId(page, 'ab-compare');
  await compare.waitFor({ timeout: 60_000 });
  expect(Number(await compare.getAttribute('data-cached-id'))).toBe(cachedId);
  const referenceId = Number(await compare.getAttribute('data-reference-id'));
  expect(referenceId).toBeGreaterThan(cachedId);

  const reference = await session.api<GenerationRecord>('history.get', { id: referenceId });
  const cached = await session.api<GenerationRecord>('history.get', { id: cachedId });
  expect(reference.recipe.cache).toBeUndefined();
  expect(reference.cacheStats).toBeUndefined();
  expect(reference.recipe.seed).toBe(SEED);
  expect(reference.recipe.prompt).toBe(cached.recipe.prompt);
  expect(reference.recipe.steps).toBe(STEPS);

  // Speedup = uncached denoise time / cached denoise time, from the two records.
  const expected = reference.timings.denoiseMs / cached.timings.denoiseMs;
  expect(await byTestId(page, 'ab-speedup').textContent()).toBe(`×${expected.toFixed(2)}`);
  await page.waitForSelector('[data-testid="ab-psnr"][data-status="done"]');
  expect(await byTestId(page, 'ab-psnr').textContent()).toMatch(/^(\d+\.\d\d dB|∞ \(identical\))$/);

  // The divider moves with the slider: the cached image is clipped at its position.
  await byTestId(page, 'ab-slider').fill('20');
  const split = await compare.locator('figure').evaluate((el) => (el as unknown as { style: { getPropertyValue(n: string): string } }).style.getPropertyValue('--split'));
  expect(split).toBe('20%');

  // The card now knows the twin and reports the measured speedup.
  expect(await byTestId(page, 'recipe-measured-speedup').textContent()).toBe(`×${expected.toFixed(2)} in one run`);
  await page.screenshot({ path: '/tmp/studio-e2e-ab.png' });
  expect(session.problems).toEqual([]);
});

test('comparing again reuses the stored uncached twin instead of generating another', async () => {
  const { page } = session;
  await byTestId(page, 'ab-close').click();
  expect(await byTestId(page, 'ab-compare').count()).toBe(0);
  await byTestId(page, 'result-image').waitFor();
  expect(await historyItems(page).count()).toBe(2);

  await byTestId(page, 'ab-compare-start').click();
  await byTestId(page, 'ab-compare').waitFor();
  expect(await historyItems(page).count()).toBe(2);
  expect(await session.api<GenerationRecord[]>('history.list', {})).toHaveLength(2);
  expect(session.problems).toEqual([]);
});
