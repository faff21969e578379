// Hybrid inference from the UI: the emoji model (large) with emoji-small for the steps it does not
// run. The partner list, the K slider's step strip and predicted saving before generating, the
// measured split after, the A/B against large-only, "Reuse settings", and the endpoint test
// against an unreachable port and a real `studio serve-model` process.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord, HybridPartners } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, historyItems, waitForModels, waitForResultImage } from './harness/ui';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STEPS = 8;
const SEED = 21;
const TOKEN = 'sesame';
let session: StudioSession;
let serveModel: ChildProcess | undefined;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  const child = serveModel;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await session?.close();
});

/** The renderer's rounding of a share (lib/hybrid-format.ts). */
const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** Waits until the strip `id` has exactly `large` large-model and `small` small-model cells, and returns them in order. */
async function waitForStrip(page: Page, large: number, small: number, id = 'hybrid-step-strip'): Promise<string[]> {
  await page.waitForSelector(`[data-testid="${id}"][data-large="${large}"][data-small="${small}"]`);
  return page.locator(`[data-testid="${id}"] [data-model]`).evaluateAll((cells) =>
    cells.map((cell) => (cell as unknown as { getAttribute(n: string): string }).getAttribute('data-model')),
  );
}

const L = 'large';
const S = 'small';

/** `studio serve-model` for emoji's denoiser on loopback; resolves with the model URL it prints. */
function startServeModel(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/studio.cjs'), 'serve-model', '--model', 'emoji', '--port', '0', '--token', TOKEN], {
    cwd: ROOT,
    env: { ...process.env, STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/v2\/models\/\S+)/.exec(out)?.[1];
      if (url !== undefined) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`serve-model exited (code ${code}) before printing its URL:\n${out}`)));
  });
}

