/**
 * How RemoteRunner fails: unreachable port, refused token, unknown model, and a deliberately
 * bad v2 server (written here) that answers with the wrong dtype or shape, garbage, an HTTP
 * error, a connection cut mid-answer, or no answer at all. Each failure is a StudioError with a
 * code the caller can act on; only connection failures before any answer are retried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import type { OrtRunner } from '../../../main/runtime/ort-runner';
import { RemoteRunner } from '../../../main/runtime/remote-runner';
import type { V2Server } from '../../../main/serving/v2-server';
import { binaryBody, MODEL_NAME, openTinyTransformer, serve, tinyFeeds } from './serving-fixture';

/** The tiny transformer's metadata, as a correct server reports it. */
const METADATA = {
  name: MODEL_NAME,
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [
    { name: 'hidden_states', datatype: 'FP32', shape: [-1, 4, 8, 8] },
    { name: 'timestep', datatype: 'FP32', shape: [-1] },
    { name: 'encoder_hidden_states', datatype: 'FP32', shape: [-1, -1, 32] },
  ],
  outputs: [{ name: 'out_sample', datatype: 'FP32', shape: [-1, 4, 8, 8] }],
};

type Infer = (res: http.ServerResponse, requestId: string) => void;

interface BadServer {
  modelUrl: string;
  /** Infer requests that reached the server. */
  inferCalls(): number;
  close(): Promise<void>;
}

/** A v2 server whose health and metadata are right and whose infer answer is `infer`'s. */
async function badServer(infer: Infer, metadata: unknown = METADATA): Promise<BadServer> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/v2/health/ready' || path.endsWith('/ready')) return void res.end('');
      if (path === `/v2/models/${MODEL_NAME}`) {
        res.setHeader('content-type', 'application/json');
        return void res.end(typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
      }
      if (path === `/v2/models/${MODEL_NAME}/infer`) {
        calls++;
        const body = Buffer.concat(chunks);
        const n = Number(req.headers['inference-header-content-length'] ?? body.length);
        const id = (JSON.parse(body.subarray(0, n).toString()) as { id: string }).id;
        return infer(res, id);
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not here"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    modelUrl: `http://127.0.0.1:${port}/v2/models/${MODEL_NAME}`,
    inferCalls: () => calls,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A binary answer with one out_sample entry of the given datatype and shape over `bytes`. */
function answer(res: http.ServerResponse, id: string, datatype: string, shape: number[], bytes: Buffer): void {
  const { body, headerLength } = binaryBody({ model_name: MODEL_NAME, id, outputs: [{ name: 'out_sample', datatype, shape, parameters: { binary_data_size: bytes.length } }] }, [bytes]);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength), 'content-length': String(body.length) });
  res.end(body);
}

/** The StudioError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

const FEEDS = tinyFeeds(2, 1);

/** Connects to a bad server with `infer`, runs once, and returns the failure and the infer count. */
async function runAgainst(infer: Infer, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ err: StudioError; calls: number }> {
  const bad = await badServer(infer);
  const runner = await RemoteRunner.connect(bad.modelUrl, { timeoutMs: options.timeoutMs ?? 10_000 });
  try {
    const err = await failure(runner.run(FEEDS, ['out_sample'], options.signal));
    return { err, calls: bad.inferCalls() };
  } finally {
    await bad.close();
    await runner.dispose();
  }
}

describe('connecting', () => {
  let local: OrtRunner;
  let server: V2Server;
  beforeAll(async () => {
    local = await openTinyTransformer();
    server = await serve(local, { token: 's3cret' });
  });
  afterAll(async () => {
    await server.close();
    await local.dispose();
  });

  test('an unreachable port → REMOTE_UNAVAILABLE after the bounded retries', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const started = performance.now();
    const err = await failure(RemoteRunner.connect(`http://127.0.0.1:${port}/v2/models/${MODEL_NAME}`, { retries: 2 }));
    expect(err.code).toBe('REMOTE_UNAVAILABLE');
    expect(err.message).toMatch(/Cannot reach .* nothing is listening there \(ECONNREFUSED\) \(tried 3 times\)/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('a wrong or missing token → REMOTE_AUTH, and the token never appears in the message', async () => {
    const wrong = await failure(RemoteRunner.connect(server.modelUrl(MODEL_NAME), { token: 'not-the-token' }));
    expect(wrong.code).toBe('REMOTE_AUTH');
    expect(wrong.message).toMatch(/HTTP 401 .*the token was refused/);
    expect(wrong.message).not.toContain('not-the-token');
    const none = await failure(RemoteRunner.connect(server.modelUrl(MODEL_NAME)));
    expect(none.code).toBe('REMOTE_AUTH');
    expect(none.message).toMatch(/expects a bearer token and none was given/);
    const ok = await RemoteRunner.connect(server.modelUrl(MODEL_NAME), { token: 's3cret' });
    expect(ok.inputs).toHaveLength(3);
    await ok.dispose();
  });

  test('an unknown model name → MODEL_NOT_FOUND naming the models the server has', async () => {
    const err = await failure(RemoteRunner.connect(`${server.url}/v2/models/emoji-unet`, { token: 's3cret' }));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toMatch(/no model "emoji-unet" \(HTTP 404: .*\); it has: tiny-transformer\./);
  });

  test('an unknown model on a server without a repository index says the list is unavailable', async () => {
    const bad = await badServer(() => undefined);
    try {
      const err = await failure(RemoteRunner.connect(bad.modelUrl.replace(MODEL_NAME, 'other')));
      expect(err.code).toBe('MODEL_NOT_FOUND');
      expect(err.message).toMatch(/the server does not list its models/);
    } finally {
      await bad.close();
    }
  });

  test('metadata that is not v2 → REMOTE_PROTOCOL; a URL that is not a model URL, or a bad option → INVALID_REQUEST', async () => {
    const html = await badServer(() => undefined, '<html>hello</html>');
    const noInputs = await badServer(() => undefined, { name: MODEL_NAME });
    try {
      expect(await failure(RemoteRunner.connect(html.modelUrl))).toMatchObject({ code: 'REMOTE_PROTOCOL', message: expect.stringMatching(/not JSON/) });
      expect(await failure(RemoteRunner.connect(noInputs.modelUrl))).toMatchObject({ code: 'REMOTE_PROTOCOL', message: expect.stringMatching(/no "inputs" list/) });
    } finally {
      await html.close();
      await noInputs.close();
    }
    expect(await failure(RemoteRunner.connect('http://127.0.0.1:1/v1/models/x:predict'))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await failure(RemoteRunner.connect(`http://127.0.0.1:1/v2/models/x`, { token: 'two\nlines' }))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.not.stringContaining('lines') });
    expect(await failure(RemoteRunner.connect(`http://127.0.0.1:1/v2/models/x`, { retries: -1 }))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/retries must be an integer 0..10/) });
    expect(await failure(RemoteRunner.connect('http://user:pw@127.0.0.1:1/v2/models/x'))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.not.stringContaining('pw') });
  });
});

