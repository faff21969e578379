// The model manager in Chromium: importing a pipeline folder (a copy of the `tiny` fixture under
// another id) makes it appear in the list and the model picker, and it generates; a folder chosen
// in the page uploads and installs; its card shows size and hash; a bundled model's card has no Delete; delete removes a user model and its folder;
// a missing folder, a broken model and a duplicate id are refused with a clear message and leave
// nothing in the models folder.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord, ModelInfo } from '../../contract/api';
import { BUNDLED_PIPELINES } from '../helpers/runtime-fixture';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels, waitForResultImage } from './harness/ui';

let session: StudioSession;
let sources: string;

/** A copy of the tiny fixture whose studio.json names it `id`. */
function pipelineCopy(id: string): string {
  const dir = path.join(sources, id);
  cpSync(path.join(BUNDLED_PIPELINES, 'tiny'), dir, { recursive: true });
  const studioJson = path.join(dir, 'studio.json');
  writeFileSync(studioJson, JSON.stringify({ ...JSON.parse(readFileSync(studioJson, 'utf8')), id }));
  return dir;
}

const modelsFolder = (): string[] => readdirSync(path.join(session.home, 'models')).sort();

async function importFolder(dir: string): Promise<void> {
  const { page } = session;
  await byTestId(page, 'import-path').fill(dir);
  await byTestId(page, 'import-start').click();
}

beforeAll(async () => {
  sources = mkdtempSync(path.join(os.tmpdir(), 'studio-import-src-'));
  session = await StudioSession.start();
  await waitForModels(session.page);
  await byTestId(session.page, 'tab-models').click();
  await byTestId(session.page, 'model-card').waitFor();
});
afterAll(async () => {
  await session?.close();
  rmSync(sources, { recursive: true, force: true });
});

test('importing a folder lists the model, offers it in the picker, and it generates', async () => {
  const { page } = session;
  await importFolder(pipelineCopy('tiny-imported'));
  await byTestId(page, 'import-done').waitFor();
  expect(await byTestId(page, 'import-done').textContent()).toContain('tiny-imported');
  await page.locator('[data-testid="model-item"][data-model="tiny-imported"]').waitFor();
  await page.locator('[data-testid="model-card"][data-model="tiny-imported"]').waitFor();
  await expect.poll(() => byTestId(page, 'model-hash').textContent()).toMatch(/^[0-9a-f]{12}…$/);
  expect(await byTestId(page, 'model-size').textContent()).toMatch(/MiB in \d+ files/);
  expect(modelsFolder()).toEqual(['tiny-imported']);

  await byTestId(page, 'tab-create').click();
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('tiny-imported');
  await byTestId(page, 'prompt').fill('imported model test');
  await byTestId(page, 'steps').fill('4');
  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  expect(record.recipe.modelId).toBe('tiny-imported');
  expect(session.problems).toEqual([]);
});

test('a folder chosen in the page uploads, installs and is listed; a folder that is no pipeline is refused', async () => {
  const { page } = session;
  await byTestId(page, 'tab-models').click();
  await byTestId(page, 'import-upload').setInputFiles(pipelineCopy('tiny-uploaded'));
  await expect.poll(() => byTestId(page, 'import-done').textContent(), { timeout: 60_000 }).toContain('tiny-uploaded');
  await page.locator('[data-testid="model-card"][data-model="tiny-uploaded"]').waitFor();
  const listed = await session.api<ModelInfo[]>('models.list', {});
  expect(listed.find((m) => m.id === 'tiny-uploaded')).toMatchObject({ source: 'user' });
  expect(modelsFolder()).toEqual(['tiny-imported', 'tiny-uploaded']);
  expect(readdirSync(path.join(session.home, 'uploads'))).toEqual([]);

  const notAModel = path.join(sources, 'just-text');
  mkdirSync(notAModel);
  writeFileSync(path.join(notAModel, 'notes.txt'), 'hello');
  await byTestId(page, 'import-upload').setInputFiles(notAModel);
  await expect.poll(() => byTestId(page, 'import-error').textContent()).toContain('has no model_index.json');

  // A file (not a folder) dropped on the import form is refused there, not taken as a PNG recipe.
  const dropped = await page.evaluateHandle(() => {
    const g = globalThis as any;
    const dt = new g.DataTransfer();
    dt.items.add(new g.File(['x'], 'picture.png', { type: 'image/png' }));
    return dt;
  });
  await byTestId(page, 'model-import').dispatchEvent('dragover', { dataTransfer: dropped });
  await byTestId(page, 'model-import').dispatchEvent('drop', { dataTransfer: dropped });
  await expect.poll(() => byTestId(page, 'import-error').textContent()).toContain('Drop one folder');
  expect(await byTestId(page, 'tab-models').getAttribute('aria-selected')).toBe('true');

  await byTestId(page, 'model-item').filter({ hasText: 'tiny-uploaded' }).click();
  await byTestId(page, 'model-delete').click();
  await byTestId(page, 'model-delete-confirm').click();
  await expect.poll(() => modelsFolder()).toEqual(['tiny-imported']);
  expect(session.problems).toEqual([]);
});

