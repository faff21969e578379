/**
 * The Speed-up panel and the A/B view, by data-testid, for the cache e2e tests. Like ui.ts,
 * functions passed to page.evaluate reach the page through `globalThis as any`.
 */
import type { Page } from 'playwright-core';
import { byTestId } from './ui';

export type CacheMethodName = 'none' | 'fora' | 'teacache' | 'magcache' | 'easycache' | 'ertacache';

export async function openSpeedUp(page: Page): Promise<void> {
  const toggle = byTestId(page, 'speedup-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

export async function pickCacheMethod(page: Page, method: CacheMethodName): Promise<void> {
  await byTestId(page, `cache-method-${method}`).click();
  await page.waitForSelector(`[data-testid="cache-method-${method}"][data-checked="true"]`);
}

/**
 * Sets the main knob to `value` through its typed readout (the slider itself steps through the
 * plan's stops once they are known, so its positions are not knob values).
 */
export async function setCacheKnob(page: Page, value: number): Promise<void> {
  const readout = byTestId(page, 'cache-knob-value');
  await readout.fill(String(value));
  await readout.blur();
}

export interface StripCounts {
  computed: number;
  reused: number;
}

/** Filled and hollow cells of a step strip (the plan's by default, or the recipe's). */
export async function stripCounts(page: Page, testId = 'cache-step-strip'): Promise<StripCounts> {
  return page.evaluate((id) => {
    const strip = (globalThis as any).document.querySelector(`[data-testid="${id}"]`);
    const cells: any[] = strip ? [...strip.querySelectorAll('[data-computed]')] : [];
    return {
      computed: cells.filter((c) => c.getAttribute('data-computed') === 'true').length,
      reused: cells.filter((c) => c.getAttribute('data-computed') === 'false').length,
    };
  }, testId);
}

/** Waits until the plan preview has an answer (not a pending request) in `state`: ready, problem or error. */
export async function waitForPlan(page: Page, state: 'ready' | 'problem' | 'error', timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-testid="cache-plan"][data-state="${state}"]`, { timeout });
}

/** Waits until the plan's strip shows exactly `expected` (a slider's debounced plan may lag a moment). */
export async function waitForStrip(page: Page, expected: StripCounts, testId = 'cache-step-strip'): Promise<void> {
  await page.waitForFunction(
    ([id, want]) => {
      const strip = (globalThis as any).document.querySelector(`[data-testid="${id}"]`);
      if (!strip) return false;
      const cells: any[] = [...strip.querySelectorAll('[data-computed]')];
      const computed = cells.filter((c) => c.getAttribute('data-computed') === 'true').length;
      return computed === want.computed && cells.length - computed === want.reused;
    },
    [testId, expected] as const,
  );
}
