// Browser mode's access token in a real Chromium: the printed address works and then leaves
// the address bar, the token lives only in an HttpOnly cookie, and a page opened without it
// (or any other client) is refused and told where to get it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
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
