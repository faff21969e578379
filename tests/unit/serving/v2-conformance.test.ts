/**
 * `studio serve-model`'s server against the Open Inference Protocol (KServe v2 REST) and
 * Triton's binary tensor extension, spoken by hand with fetch: paths and methods, metadata,
 * JSON-only and binary inference, and the errors the protocol asks for.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrtRunner } from '../../../main/runtime/ort-runner';
import type { V2Server } from '../../../main/serving/v2-server';
import { binaryBody, f32le, jsonOf, MODEL_NAME, openTinyTransformer, raw, readF32le, serve, tinyFeeds, values } from './serving-fixture';

let runner: OrtRunner;
let server: V2Server;
let model: string;

beforeAll(async () => {
  runner = await openTinyTransformer();
  server = await serve(runner, { maxBodyBytes: 256 * 1024, version: '9.9.9' });
  model = server.modelUrl(MODEL_NAME);
});

afterAll(async () => {
  await server.close();
  await runner.dispose();
});

/** The local session's out_sample for the same feeds: what every answer must equal bit for bit. */
async function expected(batch: number, seed: number): Promise<Float32Array> {
  return (await runner.run(tinyFeeds(batch, seed), ['out_sample'])).out_sample!.data as Float32Array;
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

describe('paths, methods and metadata', () => {
  test('health, server metadata and model readiness answer 200, with and without /versions/1', async () => {
    expect((await raw(`${server.url}/v2/health/live`)).status).toBe(200);
    expect((await raw(`${server.url}/v2/health/ready`)).status).toBe(200);
    const meta = await raw(`${server.url}/v2`);
    expect(jsonOf(meta)).toEqual({ name: 'diffusion-studio', version: '9.9.9', extensions: ['binary_tensor_data'] });
    expect((await raw(`${model}/ready`)).status).toBe(200);
    expect((await raw(`${model}/versions/1/ready`)).status).toBe(200);
  });

  test('model metadata mirrors the ONNX graph: v2 datatypes, -1 for symbolic dims', async () => {
    const expectedMeta = {
      name: MODEL_NAME,
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'hidden_states', datatype: 'FP32', shape: [-1, 4, 8, 8] },
        { name: 'timestep', datatype: 'FP32', shape: [-1] },
        { name: 'encoder_hidden_states', datatype: 'FP32', shape: [-1, -1, 32] },
      ],
      outputs: [
        { name: 'out_sample', datatype: 'FP32', shape: [-1, 4, 8, 8] },
        { name: 'modulated_input', datatype: 'FP32', shape: [-1, 64, 64] },
        { name: 'block_residual', datatype: 'FP32', shape: [-1, 64, 64] },
      ],
    };
    expect(jsonOf(await raw(model))).toEqual(expectedMeta);
    expect(jsonOf(await raw(`${model}/versions/1`))).toEqual(expectedMeta);
  });

  test('repository index lists the served model', async () => {
    const a = await raw(`${server.url}/v2/repository/index`, { method: 'POST', body: '{}' });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body.toString())).toEqual([{ name: MODEL_NAME, version: '1', state: 'READY' }]);
  });

  test('a wrong method is 405 with Allow; unknown paths, models and versions are 404, all with a JSON error', async () => {
    const wrong = await raw(`${model}/infer`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(jsonOf(wrong).error).toMatch(/use POST/);
    expect((await raw(model, { method: 'POST', body: '{}' })).status).toBe(405);
    const cases: [string, RegExp][] = [
      [`${server.url}/v2/nothing`, /no endpoint/],
      [`${server.url}/v2/models/emoji-unet`, /no model "emoji-unet".*serves: tiny-transformer/],
      [`${model}/versions/2`, /no version "2"/],
    ];
    for (const [url, message] of cases) {
      const a = await raw(url);
      expect(a.status).toBe(404);
      expect(a.headers.get('content-type')).toBe('application/json');
      expect(jsonOf(a).error).toMatch(message);
    }
  });
});