describe('running against a bad server', () => {
  const outBytes = Buffer.alloc(2 * 256 * 4);

  test('the wrong dtype → REMOTE_PROTOCOL naming declared and received', async () => {
    const { err } = await runAgainst((res, id) => answer(res, id, 'INT32', [2, 4, 8, 8], outBytes));
    expect(err.code).toBe('REMOTE_PROTOCOL');
    expect(err.message).toMatch(/output "out_sample" is declared float32\[dynamic,4,8,8\] but the server sent int32\[2,4,8,8\]/);
  });

  test('the wrong shape → REMOTE_PROTOCOL', async () => {
    const { err } = await runAgainst((res, id) => answer(res, id, 'FP32', [2, 4, 16, 4], outBytes));
    expect(err.code).toBe('REMOTE_PROTOCOL');
    expect(err.message).toMatch(/but the server sent float32\[2,4,16,4\]/);
  });

  test('bytes that do not fit the shape, a header length past the body, garbage and a missing output → REMOTE_PROTOCOL', async () => {
    const cases: [Infer, RegExp][] = [
      [(res, id) => answer(res, id, 'FP32', [2, 4, 8, 8], outBytes.subarray(4)), /needs 2048 bytes but has 2044/],
      [(res) => void res.writeHead(200, { 'inference-header-content-length': '99999' }).end('{}'), /Inference-Header-Content-Length is "99999" but the body has 2 bytes/],
      [(res) => void res.writeHead(200, { 'inference-header-content-length': '6' }).end(Buffer.from([0x7b, 0xff, 0x00, 0x13, 0x88, 0x01, 0x02])), /JSON header does not parse/],
      [(res) => void res.writeHead(200).end('\u0000\u0001garbage'), /JSON header does not parse/],
      [(res, id) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, outputs: [] })), /lacks output "out_sample" \(it has: none\)/],
      [(res) => answer(res, 'someone-else', 'FP32', [2, 4, 8, 8], outBytes), /answered request "1" with the response to "someone-else"/],
    ];
    for (const [infer, message] of cases) {
      const { err } = await runAgainst(infer);
      expect(err.code).toBe('REMOTE_PROTOCOL');
      expect(err.message).toMatch(message);
    }
  });

  test('HTTP errors are reported with the server\'s words and never retried', async () => {
    const cases: [number, string][] = [
      [500, 'REMOTE_UNAVAILABLE'],
      [503, 'REMOTE_UNAVAILABLE'],
      [400, 'REMOTE_PROTOCOL'],
      [413, 'REMOTE_PROTOCOL'],
    ];
    for (const [status, code] of cases) {
      const { err, calls } = await runAgainst((res) => void res.writeHead(status, { 'content-type': 'application/json' }).end(`{"error":"reason ${status}"}`));
      expect(err.code).toBe(code);
      expect(err.message).toContain(`reason ${status}`);
      expect(calls).toBe(1);
    }
  });

  test('a server that dies mid-run (connection closed before any answer) → retried, then REMOTE_UNAVAILABLE', async () => {
    const { err, calls } = await runAgainst((res) => res.socket?.destroy());
    expect(err.code).toBe('REMOTE_UNAVAILABLE');
    expect(err.message).toMatch(/closed the connection before answering.*\(tried 3 times\)/);
    expect(calls).toBe(3);
  });

  test('a connection cut halfway through the answer → REMOTE_UNAVAILABLE, not retried (the server did the work)', async () => {
    const { err, calls } = await runAgainst((res) => {
      res.writeHead(200, { 'content-length': '5000', 'inference-header-content-length': '100' });
      res.write(Buffer.alloc(1000, 32));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect(err.code).toBe('REMOTE_UNAVAILABLE');
    expect(err.message).toMatch(/dropped the connection during inference/);
    expect(calls).toBe(1);
  });

  test('no answer within timeoutMs → REMOTE_UNAVAILABLE; the caller\'s abort → CANCELLED', async () => {
    const silent: Infer = () => undefined;
    const started = performance.now();
    const { err } = await runAgainst(silent, { timeoutMs: 300 });
    expect(err.code).toBe('REMOTE_UNAVAILABLE');
    expect(err.message).toMatch(/did not complete inference within 300 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await runAgainst(silent, { signal: controller.signal });
    expect(cancelled.err.code).toBe('CANCELLED');
  });
});
