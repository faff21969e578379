// Calibration profiles from the UI: a method that needs one says so, profiling runs with progress
// and can be cancelled, and stored profiles export, delete and import (a corrupt file shows the
// back end's error). `tiny` is untrained: these check the flow, not the quality of a plan.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheProfileSummary } from '../../contract/cache';
import { openSpeedUp, pickCacheMethod, waitForPlan } from './harness/cache-ui';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';

const STEPS = 8;
let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
  await fillForm(session.page, { prompt: 'a green frog on a leaf', steps: STEPS, cfg: 3 });
  // ERTACache's time adjustment needs an Euler-type grid; tiny's own scheduler is DDIM.
  await byTestId(session.page, 'scheduler').selectOption('euler');
  await openSpeedUp(session.page);
});
afterAll(async () => {
  await session?.close();
});

const profiles = (): Promise<CacheProfileSummary[]> => session.api<CacheProfileSummary[]>('profiles.list', { model: 'tiny' });

async function profileWith(prompts: string[]): Promise<void> {
  const { page } = session;
  await byTestId(page, 'profile-open').click();
  await byTestId(page, 'profile-dialog').waitFor();
  await byTestId(page, 'profile-prompts').fill(prompts.join('\n'));
  await byTestId(page, 'profile-start').click();
}

test('ERTACache without a profile shows why and offers profiling', async () => {
  const { page } = session;
  await pickCacheMethod(page, 'ertacache');
  await waitForPlan(page, 'problem');
  expect(await byTestId(page, 'cache-plan-problem').textContent()).toMatch(/needs a calibration profile/);
  expect(await byTestId(page, 'cache-step-strip').count()).toBe(0);
  expect(await byTestId(page, 'profile-open').textContent()).toContain('Profile this model');
  expect(await byTestId(page, 'profile-empty').isVisible()).toBe(true);
  expect(session.problems).toEqual([]);
});

test('cancelling a profiling run stops it and stores no profile', async () => {
  const { page } = session;
  // 64 prompts of 1000 steps each: the click after step 5 of the first comes long before the end.
  await fillForm(page, { steps: 1000 });
  await profileWith(Array.from({ length: 64 }, (_, i) => `a slow calibration prompt number ${i}`));
  await page.waitForFunction(() => {
    const status = (globalThis as any).document.querySelector('[data-testid="profile-status"]')?.textContent ?? '';
    const match = /^Prompt \d+ of 64 · step (\d+)\/1000$/.exec(status);
    return match !== null && Number(match[1]) >= 5;
  });
  await byTestId(page, 'profile-cancel').click();
  await page.waitForSelector('[data-testid="profile-progress"][data-phase="cancelled"]', { timeout: 60_000 });
  expect(await byTestId(page, 'profile-status').textContent()).toBe('Cancelled. No profile was stored.');
  expect(await byTestId(page, 'error-banner').count()).toBe(0);
  expect(await profiles()).toEqual([]);
  await byTestId(page, 'profile-close').click();
  await fillForm(page, { steps: STEPS });
  await waitForPlan(page, 'problem');
  expect(session.problems).toEqual([]);
});

test('profiling two prompts stores a profile, and the preview then shows the step strip', async () => {
  const { page } = session;
  await profileWith(['a red heart', 'a blue moon over the sea']);
  await page.waitForSelector('[data-testid="profile-progress"][data-phase="done"]', { timeout: 120_000 });
  const stored = await profiles();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ modelId: 'tiny', scheduler: 'EulerDiscreteScheduler', steps: STEPS, cfg: 3, prompts: 2 });
  await byTestId(page, 'profile-close').click();

  await waitForPlan(page, 'ready');
  expect(await page.locator('[data-testid="cache-step-strip"] [data-computed]').count()).toBe(STEPS);
  expect(await byTestId(page, 'cache-plan-error-value').textContent()).toMatch(/\d\.\d{3}/);
  const item = byTestId(page, 'profile-item');
  expect(await item.count()).toBe(1);
  expect(await item.textContent()).toContain('8 steps · cfg 3 · 2 prompts');
  await page.screenshot({ path: '/tmp/studio-e2e-profile.png' });
  expect(session.problems).toEqual([]);
});

test('a profile exports as JSON, deletes, and imports back; a corrupt file shows the back end error', async () => {
  const { page } = session;
  const [stored] = await profiles();
  if (!stored) throw new Error('the previous test stored no profile');

  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'profile-export').click()]);
  const exported = await readFile(await download.path(), 'utf8');
  expect(exported).toBe((await session.api<{ json: string }>('profiles.export', { id: stored.id })).json);

  await byTestId(page, 'profile-delete').click();
  await byTestId(page, 'profile-empty').waitFor();
  expect(await profiles()).toEqual([]);
  await waitForPlan(page, 'problem');

  await byTestId(page, 'profile-import-file').setInputFiles({ name: 'profile.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await byTestId(page, 'profile-item').waitFor();
  expect(await profiles()).toHaveLength(1);
  await waitForPlan(page, 'ready');

  const corrupt = '{"format": "not a studio profile"}';
  const direct = await rawCall('profiles.import', { json: corrupt });
  expect(direct.ok).toBe(false);
  await byTestId(page, 'profile-import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(corrupt) });
  const banner = byTestId(page, 'error-banner');
  await banner.waitFor();
  expect(await banner.getAttribute('data-code')).toBe(direct.error?.code);
  expect(await banner.textContent()).toContain(direct.error?.message);
  expect(await profiles()).toHaveLength(1);
  expect(session.problems).toEqual([]);
});

async function rawCall(name: string, request: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const response = await fetch(`${session.server.url}api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...session.server.authHeaders() },
    body: JSON.stringify(request),
  });
  return (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
}
