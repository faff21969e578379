/**
 * One e2e session: a temporary STUDIO_HOME, the real server on it, and a real Chromium
 * page on the server's URL. `close()` tears down whatever was started, and `start()`
 * cleans up after itself when it fails halfway, so a failing test leaves no server,
 * browser or temp folder behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from './browser';
import { startServer, type RunningServer } from './server';

export class StudioSession {
  page!: Page;
  /** Page errors and CSP violations across every page of the session; tests expect none. */
  readonly problems: string[] = [];

  private constructor(
    readonly home: string,
    public server: RunningServer,
    readonly browser: Browser,
  ) {}

  static async start(): Promise<StudioSession> {
    const home = await mkdtemp(path.join(os.tmpdir(), 'studio-e2e-'));
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startServer(home);
      browser = await launchBrowser();
      const session = new StudioSession(home, server, browser);
      await session.reload();
      return session;
    } catch (err) {
      await browser?.close().catch(() => {});
      await server?.stop().catch(() => {});
      await rm(home, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * A fresh page on the current server, as if the user opened the app again from the
   * address the server printed (with its token; the page keeps it as a cookie).
   */
  async reload(): Promise<void> {
    await this.page?.close();
    this.page = await openPage(this.browser, this.server.openUrl, this.problems);
  }

  /**
   * Stops the server and starts a new one on the same STUDIO_HOME (and, if asked, the same
   * port). `whileDown` runs in between, e.g. to see the page notice the outage.
   */
  async restartServer(opts: { samePort: boolean; whileDown?: () => Promise<void> }): Promise<void> {
    const port = opts.samePort ? this.server.port : 0;
    await this.server.stop();
    await opts.whileDown?.();
    this.server = await startServer(this.home, port);
  }

  /** Calls the API directly, bypassing the UI, to check what the back end really stored. */
  async api<T>(name: string, request: unknown): Promise<T> {
    const response = await fetch(`${this.server.url}api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.server.authHeaders() },
      body: JSON.stringify(request),
    });
    const body = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
    if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
    return body.value as T;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop().catch(() => {});
    await rm(this.home, { recursive: true, force: true });
  }
}