describe('inference', () => {
  test('JSON only: flat and nested data give the local outputs exactly; id and model_name echoed; all outputs by default', async () => {
    const f = tinyFeeds(1, 7);
    const hs = Array.from(f.hidden_states!.data as Float32Array);
    // hidden_states nested [1][4][8][8], the others flat.
    const nested = [Array.from({ length: 4 }, (_, c) => Array.from({ length: 8 }, (_, y) => hs.slice(c * 64 + y * 8, c * 64 + y * 8 + 8)))];
    const request = {
      id: 'job7:s3:a0',
      parameters: { some_unknown_parameter: 3 },
      inputs: [
        { name: 'hidden_states', shape: [1, 4, 8, 8], datatype: 'FP32', data: nested },
        { name: 'timestep', shape: [1], datatype: 'FP32', data: [500] },
        { name: 'encoder_hidden_states', shape: [1, 5, 32], datatype: 'FP32', data: Array.from(f.encoder_hidden_states!.data as Float32Array) },
      ],
    };
    const a = await raw(`${model}/infer`, { method: 'POST', body: JSON.stringify(request), headers: { 'content-type': 'application/json' } });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(a.headers.get('inference-header-content-length')).toBeNull();
    const answer = JSON.parse(a.body.toString()) as { model_name: string; model_version: string; id: string; outputs: { name: string; datatype: string; shape: number[]; data: number[] }[] };
    expect(answer.model_name).toBe(MODEL_NAME);
    expect(answer.model_version).toBe('1');
    expect(answer.id).toBe('job7:s3:a0');
    expect(answer.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([
      ['out_sample', 'FP32', [1, 4, 8, 8]],
      ['modulated_input', 'FP32', [1, 64, 64]],
      ['block_residual', 'FP32', [1, 64, 64]],
    ]);
    // A float32 printed as a JSON double parses back to the same float32.
    expect(bits(Float32Array.from(answer.outputs[0]!.data))).toEqual(bits(await expected(1, 7)));
  });

  test('binary: header length honoured, outputs in the requested order at accumulated offsets, bit-exact', async () => {
    const f = tinyFeeds(2, 11);
    const parts = [f32le(f.hidden_states!.data as Float32Array), f32le(f.timestep!.data as Float32Array), f32le(f.encoder_hidden_states!.data as Float32Array)];
    const header = {
      inputs: [
        { name: 'hidden_states', shape: [2, 4, 8, 8], datatype: 'FP32', parameters: { binary_data_size: parts[0]!.length } },
        { name: 'timestep', shape: [2], datatype: 'FP32', parameters: { binary_data_size: parts[1]!.length } },
        { name: 'encoder_hidden_states', shape: [2, 5, 32], datatype: 'FP32', parameters: { binary_data_size: parts[2]!.length } },
      ],
      // block_residual first: offsets follow the answer's order, not the model's.
      outputs: [{ name: 'block_residual', parameters: { binary_data: true } }, { name: 'out_sample', parameters: { binary_data: true } }],
    };
    const { body, headerLength } = binaryBody(header, parts);
    const a = await raw(`${model}/infer`, { method: 'POST', body, headers: { 'inference-header-content-length': String(headerLength), 'content-type': 'application/octet-stream' } });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/octet-stream');
    const json = jsonOf(a) as { outputs: { name: string; shape: number[]; parameters: { binary_data_size: number } }[] };
    expect(json.outputs.map((o) => [o.name, o.shape, o.parameters.binary_data_size])).toEqual([
      ['block_residual', [2, 64, 64], 2 * 64 * 64 * 4],
      ['out_sample', [2, 4, 8, 8], 2 * 256 * 4],
    ]);
    const start = Number(a.headers.get('inference-header-content-length'));
    expect(a.body.length).toBe(start + 2 * 64 * 64 * 4 + 2 * 256 * 4);
    const local = await runner.run(f, ['out_sample', 'block_residual']);
    expect(bits(readF32le(a.body, start, 2 * 64 * 64))).toEqual(bits(local.block_residual!.data as Float32Array));
    expect(bits(readF32le(a.body, start + 2 * 64 * 64 * 4, 2 * 256))).toEqual(bits(local.out_sample!.data as Float32Array));
  });

  test('mixed JSON and binary inputs; binary_data_output with a per-output override to JSON; NaN passes bit-exact', async () => {
    const f = tinyFeeds(1, 3);
    const hs = f.hidden_states!.data as Float32Array;
    hs[5] = NaN;
    const parts = [f32le(hs), f32le(f.encoder_hidden_states!.data as Float32Array)];
    const header = {
      parameters: { binary_data_output: true },
      inputs: [
        { name: 'hidden_states', shape: [1, 4, 8, 8], datatype: 'FP32', parameters: { binary_data_size: parts[0]!.length } },
        { name: 'timestep', shape: [1], datatype: 'FP32', data: [500] },
        { name: 'encoder_hidden_states', shape: [1, 5, 32], datatype: 'FP32', parameters: { binary_data_size: parts[1]!.length } },
      ],
      outputs: [{ name: 'out_sample' }, { name: 'modulated_input', parameters: { binary_data: false } }],
    };
    const { body, headerLength } = binaryBody(header, parts);
    const a = await raw(`${model}/infer`, { method: 'POST', body, headers: { 'inference-header-content-length': String(headerLength) } });
    expect(a.status).toBe(200);
    const json = jsonOf(a) as { outputs: { name: string; data?: number[]; parameters?: { binary_data_size?: number } }[] };
    expect(json.outputs[0]!.parameters?.binary_data_size).toBe(256 * 4);
    expect(json.outputs[1]!.data).toHaveLength(64 * 64);
    const local = await runner.run(f, ['out_sample', 'modulated_input']);
    const got = readF32le(a.body, Number(a.headers.get('inference-header-content-length')), 256);
    expect(Number.isNaN(got[0])).toBe(Number.isNaN((local.out_sample!.data as Float32Array)[0]));
    expect(bits(got)).toEqual(bits(local.out_sample!.data as Float32Array));
  });
});

describe('refusals', () => {
  const post = (body: Buffer | string, headers: Record<string, string> = {}): ReturnType<typeof raw> => raw(`${model}/infer`, { method: 'POST', body, headers });
  const json = (inputs: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ inputs, ...extra });
  const ts = { name: 'timestep', shape: [1], datatype: 'FP32', data: [1] };
  const ctx = { name: 'encoder_hidden_states', shape: [1, 5, 32], datatype: 'FP32', data: Array.from(values(160, 1)) };
  const hs = { name: 'hidden_states', shape: [1, 4, 8, 8], datatype: 'FP32', data: Array.from(values(256, 2)) };

  test.each([
    ['a wrong fixed dim', json([{ ...hs, shape: [1, 4, 8, 4], data: hs.data.slice(0, 128) }, ts, ctx]), /"hidden_states" is FP32\[1,4,8,4\] but the model declares FP32\[-1,4,8,8\]/],
    ['a wrong datatype', json([hs, { ...ts, datatype: 'INT64' }, ctx]), /"timestep" is INT64\[1\] but the model declares FP32\[-1\]/],
    ['a data length that does not fit the shape', json([{ ...hs, data: hs.data.slice(1) }, ts, ctx]), /needs 256 values but data has 255/],
    ['a missing input', json([hs, ctx]), /missing input\(s\) timestep/],
    ['an unknown input', json([hs, ts, ctx, { ...ts, name: 'guidance' }]), /unknown input "guidance"/],
    ['an unknown output', json([hs, ts, ctx], { outputs: [{ name: 'latents' }] }), /unknown output "latents"/],
    ['batch sizes that disagree', json([hs, { ...ts, shape: [2], data: [1, 1] }, ctx]), /dim 0 \(batch\) is 2 but input "hidden_states" has batch = 1/],
    ['both data and binary_data_size', json([{ ...hs, parameters: { binary_data_size: 1024 } }, ts, ctx]), /both "data" and "binary_data_size"/],
    ['strings in data', json([{ ...ts, data: ['1'] }, hs, ctx]), /holds a string/],
    ['an unsupported datatype', json([{ ...ts, datatype: 'BYTES' }, hs, ctx]), /datatype BYTES/],
    ['bad JSON', '{"inputs": [', /JSON header does not parse/],
    ['a JSON array', '[]', /not an object/],
  ])('%s → 400 with a JSON error', async (_what, body, message) => {
    const a = await post(body);
    expect(a.status).toBe(400);
    expect(jsonOf(a).error).toMatch(message);
  });

  test('binary framing errors → 400: header length past the body, sizes that do not add up', async () => {
    const part = f32le(values(256, 2));
    const header = { inputs: [{ name: 'hidden_states', shape: [1, 4, 8, 8], datatype: 'FP32', parameters: { binary_data_size: 1024 } }, ts, ctx] };
    const { body, headerLength } = binaryBody(header, [part]);
    const past = await post(body, { 'inference-header-content-length': String(body.length + 1) });
    expect(past.status).toBe(400);
    expect(jsonOf(past).error).toMatch(/Inference-Header-Content-Length/);
    const short = await post(body.subarray(0, body.length - 4), { 'inference-header-content-length': String(headerLength) });
    expect(short.status).toBe(400);
    expect(jsonOf(short).error).toMatch(/claims 1024 bytes at offset 0, but the binary section has 1020/);
    const extra = await post(Buffer.concat([body, Buffer.alloc(8)]), { 'inference-header-content-length': String(headerLength) });
    expect(extra.status).toBe(400);
    expect(jsonOf(extra).error).toMatch(/binary section has 1032 bytes but the inputs use 1024/);
  });

  test('a body over the limit → 413, and the server keeps serving', async () => {
    const a = await post(Buffer.alloc(300 * 1024, 32));
    expect(a.status).toBe(413);
    expect(jsonOf(a).error).toMatch(/exceeds the limit of 262144 bytes/);
    expect((await raw(`${model}/ready`)).status).toBe(200);
  });
});

