/**
 * Browser mode's access token: calls, the event socket and history media are refused
 * without it (401, an envelope or a refused handshake) and accepted with it as a bearer
 * header, as the cookie the tokened page gets, or in the query string. The renderer's own
 * files stay public so the page can load and say what is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { generateAccessToken, tokenCookieName, tokensEqual } from '../../../main/server/access-token';
import { parseServeArgs } from '../../../main/server/serve-args';
import { openStudioDb } from '../../../main/store/studio-db';
import { generation } from '../store/fixtures';
import { call, raw, startHarness, type Harness } from './http-harness';

let h: Harness;
let port: number;
let mediaId: number;

beforeAll(async () => {
  h = await startHarness();
  port = h.server.port;
  const file = path.join(h.service.paths.outputs, 'one.png');
  fs.writeFileSync(file, 'png bytes');
  const db = openStudioDb(h.service.paths.db);
  try {
    mediaId = db.history.insert({ ...generation(), outputPath: file }).id;
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await h?.close();
});

const cookie = (token: string): Record<string, string> => ({ cookie: `other=1; ${tokenCookieName(port)}=${token}` });

/** Status of a WebSocket handshake: 101 when it opened, else the HTTP status of the refusal. */
function handshake(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise<number>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(101));
    ws.once('error', () => resolve(-1));
  }).finally(() => ws.terminate());
}

describe('access token: calls', () => {
  it('refuses a call without a token with 401, an UNAUTHORIZED envelope and the way in', async () => {
    const res = await call(port, 'models.list', {}, {}, false);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="studio"');
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining(`http://127.0.0.1:${port}/?token=`) } });
    expect(JSON.stringify(res.json())).not.toContain(h.token);
  });

  it('refuses a wrong token in every place it may stand', async () => {
    const wrong = generateAccessToken();
    expect((await call(port, 'app.info', {}, { authorization: `Bearer ${wrong}` }, false)).status).toBe(401);
    expect((await call(port, 'app.info', {}, cookie(wrong), false)).status).toBe(401);
    expect((await raw(port, { method: 'POST', path: `/api/app.info?token=${wrong}`, auth: false })).status).toBe(401);
    // A cookie for another port of the same host is not ours.
    expect((await call(port, 'app.info', {}, { cookie: `${tokenCookieName(port + 1)}=${h.token}` }, false)).status).toBe(401);
  });

  it('accepts the token as a bearer header, as the cookie, or in the query', async () => {
    expect((await call(port, 'app.info', {}, { authorization: `Bearer ${h.token}` }, false)).json()).toMatchObject({ ok: true });
    expect((await call(port, 'app.info', {}, cookie(h.token), false)).json()).toMatchObject({ ok: true });
    expect((await raw(port, { method: 'POST', path: `/api/app.info?token=${h.token}`, auth: false })).json()).toMatchObject({ ok: true });
  });

  it('still refuses a foreign Origin even with the token', async () => {
    expect((await call(port, 'app.info', {}, { origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('access token: the page', () => {
  it('serves the page without a token, but sets no cookie', async () => {
    const res = await raw(port, { path: '/', auth: false });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('gives the page opened with the right ?token= an HttpOnly, SameSite=Strict cookie for this port', async () => {
    const res = await raw(port, { path: `/?token=${h.token}`, auth: false });
    expect(res.status).toBe(200);
    const [set] = res.headers['set-cookie'] ?? [];
    expect(set).toContain(`${tokenCookieName(port)}=${h.token}`);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\//);
    expect((await raw(port, { path: `/?token=${generateAccessToken()}`, auth: false })).headers['set-cookie']).toBeUndefined();
  });
});

describe('access token: event socket', () => {
  const url = (): string => `ws://127.0.0.1:${port}/api/events`;

  it('refuses the handshake without the token or with a wrong one (401)', async () => {
    expect(await handshake(url())).toBe(401);
    expect(await handshake(url(), { authorization: `Bearer ${generateAccessToken()}` })).toBe(401);
    expect(await handshake(`${url()}?token=${generateAccessToken()}`)).toBe(401);
  });

  it('opens with the token as a bearer header, as the cookie, or in the query', async () => {
    expect(await handshake(url(), { authorization: `Bearer ${h.token}` })).toBe(101);
    expect(await handshake(url(), cookie(h.token))).toBe(101);
    expect(await handshake(`${url()}?token=${h.token}`)).toBe(101);
  });
});

describe('access token: media', () => {
  it('refuses a history image without the token (401) and serves it with one', async () => {
    const refused = await raw(port, { path: `/media/${mediaId}`, auth: false });
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('png bytes');
    expect((await raw(port, { path: `/media/${mediaId}`, headers: cookie(h.token), auth: false })).text).toBe('png bytes');
    expect((await raw(port, { path: `/media/${mediaId}?token=${h.token}`, auth: false })).status).toBe(200);
  });
});

describe('access token: the token itself', () => {
  it('is 43 URL-safe characters (256 bits), new at each launch', () => {
    const a = generateAccessToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateAccessToken()).not.toBe(a);
  });

  it('compares equal only when identical, whatever the lengths', () => {
    expect(tokensEqual('abcdefghijklmnop', 'abcdefghijklmnop')).toBe(true);
    expect(tokensEqual('abcdefghijklmnop', 'abcdefghijklmnoq')).toBe(false);
    expect(tokensEqual('abc', 'abcdefghijklmnop')).toBe(false);
  });

  it('comes from --token, else STUDIO_TOKEN; a malformed one is refused without echoing it', () => {
    const t = 'a'.repeat(20);
    expect(parseServeArgs(['--token', t], {}).token).toBe(t);
    expect(parseServeArgs([], { STUDIO_TOKEN: t }).token).toBe(t);
    expect(parseServeArgs(['--token', t], { STUDIO_TOKEN: 'b'.repeat(20) }).token).toBe(t);
    expect(parseServeArgs([], {}).token).toBeUndefined();
    expect(() => parseServeArgs(['--token', 'short'], {})).toThrow(/16 to 256 characters/);
    let message = '';
    try {
      parseServeArgs([], { STUDIO_TOKEN: 'has space and is long enough' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^STUDIO_TOKEN must be 16 to 256 characters/);
    expect(message).not.toContain('has space');
  });
});
