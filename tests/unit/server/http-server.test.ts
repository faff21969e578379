import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { bearer, call, INDEX_HTML, raw, startHarness, type Harness } from './http-harness';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness();
  port = h.server.port;
});
afterAll(async () => {
  await h?.close();
});

const CSP =
  "default-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:*; style-src 'self' 'unsafe-inline'; script-src 'self'";

describe('browser-mode server: calls', () => {
  it('listens on 127.0.0.1 and reports its URL', () => {
    expect(h.server.url).toBe(`http://127.0.0.1:${port}/`);
    expect(port).toBeGreaterThan(0);
  });

  it('app.info returns an ok envelope', async () => {
    const res = await call(port, 'app.info', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ ok: true, value: { version: '9.8.7', mode: 'browser', studioHome: h.home } });
  });

  it('accepts a call without a body', async () => {
    const res = await raw(port, { method: 'POST', path: '/api/app.info' });
    expect(res.json()).toMatchObject({ ok: true, value: { mode: 'browser' } });
  });

  it('models.list lists the bundled tiny pipeline', async () => {
    const res = await call(port, 'models.list', {});
    const body = res.json() as { ok: true; value: { id: string; source: string; width: number }[] };
    expect(body.ok).toBe(true);
    expect(body.value.find((m) => m.id === 'tiny')).toMatchObject({ id: 'tiny', source: 'bundled', width: 64, height: 64 });
  });

  it('providers.list always includes cpu', async () => {
    const body = (await call(port, 'providers.list', {})).json() as { ok: true; value: { available: string[] } };
    expect(body.value.available).toContain('cpu');
  });

  it('returns validation failures as a 200 error envelope naming the field', async () => {
    const res = await call(port, 'generate.start', { prompt: 'x', steps: 4, cfg: 1, seed: 'abc', model: 'tiny' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'seed must be an integer between 0 and 4294967295 (got "abc")', detail: 'seed' },
    });
  });

  it('rejects an unknown model at start, before queueing a job', async () => {
    const res = await call(port, 'generate.start', { prompt: 'x', steps: 4, cfg: 1, seed: 1, model: 'no-such-model' });
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_FOUND' } });
  });

  it('history: an empty list, NOT_FOUND for a missing id, false for an unknown job', async () => {
    expect((await call(port, 'history.list', {})).json()).toEqual({ ok: true, value: [] });
    expect((await call(port, 'history.get', { id: 999 })).json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', detail: 'id' } });
    expect((await call(port, 'jobs.cancel', { jobId: 'nope' })).json()).toEqual({ ok: true, value: { cancelled: false } });
    expect((await call(port, 'jobs.retry', { jobId: 'nope' })).json()).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND', detail: 'jobId' } });
    expect((await call(port, 'jobs.list', {})).json()).toEqual({ ok: true, value: [] });
  });

  it('the old generate.cancel call is gone: jobs.cancel cancels every kind', async () => {
    const res = await call(port, 'generate.cancel', { jobId: 'nope' });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', detail: 'generate.cancel' } });
  });

  it('404 with an envelope for an unknown call', async () => {
    const res = await call(port, 'app.delete', {});
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('Unknown call "app.delete"') } });
  });

  it('400 for malformed JSON', async () => {
    const res = await raw(port, { method: 'POST', path: '/api/app.info', headers: { 'content-type': 'application/json' }, body: '{"oops' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('not valid JSON') } });
  });

  it('413 for a body over 1 MiB', async () => {
    const body = JSON.stringify({ search: 'x'.repeat(1024 * 1024 + 10) });
    const res = await raw(port, { method: 'POST', path: '/api/history.list', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('profiles.import takes a multi-MB profile body (the 1 MiB limit is for other calls)', async () => {
    // 3 MB of JSON that is not a profile: it must reach the profile parser (200 + error envelope), not stop at 413.
    const body = JSON.stringify({ json: JSON.stringify({ version: 1, padding: 'x'.repeat(3 * 1024 * 1024) }) });
    const res = await raw(port, { method: 'POST', path: '/api/profiles.import', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('profile') } });
  });

  it('415 for a non-JSON content type, 405 for GET on a call', async () => {
    const form = await raw(port, { method: 'POST', path: '/api/app.info', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const get = await raw(port, { path: '/api/app.info' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('refuses foreign origins and non-loopback Host headers (CSRF, DNS rebinding)', async () => {
    expect((await call(port, 'app.info', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(port, 'app.info', {}, { origin: 'null' })).status).toBe(403);
    expect((await call(port, 'app.info', {}, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await raw(port, { path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await call(port, 'app.info', {}, { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await call(port, 'app.info', {}, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });
});

describe('browser-mode server: files', () => {
  it('serves index.html at / with the strict CSP and security headers', async () => {
    const res = await raw(port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.text).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(res.headers['content-security-policy']).startsWith(CSP)).toBe(true);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves assets with their content type and a long cache', async () => {
    const res = await raw(port, { path: '/assets/app-123.js?v=1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('falls back to index.html for app routes but 404s a missing asset', async () => {
    expect((await raw(port, { path: '/history/12' })).text).toBe(INDEX_HTML);
    expect((await raw(port, { path: '/assets/missing-1.js' })).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%2e%2e%5csecret.txt', '/a%00.js', '/%E0%A4%A']) {
      const res = await raw(port, { path });
      expect(res.text, path).not.toContain('outside the renderer folder');
      expect([400, 404], path).toContain(res.status);
    }
  });

  it('404s an image that is not in history', async () => {
    expect((await raw(port, { path: '/media/1' })).status).toBe(404);
    expect((await raw(port, { path: '/media/abc' })).status).toBe(404);
  });

  it('405 for other methods on files', async () => {
    expect((await raw(port, { method: 'DELETE', path: '/' })).status).toBe(405);
  });
});

describe('browser-mode server: events socket', () => {
  it('accepts a WebSocket at /api/events from its own origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { origin: `http://127.0.0.1:${port}`, headers: bearer(h) });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
  });

  it('refuses a WebSocket from a foreign origin or on another path', async () => {
    for (const [url, origin] of [
      [`ws://127.0.0.1:${port}/api/events`, 'https://evil.example'],
      [`ws://127.0.0.1:${port}/api/other`, `http://127.0.0.1:${port}`],
    ] as const) {
      const ws = new WebSocket(url, { origin, headers: bearer(h) });
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => resolve(101));
        ws.once('error', () => resolve(-1));
      });
      expect(status === 403 || status === 404, `${url} from ${origin}: ${status}`).toBe(true);
      ws.terminate();
    }
  });
});

describe('browser-mode server: shutdown', () => {
  it('close() ends open event sockets with 1001 (going away) and stops listening', async () => {
    const own = await startHarness();
    const ws = new WebSocket(`ws://127.0.0.1:${own.server.port}/api/events`, { headers: bearer(own) });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await own.close();
    expect(await closed).toBe(1001);
    await expect(raw(own.server.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
