// Browser mode's access token in a real Chromium: the printed address works and then leaves
// the address bar, the token lives only in an HttpOnly cookie, and a page opened without it
// (or any other client) is refused and told where to get it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { SERVE_SCRIPT } from './harness/server';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels } from './harness/ui';

let session: StudioSession;

beforeAll(async () => {
  session = await StudioSession.start();
});
afterAll(async () => {
  await session?.close();
});

test('the printed address opens the studio, which drops the token from the address bar and keeps it in an HttpOnly cookie', async () => {
  const { page, server } = session;
  await waitForModels(page);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  expect(page.url()).toBe(server.url);

  const cookies = await page.context().cookies(server.url);
  const cookie = cookies.find((c) => c.name === `studio_token_${server.port}`);
  expect(cookie).toMatchObject({ value: server.token, httpOnly: true, sameSite: 'Strict', path: '/' });
  // Scripts in the page cannot read it.
  expect(await page.evaluate(() => (globalThis as any).document.cookie as string)).not.toContain(server.token);
  // A reload (no token in the address any more) still works, on the cookie alone.
  await page.reload();
  await waitForModels(page);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  expect(session.problems).toEqual([]);
});

test('a page opened without the token is refused and says how to get in', async () => {
  const context = await session.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(session.server.url);
    const banner = byTestId(page, 'error-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-code')).toBe('UNAUTHORIZED');
    expect(await banner.textContent()).toContain(`http://127.0.0.1:${session.server.port}/?token=`);
    expect(await page.locator('[data-testid="connection"]').getAttribute('data-state')).not.toBe('open');
  } finally {
    await context.close();
  }
});

test('calls, the event socket and media refuse a client without the token', async () => {
  const { server } = session;
  const call = await fetch(`${server.url}api/models.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(call.status).toBe(401);
  expect(await call.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  expect((await fetch(`${server.url}media/1`)).status).toBe(401);

  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}api/events`);
  const status = await new Promise<number>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(101));
    ws.once('error', () => resolve(-1));
  });
  ws.terminate();
  expect(status).toBe(401);

  const authorized = await fetch(`${server.url}api/models.list`, { method: 'POST', headers: { 'content-type': 'application/json', ...server.authHeaders() }, body: '{}' });
  expect(((await authorized.json()) as { ok: boolean }).ok).toBe(true);
});

/** Starts build/serve.cjs without STUDIO_TOKEN and returns the address it printed. */
async function launchWithoutToken(home: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: home };
  delete env.STUDIO_TOKEN;
  const child = spawn(process.execPath, [SERVE_SCRIPT, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    let out = '';
    return await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /studio: browser mode at (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  }
}

test('without --token or STUDIO_TOKEN each launch prints a new 256-bit token in its address', async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'studio-e2e-token-'));
  try {
    const first = await launchWithoutToken(home);
    const second = await launchWithoutToken(home);
    const pattern = /^http:\/\/127\.0\.0\.1:\d+\/\?token=([A-Za-z0-9_-]{43})$/;
    expect(first).toMatch(pattern);
    expect(second).toMatch(pattern);
    expect(pattern.exec(first)?.[1]).not.toBe(pattern.exec(second)?.[1]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
