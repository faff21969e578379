/**
 * Request bodies cannot hold the server hostage: a declared length over the call's limit
 * is refused before any of the body is read, an upload that stalls is given up on, and
 * the bytes being received at once across all requests are capped (503 BUSY beyond that),
 * so concurrent large uploads cannot grow memory without bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './http-harness';
import { orTimeout, partialPost } from '../../helpers/partial-request';

const MiB = 1024 * 1024;
/** Small enough that two stalled 1.4 MiB uploads exhaust it. */
const BUDGET_BYTES = 3 * MiB;
const BODY_TIMEOUT_MS = 1000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { bodyBudgetBytes: BUDGET_BYTES, bodyTimeoutMs: BODY_TIMEOUT_MS });
});
afterAll(async () => {
  await h?.close();
});

describe('request bodies', () => {
  it('answers 413 at once when Content-Length is over the limit, and cuts the upload off once it stalls', async () => {
    const req = partialPost(h.server.port, 'history.list', { declaredLength: 10 * 1024 * MiB, sent: Buffer.from('{"search":"'), token: h.token });
    expect(await orTimeout(req.status, 3000)).toBe(413);
    expect(await req.text(100)).toContain('"code":"INVALID_REQUEST"');
    // The rest of the upload would only be thrown away, and none comes: the server hangs up.
    expect(await orTimeout(req.closed, BODY_TIMEOUT_MS + 3000)).not.toBe('timeout');
  });

  it('a client that sends the whole oversized body anyway still reads the 413 (no reset mid-upload)', async () => {
    const body = JSON.stringify({ search: 'x'.repeat(3 * MiB) });
    const res = await fetch(`${h.server.url}api/history.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` }, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('with Expect: 100-continue, refuses an oversized body before the client sends it, and invites an acceptable one', async () => {
    const huge = partialPost(h.server.port, 'history.list', { declaredLength: 10 * 1024 * MiB, sent: Buffer.alloc(0), token: h.token, expectContinue: true });
    expect(await orTimeout(huge.status, 3000)).toBe(413);
    huge.socket.destroy();

    const body = Buffer.from('{"limit":1}');
    const fine = partialPost(h.server.port, 'history.list', { declaredLength: body.length, sent: Buffer.alloc(0), token: h.token, expectContinue: true });
    expect(await orTimeout(fine.status, 3000)).toBe(100);
    fine.socket.write(body);
    expect(await fine.text(1000)).toMatch(/HTTP\/1\.1 200 OK[\s\S]*"ok":true/);
    fine.socket.destroy();
  });

  it('gives up on a body that stops arriving with 408, and frees its share of the budget', async () => {
    const req = partialPost(h.server.port, 'profiles.import', { declaredLength: 2 * MiB, sent: Buffer.from('{"json":"'), token: h.token });
    expect(await orTimeout(req.status, BODY_TIMEOUT_MS + 3000)).toBe(408);
    expect(await req.text(1000)).toContain('"code":"INVALID_REQUEST"');
    req.socket.destroy();
    // The 2 MiB it reserved are back: a 2.5 MiB upload fits the 3 MiB budget again.
    const body = { json: JSON.stringify({ padding: 'x'.repeat(2.5 * MiB) }) };
    expect((await call(h.server.port, 'profiles.import', body)).status).toBe(200);
  });

  it('refuses an upload with 503 BUSY while others hold the whole budget, and takes it once they are gone', async () => {
    const declared = Math.round(1.4 * MiB);
    const holders = [0, 1].map(() => partialPost(h.server.port, 'profiles.import', { declaredLength: declared, sent: Buffer.from('{"json":"'), token: h.token }));
    // They keep sending, slowly (a byte per 100 ms, well inside the stall timeout), so they hold their share.
    const trickle = setInterval(() => holders.forEach((r) => r.socket.write('x')), 100);
    // Let both holders' headers reach the server before the third asks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = partialPost(h.server.port, 'profiles.import', { declaredLength: declared, sent: Buffer.alloc(0), token: h.token });
    expect(await orTimeout(third.status, 2000)).toBe(503);
    const text = await third.text(500);
    expect(text).toMatch(/retry-after: \d+/i);
    expect(text).toContain('"code":"BUSY"');
    third.socket.destroy();
    // A client that uploads its whole body regardless still gets the 503 to read.
    const whole = await fetch(`${h.server.url}api/profiles.import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
      body: JSON.stringify({ json: 'x'.repeat(declared) }),
    });
    expect(whole.status).toBe(503);
    expect(whole.headers.get('retry-after')).toBe('1');
    // Small calls still fit in what is left.
    expect((await call(h.server.port, 'app.info', {})).json()).toMatchObject({ ok: true });

    clearInterval(trickle);
    for (const holder of holders) holder.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const body = { json: JSON.stringify({ padding: 'x'.repeat(declared) }) };
    expect((await call(h.server.port, 'profiles.import', body)).status).toBe(200);
  });
});