test('a bundled model shows its card, contact sheet and README, and has no Delete', async () => {
  const { page } = session;
  await byTestId(page, 'tab-models').click();
  await page.locator('[data-testid="model-item"][data-model="emoji"]').click();
  const card = page.locator('[data-testid="model-card"][data-model="emoji"]');
  await card.waitFor();
  expect(await byTestId(page, 'model-source').textContent()).toBe('bundled');
  expect(await byTestId(page, 'model-delete').count()).toBe(0);
  await byTestId(page, 'model-contact-sheet').waitFor();
  expect(await byTestId(page, 'model-contact-sheet').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  expect(await byTestId(page, 'model-readme').locator('h1, h2').count()).toBeGreaterThan(0);
  expect(await byTestId(page, 'model-recommended').textContent()).toContain('50 steps, CFG 4');
  // A long card scrolls inside the view at 1024×700; the document never does.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.mouse.move(600, 400);
  await page.mouse.wheel(0, 3000);
  expect(await page.evaluate(() => [(globalThis as any).document.documentElement.scrollHeight, (globalThis as any).innerHeight, (globalThis as any).scrollY])).toEqual([700, 700, 0]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(session.api('models.delete', { id: 'emoji' })).rejects.toThrow(/bundled model/);
});

test('a missing folder, a corrupt model.onnx and a taken id are refused, and nothing is left behind', async () => {
  const { page } = session;
  await byTestId(page, 'tab-models').click();
  await importFolder(path.join(sources, 'no-such-folder'));
  await expect.poll(() => byTestId(page, 'import-error').textContent()).toContain('There is no folder at');

  const broken = pipelineCopy('tiny-broken');
  truncateSync(path.join(broken, 'transformer', 'model.onnx'), 100);
  await importFolder(broken);
  await expect.poll(() => byTestId(page, 'import-error').textContent()).toMatch(/transformer\/model\.onnx could not be loaded/);

  const twin = pipelineCopy('tiny-imported-again');
  writeFileSync(path.join(twin, 'studio.json'), JSON.stringify({ id: 'tiny-imported' }));
  await importFolder(twin);
  await expect.poll(() => byTestId(page, 'import-error').textContent()).toContain('A model with id "tiny-imported" is already installed');

  expect(modelsFolder()).toEqual(['tiny-imported']);
  expect(session.problems).toEqual([]);
});

test('delete asks once more, then removes the model from the list, the picker and the disk', async () => {
  const { page } = session;
  await page.locator('[data-testid="model-item"][data-model="tiny-imported"]').click();
  await page.locator('[data-testid="model-card"][data-model="tiny-imported"]').waitFor();
  await byTestId(page, 'model-delete').click();
  expect(modelsFolder()).toEqual(['tiny-imported']);
  await byTestId(page, 'model-delete-confirm').click();
  await expect.poll(() => page.locator('[data-testid="model-item"][data-model="tiny-imported"]').count()).toBe(0);
  expect(modelsFolder()).toEqual([]);
  const listed = await session.api<ModelInfo[]>('models.list', {});
  expect(listed.map((m) => m.id)).not.toContain('tiny-imported');
  await byTestId(page, 'tab-create').click();
  const options = await byTestId(page, 'model').locator('option').allTextContents();
  expect(options.join(' ')).not.toContain('tiny-imported');
  expect(session.problems).toEqual([]);
});
