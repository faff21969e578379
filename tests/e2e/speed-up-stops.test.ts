// The Speed-up slider on the trained emoji model: once a profile is recorded inline (with the
// built-in calibration prompts), it steps only through λ values that change the plan, every
// position giving a different number of model calls; a plan whose benchmark-predicted PSNR is
// below 30 dB shows a warning.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSpeedUp, pickCacheMethod, waitForPlan } from './harness/cache-ui';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  const { page } = session;
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('emoji');
  await byTestId(page, 'prompt').fill('red heart');
  await openSpeedUp(page);
});
afterAll(async () => {
  await session?.close();
});

/** The plan's "N of 50 steps run the model" once the preview has settled after a slider move. */
async function callsAfterMove(position: number): Promise<string> {
  const { page } = session;
  const slider = byTestId(page, 'cache-knob');
  if ((await slider.inputValue()) !== String(position)) {
    const before = await byTestId(page, 'cache-knob-value').inputValue();
    await slider.fill(String(position));
    // The readout follows the slider at once; the plan follows it after its debounce.
    await page.waitForFunction((old) => (globalThis as any).document.querySelector('[data-testid="cache-knob-value"]').value !== old, before);
  }
  await page.waitForSelector('[data-testid="cache-plan"][data-state="ready"][aria-busy="false"]');
  return (await byTestId(page, 'cache-plan-calls').textContent())?.trim() ?? '';
}

test('ERTACache needs a profile: recorded inline with the built-in prompts, Generate is held back meanwhile', async () => {
  const { page } = session;
  await pickCacheMethod(page, 'ertacache');
  await waitForPlan(page, 'problem');
  expect(await byTestId(page, 'cache-plan-problem').textContent()).toMatch(/Record one with "Profile this model" in the Speed-up panel/);
  expect(await byTestId(page, 'cache-plan-problem').textContent()).not.toMatch(/studio profile/);
  // Generate now would only fail: it says why instead of queueing a job.
  await byTestId(page, 'generate').click();
  await byTestId(page, 'error-banner').waitFor();
  expect(await byTestId(page, 'error-banner').textContent()).toMatch(/needs a calibration profile/);
  expect(await session.api<unknown[]>('history.list', {})).toEqual([]);

  await byTestId(page, 'profile-open').click();
  await byTestId(page, 'profile-dialog').waitFor();
  // The dialog starts from the built-in calibration prompts; three of them keep the test short.
  const builtIn = (await byTestId(page, 'profile-prompts').inputValue()).split('\n').filter(Boolean);
  expect(builtIn.length).toBe(8);
  await byTestId(page, 'profile-prompts').fill(builtIn.slice(0, 3).join('\n'));
  await byTestId(page, 'profile-start').click();
  await page.waitForSelector('[data-testid="profile-progress"][data-phase="done"]', { timeout: 120_000 });
  await byTestId(page, 'profile-close').click();
  await waitForPlan(page, 'ready');
  expect(session.problems).toEqual([]);
});

test('the slider steps through the λ values that change the plan, each position a different plan', async () => {
  const { page } = session;
  await page.waitForSelector('[data-testid="cache-knob"]:not([data-stops="0"])');
  const stops = Number(await byTestId(page, 'cache-knob').getAttribute('data-stops'));
  expect(stops).toBeGreaterThan(2);
  // λ's grid has 301 values (0 to 3 by 0.01); most of it repeats a plan.
  expect(stops).toBeLessThan(301 / 4);
  expect(await byTestId(page, 'cache-knob-stops').textContent()).toBe(`${stops} distinct plans`);
  const seen: string[] = [];
  for (let i = 0; i < stops; i++) seen.push(await callsAfterMove(i));
  expect(new Set(seen).size, seen.join(' | ')).toBe(stops);
  expect(seen[0]).toMatch(/^50 of 50/);
});

test('a plan predicted below 30 dB PSNR shows a warning; a faithful one does not', async () => {
  const { page } = session;
  const stops = Number(await byTestId(page, 'cache-knob').getAttribute('data-stops'));
  await callsAfterMove(stops - 1);
  expect(await byTestId(page, 'cache-plan-psnr').textContent()).toMatch(/^[≈≤]\d+\.\d dB$/);
  expect(await byTestId(page, 'cache-plan-psnr-warning').textContent()).toMatch(/Below 30 dB/);
  await callsAfterMove(1);
  expect(await byTestId(page, 'cache-plan-psnr').textContent()).toMatch(/^[≈≥]\d+\.\d dB$/);
  expect(await byTestId(page, 'cache-plan-psnr-warning').count()).toBe(0);
  expect(session.problems).toEqual([]);
});
