// Quantization from the UI: quantize the model (a job with progress), generate with the int8
// variant and TCEC, then the one-click A/B against the fp32 image with PSNR. The bundled `tiny`
// model is untrained, so this checks behaviour (what ran, what was stored, what is shown).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
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

test('quantize the model, generate with W8A8 + TCEC, and compare with fp32', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a green triangle', steps: 6, seed: 21, cfg: 3 });
  const toggle = byTestId(page, 'quant-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await byTestId(page, 'quant-precision').selectOption('w8a8');
  await byTestId(page, 'quant-missing').waitFor();

  await byTestId(page, 'quant-start').click();
  await byTestId(page, 'quant-done').waitFor({ timeout: 120_000 });
  expect(await byTestId(page, 'quant-size').textContent()).toMatch(/int8-w8a8: [\d.]+ MB against [\d.]+ MB fp32 \([\d.]+× smaller\)/);

  await byTestId(page, 'quant-compensation').selectOption('tcec');
  await expect(byTestId(page, 'quant-summary').textContent()).resolves.toBe('w8a8 + TCEC');
  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.components?.find((c) => c.role === 'denoiser')).toMatchObject({ variant: 'int8-w8a8' });
  expect(record.recipe.compensation?.method).toBe('tcec');
  expect(await byTestId(page, 'quant-speed').textContent()).toMatch(/per step/);

  await byTestId(page, 'quant-compare').click();
  const compare = byTestId(page, 'ab-compare');
  await compare.waitFor({ timeout: 60_000 });
  expect(await compare.getAttribute('data-against')).toBe('fp32');
  expect(Number(await compare.getAttribute('data-cached-id'))).toBe(recordId);
  const reference = await session.api<GenerationRecord>('history.get', { id: Number(await compare.getAttribute('data-reference-id')) });
  expect(reference.recipe.components?.find((c) => c.role === 'denoiser')?.variant).toBe('fp32');
  expect(reference.recipe.compensation).toBeUndefined();
  expect(reference.recipe.seed).toBe(21);
  await page.waitForSelector('[data-testid="ab-psnr"][data-status="done"]');
  expect(await byTestId(page, 'ab-psnr').textContent()).toMatch(/^(\d+\.\d\d dB|∞ \(identical\))$/);
  expect(session.problems).toEqual([]);
});

test('settings the tables were not fitted for are flagged before Generate, and calibrated from the panel', async () => {
  const { page } = session;
  await fillForm(page, { steps: 7 });
  const notice = byTestId(page, 'quant-uncalibrated');
  await notice.waitFor();
  expect(await notice.textContent()).toContain('not fitted for 7 steps, CFG 3');
  const before = (await session.api<GenerationRecord[]>('history.list', {})).length;
  await byTestId(page, 'generate').click();
  const banner = byTestId(page, 'error-banner');
  await banner.waitFor();
  expect(await banner.textContent()).toContain('calibrate them for these settings');
  await byTestId(page, 'error-dismiss').click();
  expect((await session.api<GenerationRecord[]>('history.list', {})).length).toBe(before);

  await byTestId(page, 'quant-calibrate').click();
  // The calibration is a quantize job for the form's settings; once it is done the notice stays away.
  const progress = byTestId(page, 'quant-progress');
  await progress.waitFor();
  await progress.waitFor({ state: 'detached', timeout: 120_000 });
  await expect.poll(() => notice.count()).toBe(0);
  await byTestId(page, 'generate').click();
  await expect.poll(async () => (await session.api<GenerationRecord[]>('history.list', {})).length, { timeout: 60_000 }).toBe(before + 1);
  const [latest] = await session.api<GenerationRecord[]>('history.list', { limit: 1 });
  expect(latest?.recipe.steps).toBe(7);
  expect(latest?.recipe.compensation?.method).toBe('tcec');
  expect(session.problems).toEqual([]);
});
