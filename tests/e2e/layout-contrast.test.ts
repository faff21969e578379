// At the window sizes people use (1024×700, 1440×900) the document itself never scrolls — only
// the panes inside it do — whatever the user opens, picks or scrolls; and the form's inputs,
// focus ring and Generate button meet WCAG AA contrast, computed from the browser's styles.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels } from './harness/ui';

let session: StudioSession;
beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
});
afterAll(async () => {
  await session?.close();
});

/** scrollTop and the overflow of the document, in CSS px. */
async function documentScroll(page: Page): Promise<{ scrollTop: number; scrollHeight: number; innerHeight: number; scrollLeft: number; scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const el = g.document.scrollingElement;
    return { scrollTop: el.scrollTop, scrollHeight: el.scrollHeight, innerHeight: g.innerHeight, scrollLeft: el.scrollLeft, scrollWidth: el.scrollWidth, innerWidth: g.innerWidth };
  });
}

async function expectNoDocumentScroll(page: Page, when: string): Promise<void> {
  const s = await documentScroll(page);
  expect({ when, scrollTop: s.scrollTop, scrollLeft: s.scrollLeft }).toEqual({ when, scrollTop: 0, scrollLeft: 0 });
  expect(s.scrollHeight, `${when}: document height`).toBeLessThanOrEqual(s.innerHeight);
  expect(s.scrollWidth, `${when}: document width`).toBeLessThanOrEqual(s.innerWidth);
}

for (const [width, height] of [
  [1024, 700],
  [1440, 900],
] as const) {
  test(`at ${width}×${height} the document never scrolls: open panels, a picked cache method, wheel scrolls`, async () => {
    const { page } = session;
    await page.setViewportSize({ width, height });
    await expectNoDocumentScroll(page, 'at load');
    for (const id of ['speedup', 'hybrid', 'quant']) {
      const toggle = byTestId(page, `${id}-toggle`);
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    }
    await expectNoDocumentScroll(page, 'panels open');
    // The radio inside the label takes the click and the focus, as a user's click does.
    await byTestId(page, 'cache-method-ertacache').click();
    await byTestId(page, 'cache-method-fora').click();
    await page.keyboard.press('ArrowRight');
    await expectNoDocumentScroll(page, 'cache method picked');
    // Wheel over the settings column, the stage and the history column, far past their ends.
    for (const x of [150, width / 2, width - 120]) {
      await page.mouse.move(x, height / 2);
      await page.mouse.wheel(0, 5000);
      await page.mouse.wheel(0, -200);
    }
    await expectNoDocumentScroll(page, 'after wheel scrolls');
    // No band below the app: its box reaches the bottom edge of the window exactly.
    const appBottom = await page.evaluate(() => (globalThis as any).document.querySelector('.app').getBoundingClientRect().bottom);
    expect(Math.round(appBottom)).toBe(height);
    // The other views scroll inside their page too.
    for (const view of ['gallery', 'models', 'bench', 'create']) {
      await byTestId(page, `tab-${view}`).click();
      await page.mouse.move(width / 2, height / 2);
      await page.mouse.wheel(0, 5000);
      await expectNoDocumentScroll(page, `${view} view`);
    }
    expect(session.problems).toEqual([]);
  });
}

/** WCAG 2 contrast ratio of two CSS colours (rgb()/rgba() strings as getComputedStyle gives them), over the page's background. */
function contrast(a: string, b: string): number {
  const channels = (css: string): number[] => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) throw new Error(`not an rgb colour: ${css}`);
    return (m[1] as string).split(/[ ,/]+/).filter(Boolean).map(Number);
  };
  const luminance = (rgb: number[]): number => {
    const [r, g, bl] = rgb.slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(channels(a)), luminance(channels(b))].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The colours that decide an element's contrast: its text, its own fill, its border, its focus outline, and the opaque fill behind it. */
async function colours(page: Page, testId: string): Promise<{ color: string; background: string; border: string; outline: string; behind: string; alphaOk: boolean }> {
  return page.getByTestId(testId).evaluate((el: any) => {
    const g = globalThis as any;
    const opaque = (css: string): boolean => !/rgba\(.*,\s*0\)$/.test(css) && css !== 'transparent' && !/\/ 0\)$/.test(css);
    const fillOf = (node: any): string => {
      for (let n = node; n; n = n.parentElement) {
        const bg = g.getComputedStyle(n).backgroundColor;
        if (opaque(bg)) return bg;
      }
      return g.getComputedStyle(g.document.body).backgroundColor;
    };
    const style = g.getComputedStyle(el);
    const isOpaqueRgb = (css: string): boolean => /^rgb\(/.test(css);
    return {
      color: style.color,
      background: fillOf(el),
      border: style.borderTopColor,
      outline: style.outlineColor,
      behind: fillOf(el.parentElement),
      // Every colour measured is fully opaque, so no blending is needed.
      alphaOk: [style.color, style.borderTopColor].every(isOpaqueRgb) && Number(style.opacity) === 1,
    };
  });
}

test('inputs, the focus ring and the Generate button meet WCAG AA contrast', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1440, height: 900 });
  await byTestId(page, 'prompt').fill('grinning face');
  expect(await byTestId(page, 'generate').isEnabled()).toBe(true);

  for (const id of ['prompt', 'steps', 'seed']) {
    const c = await colours(page, id);
    expect(c.alphaOk, id).toBe(true);
    expect(contrast(c.color, c.background), `${id} text`).toBeGreaterThanOrEqual(4.5);
    // The input's edge against the panel it sits on: a UI component boundary, ≥ 3:1.
    expect(contrast(c.border, c.behind), `${id} border`).toBeGreaterThanOrEqual(3);
  }

  // A text input shows its focus ring (:focus-visible) however it got focus; the ring against the panel behind it.
  await byTestId(page, 'steps').focus();
  const focusedId = await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid'));
  expect(focusedId).toBe('steps');
  const focused = await colours(page, 'steps');
  const outlineStyle = await byTestId(page, 'steps').evaluate((el: any) => (globalThis as any).getComputedStyle(el).outlineStyle);
  expect(outlineStyle).not.toBe('none');
  expect(contrast(focused.outline, focused.behind), 'focus ring').toBeGreaterThanOrEqual(3);

  const generate = await colours(page, 'generate');
  expect(generate.alphaOk).toBe(true);
  expect(contrast(generate.color, generate.background), 'Generate label').toBeGreaterThanOrEqual(4.5);
  expect(session.problems).toEqual([]);
});
