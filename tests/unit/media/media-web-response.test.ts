/**
 * The desktop app's media responses (studio-protocol.ts hands these to Electron's
 * protocol.handle): the same plan as browser mode, as a streamed web Response.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaFile, type MediaFile } from '../../../main/media/media-file';
import { mediaWebResponse } from '../../../main/media/media-web-response';

let dir: string;
let file: MediaFile;
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 13) & 0xff));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-media-web-'));
  fs.writeFileSync(path.join(dir, 'clip.mp4'), BYTES);
  const found = await findMediaFile((id) => (id === 7 ? path.join(dir, 'clip.mp4') : undefined), '7', dir);
  if (found === undefined) throw new Error('the test file was not found');
  file = found;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const request = (headers: Record<string, string> = {}, method = 'GET') => new Request('studio://media/7', { method, headers });

describe('mediaWebResponse', () => {
  it('streams the whole file with the extra headers', async () => {
    const res = mediaWebResponse(file, request(), { 'Access-Control-Allow-Origin': 'studio://app' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('access-control-allow-origin')).toBe('studio://app');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BYTES);
  });

  it('answers a Range with 206 and only that span', async () => {
    const res = mediaWebResponse(file, request({ Range: 'bytes=-100' }), {});
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 900-999/1000');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BYTES.subarray(900));
  });

  it('416 for a range past the end, and no body for HEAD', async () => {
    const past = mediaWebResponse(file, request({ Range: 'bytes=5000-' }), {});
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
    const head = mediaWebResponse(file, request({}, 'HEAD'), {});
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('finds nothing for an id the lookup does not know or a non-numeric segment', async () => {
    const lookup = (id: number) => (id === 7 ? path.join(dir, 'clip.mp4') : undefined);
    expect(await findMediaFile(lookup, '8', dir)).toBeUndefined();
    expect(await findMediaFile(lookup, '7.mp4', dir)).toBeUndefined();
    expect(await findMediaFile(lookup, '-7', dir)).toBeUndefined();
  });
});
