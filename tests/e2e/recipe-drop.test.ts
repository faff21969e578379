// Recipes in: a PNG dropped onto the window (a real `drop` event carrying a File) or opened with
// "Open image…" fills the form with the settings it carries — the full request of a PNG this
// studio made (scheduler and cache included), or the parameters of an A1111 PNG — and a file
// with no settings says why.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord, Recipe } from '../../contract/api';
import { decodePng } from '../../main/png/png-reader';
import { encodePng } from '../../main/png/png-writer';
import { openSpeedUp, pickCacheMethod, setCacheKnob } from './harness/cache-ui';
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

/** Drags `bytes` as a file onto the page and drops it, as the OS does for a file from a file manager. */
async function dropFile(page: Page, bytes: Uint8Array, name: string): Promise<void> {
  await page.evaluate(
    ({ data, fileName }) => {
      const g = globalThis as any;
      const file = new g.File([new g.Uint8Array(data)], fileName, { type: 'image/png' });
      const transfer = new g.DataTransfer();
      transfer.items.add(file);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        g.document.body.dispatchEvent(new g.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { data: [...bytes], fileName: name },
  );
}

async function formValues(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ['prompt', 'negative', 'steps', 'cfg', 'seed', 'scheduler', 'model']) out[id] = await byTestId(page, id).inputValue();
  return out;
}

const loadedFrom = (page: Page, file: string) => page.waitForFunction((f) => (globalThis as any).document.querySelector('[data-testid="recipe-loaded"]')?.textContent.includes(f), file);

test('dropping a PNG the studio made restores its every setting, scheduler and cache included', async () => {
  const { page } = session;
  await fillForm(page, { prompt: 'a green frog on a lily pad', negative: 'blurry', steps: 9, cfg: 3.5, seed: 4321 });
  await byTestId(page, 'scheduler').selectOption('euler');
  await openSpeedUp(page);
  await pickCacheMethod(page, 'fora');
  await setCacheKnob(page, 3);
  await byTestId(page, 'generate').click();
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  const speedUpSummary = await byTestId(page, 'speedup-summary').textContent();
  expect(speedUpSummary).toContain('FORA');

  // Change everything, then drop the image back in.
  await fillForm(page, { prompt: 'something else', negative: '', steps: 20, cfg: 7, seed: 1 });
  await byTestId(page, 'scheduler').selectOption('default');
  await pickCacheMethod(page, 'none');
  await dropFile(page, await readFile(record.outputPath), 'frog.png');
  await loadedFrom(page, 'frog.png');

  expect(await formValues(page)).toEqual({
    prompt: 'a green frog on a lily pad',
    negative: 'blurry',
    steps: '9',
    cfg: '3.5',
    seed: '4321',
    scheduler: 'euler',
    model: record.recipe.modelId,
  });
  expect(await byTestId(page, 'seed-each-run').isChecked()).toBe(false);
  expect(await byTestId(page, 'speedup-summary').textContent()).toBe(speedUpSummary);
  expect(await byTestId(page, 'recipe-loaded').textContent()).toContain('full recipe');
  expect(await byTestId(page, 'error-banner').count()).toBe(0);

  // Generate from the loaded recipe: the same pixels as the original.
  await byTestId(page, 'generate').click();
  await page.waitForFunction((id) => Number((globalThis as any).document.querySelector('[data-testid="result-image"]')?.getAttribute('data-record-id')) > id, recordId);
  const [rerun] = await session.api<GenerationRecord[]>('history.list', { limit: 1 });
  expect(rerun?.recipe.request).toEqual(record.recipe.request);
  const rgb = async (file: string): Promise<Buffer> => Buffer.from(decodePng(await readFile(file)).rgb);
  expect((await rgb(rerun?.outputPath as string)).equals(await rgb(record.outputPath))).toBe(true);
  expect(session.problems).toEqual([]);
});

test('Reuse settings on a cached result restores its every setting, scheduler and cache included', async () => {
  const { page } = session;
  const { recordId } = await waitForResultImage(page);
  const record = await session.api<GenerationRecord>('history.get', { id: recordId });
  const speedUpSummary = await byTestId(page, 'speedup-summary').textContent();
  await fillForm(page, { prompt: 'not this one', negative: '', steps: 33, cfg: 2, seed: 8 });
  await byTestId(page, 'scheduler').selectOption('default');
  await pickCacheMethod(page, 'none');
  expect(await byTestId(page, 'speedup-summary').textContent()).toBe('Off');
  await byTestId(page, 'reuse').click();
  expect(await formValues(page)).toEqual({
    prompt: record.recipe.prompt,
    negative: record.recipe.negativePrompt,
    steps: String(record.recipe.steps),
    cfg: String(record.recipe.cfg),
    seed: String(record.recipe.seed),
    scheduler: 'euler',
    model: record.recipe.modelId,
  });
  expect(await byTestId(page, 'speedup-summary').textContent()).toBe(speedUpSummary);
});

test('dropping an A1111 PNG fills prompt, negative prompt, steps, CFG, seed and sampler', async () => {
  const { page } = session;
  const parameters = 'a cat in a wizard hat\nNegative prompt: dark, blurry\nSteps: 7, Sampler: DDIM, CFG scale: 6.5, Seed: 98765, Size: 512x512, Model hash: 0123456789, Model: sd15-someone';
  const png = encodePng(new Uint8Array(8 * 8 * 3).fill(128), 8, 8, [{ keyword: 'parameters', text: parameters }]);
  const model = await byTestId(page, 'model').inputValue();
  await dropFile(page, png, 'a1111.png');
  await loadedFrom(page, 'a1111.png');
  expect(await formValues(page)).toEqual({ prompt: 'a cat in a wizard hat', negative: 'dark, blurry', steps: '7', cfg: '6.5', seed: '98765', scheduler: 'ddim', model });
  const status = await byTestId(page, 'recipe-loaded').textContent();
  expect(status).toContain('A1111 parameters');
  expect(status).toContain('"sd15-someone" is not installed');
});

test('a dropped studio PNG brings back hybrid and quantization settings too', async () => {
  const { page } = session;
  // A recipe as the studio writes it, for a hybrid run on the quantized emoji model.
  const request = {
    prompt: 'grinning face, noto',
    negativePrompt: '',
    steps: 20,
    cfg: 4,
    seed: 5,
    model: 'emoji',
    provider: 'auto',
    scheduler: 'default',
    cache: { method: 'fora', interval: 2 },
    denoiserVariant: 'int8-w8a8',
    compensation: { method: 'tcec', strength: 0.5 },
    hybrid: { small: 'emoji-small', largeSteps: 10, order: 'small-first', tinyVae: true },
  };
  const recipe = { prompt: request.prompt, negativePrompt: '', steps: 20, cfg: 4, seed: 5, modelId: 'emoji', request } as Partial<Recipe>;
  const png = encodePng(new Uint8Array(3), 1, 1, [{ keyword: 'studio-recipe', text: JSON.stringify(recipe), international: true }]);
  await dropFile(page, png, 'hybrid.png');
  await loadedFrom(page, 'hybrid.png');
  expect(await byTestId(page, 'model').inputValue()).toBe('emoji');
  expect(await byTestId(page, 'quant-summary').textContent()).toBe('w8a8 + TCEC');
  await page.waitForFunction(() => /emoji-small · K 10\/20/.test((globalThis as any).document.querySelector('[data-testid="hybrid-summary"]')?.textContent ?? ''));
  expect(await byTestId(page, 'speedup-summary').textContent()).toContain('FORA');
});

test('Open image… with a file that carries no settings says why, and the form is unchanged', async () => {
  const { page } = session;
  const before = await formValues(page);
  await byTestId(page, 'open-image-input').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
  await byTestId(page, 'error-banner').waitFor();
  expect(await byTestId(page, 'error-banner').textContent()).toContain('notes.png: Not a readable PNG: the PNG signature is missing');
  const bare = encodePng(new Uint8Array(3), 1, 1);
  await byTestId(page, 'open-image-input').setInputFiles({ name: 'bare.png', mimeType: 'image/png', buffer: bare });
  await page.waitForFunction(() => /bare\.png: This PNG carries no settings/.test((globalThis as any).document.querySelector('[data-testid="error-banner"]')?.textContent ?? ''));
  expect(await formValues(page)).toEqual(before);
});