/** A loopback port that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('tiny (the default here) has no partner: the panel says so and Generate refuses before sending anything', async () => {
  const { page } = session;
  expect(await byTestId(page, 'model').inputValue()).toBe('tiny');
  await fillForm(page, { prompt: 'a yellow star with a smile', steps: STEPS, seed: SEED, cfg: 3 });
  await byTestId(page, 'hybrid-toggle').click();
  expect(await byTestId(page, 'hybrid-summary').textContent()).toBe('Off');
  await byTestId(page, 'hybrid-enabled').check();

  // The refused list appears once the partner list has come.
  await byTestId(page, 'hybrid-refused').waitFor();
  expect(await byTestId(page, 'hybrid-refused').textContent()).toContain('Why 2 models cannot pair with tiny');
  expect(await byTestId(page, 'hybrid-problem').textContent()).toBe('No model can pair with tiny for this run.');
  expect(await byTestId(page, 'hybrid-small').isDisabled()).toBe(true);
  expect(await byTestId(page, 'hybrid-k').count()).toBe(0);

  await byTestId(page, 'generate').click();
  const banner = page.locator('[data-testid="error-banner"][data-code="INVALID_REQUEST"]');
  await banner.waitFor();
  expect(await banner.textContent()).toContain('No model can pair with tiny for this run.');
  expect(await session.api<GenerationRecord[]>('history.list', {})).toEqual([]);
  await byTestId(page, 'error-dismiss').click();
  expect(session.problems).toEqual([]);
});

test('for emoji the small-model list offers emoji-small, and tiny only as refused with the rule it breaks', async () => {
  const { page } = session;
  await byTestId(page, 'model').selectOption('emoji');
  // Picking a model applies its recommended 50 steps and CFG 4; this run keeps the short one.
  await fillForm(page, { steps: STEPS, cfg: 3 });

  const select = byTestId(page, 'hybrid-small');
  await page.waitForSelector('[data-testid="hybrid-small"]:not([disabled])');
  const options = await select.locator('option').evaluateAll((els) =>
    els.map((el) => {
      const o = el as unknown as { value: string; disabled: boolean; title: string };
      return { value: o.value, disabled: o.disabled, title: o.title };
    }),
  );
  expect(options.filter((o) => !o.disabled).map((o) => o.value)).toEqual(['emoji-small']);
  expect(options.filter((o) => o.disabled)).toEqual([{ value: 'tiny', disabled: true, title: expect.stringContaining('rule latent-space') }]);
  expect(await select.inputValue()).toBe('emoji-small');
  expect(await byTestId(page, 'hybrid-refused').textContent()).toContain('tiny');
  // emoji ships a tiny VAE decoder, so the panel offers it.
  expect(await byTestId(page, 'hybrid-tiny-vae').isChecked()).toBe(false);
  expect(session.problems).toEqual([]);
});

test('the K slider drives the step strip and the predicted saving, by value and by keyboard, in both orders', async () => {
  const { page } = session;
  const partners = await session.api<HybridPartners>('hybrid.partners', { model: 'emoji', steps: STEPS, scheduler: 'default' });
  const macsLarge = partners.macsPerCall as number;
  const macsSmall = partners.partners[0]?.macsPerCall as number;
  const share = (k: number) => (k * macsLarge) / (k * macsLarge + (STEPS - k) * macsSmall);

  await byTestId(page, 'hybrid-k').fill('3');
  expect(await waitForStrip(page, 3, 5)).toEqual([L, L, L, S, S, S, S, S]);
  expect(await byTestId(page, 'hybrid-k-value').textContent()).toBe('3 of 8');
  expect(await byTestId(page, 'hybrid-saved-large').textContent()).toBe('63%');
  expect(await byTestId(page, 'hybrid-large-share').textContent()).toBe(percent(share(3)));
  expect(await byTestId(page, 'hybrid-saved-total').textContent()).toBe(`−${percent(1 - (3 * macsLarge + 5 * macsSmall) / (STEPS * macsLarge))}`);

  await byTestId(page, 'hybrid-k').press('ArrowRight');
  expect(await waitForStrip(page, 4, 4)).toEqual([L, L, L, L, S, S, S, S]);
  expect(await byTestId(page, 'hybrid-saved-large').textContent()).toBe('50%');
  expect(await byTestId(page, 'hybrid-large-share').textContent()).toBe(percent(share(4)));

  // T-Stitch puts the large model's steps last.
  await byTestId(page, 'hybrid-order-small-first').click();
  await page.waitForSelector('[data-testid="hybrid-order-small-first"][data-checked="true"]');
  expect(await waitForStrip(page, 4, 4)).toEqual([S, S, S, S, L, L, L, L]);
  expect(await byTestId(page, 'hybrid-summary').textContent()).toBe('emoji-small · K 4/8 · T-Stitch');
  await byTestId(page, 'hybrid-order-large-first').click();
  expect(await waitForStrip(page, 4, 4)).toEqual([L, L, L, L, S, S, S, S]);

  // More steps keep K: 4 of 10 on the large model.
  await fillForm(page, { steps: 10 });
  await waitForStrip(page, 4, 6);
  expect(await byTestId(page, 'hybrid-saved-large').textContent()).toBe('60%');
  await fillForm(page, { steps: STEPS });
  await waitForStrip(page, 4, 4);

  await byTestId(page, 'hybrid-k').press('ArrowLeft');
  await waitForStrip(page, 3, 5);
  expect(await byTestId(page, 'hybrid-summary').textContent()).toBe('emoji-small · K 3/8 · Hybrid SD');
  expect(session.problems).toEqual([]);
});

test('Generate runs K steps on emoji and the rest on emoji-small, and the card shows the measured split', async () => {
  const { page } = session;
  const predictedShare = await byTestId(page, 'hybrid-large-share').textContent();
  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);

  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.request?.hybrid).toEqual({ small: 'emoji-small', largeSteps: 3, order: 'large-first', tinyVae: false });
  expect(record.recipe.hybrid?.segments.map((s) => [s.from, s.to, s.model, s.modelId])).toEqual([
    [0, 3, 'large', 'emoji'],
    [3, 8, 'small', 'emoji-small'],
  ]);
  expect(record.hybridStats).toMatchObject({ large: { calls: 3 }, small: { calls: 5 }, shareBasis: 'macs' });

  expect(await byTestId(page, 'recipe-hybrid-large-calls').textContent()).toBe('3');
  expect(await byTestId(page, 'recipe-hybrid-small-calls').textContent()).toBe('5');
  expect(await byTestId(page, 'recipe-hybrid-share').textContent()).toBe(`${percent(record.hybridStats?.largeShare ?? -1)} by MACs`);
  // By MACs, the measured share is the one predicted before generating.
  expect(await byTestId(page, 'recipe-hybrid-share').textContent()).toBe(`${predictedShare} by MACs`);
  expect(await waitForStrip(page, 3, 5, 'recipe-hybrid-strip')).toEqual([L, L, L, S, S, S, S, S]);
  expect(await byTestId(page, 'recipe-hybrid-remote').count()).toBe(0);
  expect(session.problems).toEqual([]);
});

test('Compare with large-only generates the same seed on emoji alone and shows the A/B with its PSNR', async () => {
  const { page } = session;
  const hybridId = Number(await byTestId(page, 'result-image').getAttribute('data-record-id'));
  await byTestId(page, 'hybrid-ab-start').click();

  const compare = page.locator('[data-testid="ab-compare"][data-against="large-only"]');
  await compare.waitFor({ timeout: 60_000 });
  expect(Number(await compare.getAttribute('data-cached-id'))).toBe(hybridId);
  const referenceId = Number(await compare.getAttribute('data-reference-id'));
  const reference = await session.api<GenerationRecord>('history.get', { id: referenceId });
  expect(reference.recipe.hybrid).toBeUndefined();
  expect(reference.hybridStats).toBeUndefined();
  expect(reference.recipe).toMatchObject({ modelId: 'emoji', seed: SEED, steps: STEPS, prompt: 'a yellow star with a smile' });

  expect(await compare.locator('.tag.left').textContent()).toBe(`Hybrid #${hybridId}`);
  expect(await compare.locator('.tag.right').textContent()).toBe(`Large-only #${referenceId}`);
  await page.waitForSelector('[data-testid="ab-psnr"][data-status="done"]');
  // The small model's steps change the pixels, so the PSNR is finite.
  expect(await byTestId(page, 'ab-psnr').textContent()).toMatch(/^\d+\.\d\d dB$/);
  expect(await byTestId(page, 'recipe-hybrid-speedup').textContent()).toMatch(/^×\d+\.\d\d measured$/);

  // Comparing again reuses the stored large-only run.
  await byTestId(page, 'ab-close').click();
  await byTestId(page, 'result-image').waitFor();
  await byTestId(page, 'hybrid-ab-start').click();
  await compare.waitFor();
  expect(Number(await compare.getAttribute('data-reference-id'))).toBe(referenceId);
  expect(await historyItems(page).count()).toBe(2);
  await byTestId(page, 'ab-close').click();
  expect(session.problems).toEqual([]);
});

test('Reuse settings restores the hybrid split the image was made with', async () => {
  const { page } = session;
  await byTestId(page, 'hybrid-k').fill('6');
  await byTestId(page, 'hybrid-order-small-first').click();
  await byTestId(page, 'hybrid-enabled').uncheck();
  expect(await byTestId(page, 'hybrid-summary').textContent()).toBe('Off');

  await byTestId(page, 'reuse').click();
  expect(await byTestId(page, 'hybrid-summary').textContent()).toBe('emoji-small · K 3/8 · Hybrid SD');
  expect(await byTestId(page, 'hybrid-enabled').isChecked()).toBe(true);
  expect(await waitForStrip(page, 3, 5)).toEqual([L, L, L, S, S, S, S, S]);
  expect(session.problems).toEqual([]);
});

test('Test connection: an unreachable or malformed endpoint gets a clear error; serve-model connects and runs the large steps', async () => {
  const { page } = session;
  const url = byTestId(page, 'hybrid-remote-url');
  const result = byTestId(page, 'hybrid-remote-result');

  const dead = `http://127.0.0.1:${await closedPort()}/v2/models/emoji-transformer`;
  await url.fill(dead);
  await byTestId(page, 'hybrid-remote-test').click();
  await page.waitForSelector('[data-testid="hybrid-remote-result"][data-status="failed"]');
  expect(await result.textContent()).toContain(`Cannot reach ${dead}`);

  await url.fill('127.0.0.1:8000/emoji');
  expect(await byTestId(page, 'hybrid-problem').textContent()).toBe('The remote endpoint must be an http(s) URL ending in /v2/models/NAME.');
  expect(await result.getAttribute('data-status')).toBe('idle');

  const served = await startServeModel(session.home);
  serveModel = served.child;
  await url.fill(served.url);
  await byTestId(page, 'hybrid-remote-token').fill('wrong');
  await byTestId(page, 'hybrid-remote-test').click();
  await page.waitForSelector('[data-testid="hybrid-remote-result"][data-status="failed"]');
  expect(await result.textContent()).toContain('HTTP 401');

  await byTestId(page, 'hybrid-remote-token').fill(TOKEN);
  await byTestId(page, 'hybrid-remote-test').click();
  await page.waitForSelector('[data-testid="hybrid-remote-result"][data-status="ok"]');
  expect(await result.textContent()).toContain(`Connected: ${served.url}`);
  expect(await byTestId(page, 'hybrid-problem').count()).toBe(0);

  await byTestId(page, 'generate').click();
  const traffic = byTestId(page, 'recipe-hybrid-remote');
  await traffic.waitFor({ timeout: 60_000 });
  expect(await traffic.textContent()).toMatch(/^Server: 3 calls · sent \d/);
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.hybrid?.segments.map((s) => [s.model, s.endpoint])).toEqual([
    ['large', served.url],
    ['small', undefined],
  ]);
  expect(record.hybridStats?.remote?.calls).toBe(3);
  // The recipe keeps the endpoint but never the bearer token.
  expect(record.recipe.request?.hybrid?.remote).toEqual({ url: served.url, fallback: 'fail' });
  expect(await waitForStrip(page, 3, 5, 'recipe-hybrid-strip')).toEqual([L, L, L, S, S, S, S, S]);
  expect(session.problems).toEqual([]);
});