describe('load', () => {
  test('more infer requests in progress than maxPending → 503 for the extra one; the held one still completes', async () => {
    const small = await serve(runner, { maxPending: 1 });
    try {
      const url = new URL(`${small.modelUrl(MODEL_NAME)}/infer`);
      const request = JSON.stringify({ inputs: [
        { name: 'hidden_states', shape: [1, 4, 8, 8], datatype: 'FP32', data: Array.from(values(256, 2)) },
        { name: 'timestep', shape: [1], datatype: 'FP32', data: [1] },
        { name: 'encoder_hidden_states', shape: [1, 5, 32], datatype: 'FP32', data: Array.from(values(160, 1)) },
      ] });
      // The first request holds its slot while its body is only half sent.
      const held = http.request(url, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(request)) } });
      const heldAnswer = new Promise<number>((resolve, reject) => {
        held.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        held.on('error', reject);
      });
      held.write(request.slice(0, 100));
      for (let i = 0; i < 200 && small.pending() === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(small.pending()).toBe(1);
      const busy = await raw(url.href, { method: 'POST', body: request });
      expect(busy.status).toBe(503);
      expect(jsonOf(busy).error).toMatch(/busy: 1 inference requests/);
      held.end(request.slice(100));
      expect(await heldAnswer).toBe(200);
      expect((await raw(url.href, { method: 'POST', body: request })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('bearer token', () => {
  test('missing or wrong token → 401 with WWW-Authenticate; health stays open; the right token passes', async () => {
    const guarded = await serve(runner, { token: 's3cret' });
    try {
      const url = guarded.modelUrl(MODEL_NAME);
      expect((await raw(`${guarded.url}/v2/health/ready`)).status).toBe(200);
      const none = await raw(url);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect(jsonOf(none).error).toMatch(/needs "Authorization: Bearer/);
      const wrong = await raw(`${url}/infer`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer s3cret2' } });
      expect(wrong.status).toBe(401);
      expect(jsonOf(wrong).error).toMatch(/not valid/);
      expect((await raw(`${guarded.url}/v2`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect((await raw(url, { headers: { authorization: 'bearer s3cret' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
