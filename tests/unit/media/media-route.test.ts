/**
 * `/media/<id>` against the real browser-mode server and a real StudioService: history rows
 * point at files with known bytes, and every answer is checked byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioDb } from '../../../main/store/studio-db';
import { raw, startHarness, type Harness } from '../server/http-harness';
import { generation } from '../store/fixtures';

let h: Harness;
let pngId: number;
let webmId: number;
let goneId: number;
/** 3000 bytes that differ from one offset to the next, so a wrong span cannot pass. */
const BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

beforeAll(async () => {
  h = await startHarness();
  const dir = path.join(h.home, 'outputs', 'test');
  fs.mkdirSync(dir, { recursive: true });
  const db = openStudioDb(h.service.paths.db);
  try {
    const add = (name: string, bytes?: Buffer): number => {
      const file = path.join(dir, name);
      if (bytes) fs.writeFileSync(file, bytes);
      return db.history.insert({ ...generation(), outputPath: file }).id;
    };
    pngId = add('a.png', BYTES);
    webmId = add('b.webm', BYTES.subarray(0, 100));
    goneId = add('gone.png');
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await h?.close();
});

const get = (id: number | string, headers: Record<string, string> = {}, method = 'GET') => raw(h.server.port, { method, path: `/media/${id}`, headers });

describe('GET /media/<id>', () => {
  it('serves the whole file with its type, length, validators and Accept-Ranges', async () => {
    const res = await get(pngId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(BYTES);
    expect(res.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': '3000', 'accept-ranges': 'bytes' });
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.headers['last-modified']).toBe(fs.statSync(path.join(h.home, 'outputs', 'test', 'a.png')).mtime.toUTCString());
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('takes the content type from the file extension', async () => {
    const res = await get(webmId);
    expect(res.headers['content-type']).toBe('video/webm');
    expect(res.body).toEqual(BYTES.subarray(0, 100));
  });

  it('serves a single range as 206 with Content-Range', async () => {
    const mid = await get(pngId, { Range: 'bytes=1000-1999' });
    expect(mid.status).toBe(206);
    expect(mid.headers).toMatchObject({ 'content-range': 'bytes 1000-1999/3000', 'content-length': '1000', 'content-type': 'image/png' });
    expect(mid.body).toEqual(BYTES.subarray(1000, 2000));

    const open = await get(pngId, { Range: 'bytes=0-' });
    expect(open.status).toBe(206);
    expect(open.headers['content-range']).toBe('bytes 0-2999/3000');
    expect(open.body).toEqual(BYTES);

    const suffix = await get(pngId, { Range: 'bytes=-500' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe('bytes 2500-2999/3000');
    expect(suffix.body).toEqual(BYTES.subarray(2500));
  });

  it('serves bytes=0-99, the first request of a video player, as 206 with exactly those bytes', async () => {
    const res = await get(pngId, { Range: 'bytes=0-99' });
    expect(res.status).toBe(206);
    expect(res.headers).toMatchObject({ 'content-range': 'bytes 0-99/3000', 'content-length': '100', 'accept-ranges': 'bytes' });
    expect(res.body).toEqual(BYTES.subarray(0, 100));
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const res = await get(pngId, { Range: 'bytes=3000-' });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */3000');
    expect(res.body.length).toBe(0);
  });

  it('serves the whole file for an invalid or multiple range', async () => {
    for (const range of ['bytes=5-2', 'bytes=0-1,5-6']) {
      const res = await get(pngId, { Range: range });
      expect(res.status, range).toBe(200);
      expect(res.body, range).toEqual(BYTES);
    }
  });

  it('honours If-Range: a matching ETag gets the range, a stale one the whole file', async () => {
    const { etag } = (await get(pngId, {}, 'HEAD')).headers;
    const fresh = await get(pngId, { Range: 'bytes=0-9', 'If-Range': String(etag) });
    expect(fresh.status).toBe(206);
    expect(fresh.body).toEqual(BYTES.subarray(0, 10));
    const stale = await get(pngId, { Range: 'bytes=0-9', 'If-Range': '"0-0"' });
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual(BYTES);
  });

  it('HEAD gives the headers of GET without a body', async () => {
    const res = await get(pngId, { Range: 'bytes=10-19' }, 'HEAD');
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('10');
    expect(res.body.length).toBe(0);
  });

  it('404s an unknown id, a record whose file is gone, and anything that is not an id', async () => {
    for (const id of [String(webmId + 1000), String(goneId), '0', 'abc', '1.png', '..%2f..%2fstudio.db', '99999999999999999']) {
      const res = await get(id);
      expect(res.status, id).toBe(404);
      expect(res.body.includes(BYTES.subarray(0, 16)), id).toBe(false);
    }
  });
});
