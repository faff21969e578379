/**
 * What a user does on the main screen, by data-testid. Tests read as user stories and a
 * renamed control breaks one place.
 *
 * Functions passed to page.evaluate run in the browser, but this file is compiled with the
 * node-side tsconfig (no DOM lib), so they reach the page through `globalThis as any`.
 */
import type { Locator, Page } from 'playwright-core';

export interface FormInput {
  prompt?: string;
  negative?: string;
  steps?: number | string;
  cfg?: number | string;
  seed?: number | string;
}

export const byTestId = (page: Page, id: string): Locator => page.getByTestId(id);

export async function fillForm(page: Page, input: FormInput): Promise<void> {
  const fields: [keyof FormInput, string][] = [
    ['prompt', 'prompt'],
    ['negative', 'negative'],
    ['steps', 'steps'],
    ['cfg', 'cfg'],
    ['seed', 'seed'],
  ];
  for (const [key, testId] of fields) {
    const value = input[key];
    if (value !== undefined) await byTestId(page, testId).fill(String(value));
  }
}

/** Waits until the model picker has loaded (the app picks the default model itself). */
export async function waitForModels(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const select = (globalThis as any).document.querySelector('[data-testid="model"]');
    return select !== null && !select.disabled && select.value !== '';
  });
}

/** The big result image, once the browser has actually decoded it. */
export async function waitForResultImage(page: Page): Promise<{ recordId: number; naturalWidth: number }> {
  const image = byTestId(page, 'result-image');
  await image.waitFor();
  await page.waitForFunction(() => {
    const img = (globalThis as any).document.querySelector('[data-testid="result-image"]');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  return {
    recordId: Number(await image.getAttribute('data-record-id')),
    naturalWidth: await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
  };
}

export const historyItems = (page: Page): Locator => byTestId(page, 'history-item');

/**
 * Records every value the progress bar's `data-step` takes, including ones replaced
 * before the test could poll them (MutationObserver keeps old values). Call before
 * clicking Generate; read with `readProgressSteps`.
 */
export async function recordProgressSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    const seen: number[] = [];
    g.__progressSteps = seen;
    const observer = new g.MutationObserver((records: any[]) => {
      for (const record of records) {
        if (record.type === 'attributes' && record.oldValue !== null) seen.push(Number(record.oldValue));
        const bar = g.document.querySelector('[data-testid="progress"]');
        if (bar) seen.push(Number(bar.getAttribute('data-step')));
      }
    });
    observer.observe(g.document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-step'],
      attributeOldValue: true,
    });
  });
}

export async function readProgressSteps(page: Page): Promise<number[]> {
  return page.evaluate(() => [...((globalThis as any).__progressSteps as number[])]);
}
