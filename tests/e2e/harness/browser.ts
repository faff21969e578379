/**
 * Launches Debian's Chromium through playwright-core (no bundled browser download) and
 * opens pages that record what the page itself complains about: uncaught errors and
 * Content-Security-Policy violations, which every test asserts are absent.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.STUDIO_E2E_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Opens `url` in a new page; page errors and CSP violations are appended to `problems`. */
export async function openPage(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => {
    problems.push(`page error: ${err.message}`);
    // Printed at once too: a test that times out later never reaches its assertion on `problems`.
    process.stderr.write(`[page error] ${err.stack ?? err.message}\n`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  await page.goto(url);
  return page;
}
