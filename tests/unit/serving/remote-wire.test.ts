/**
 * What RemoteRunner puts on the wire, seen by a recording v2 server written here: the binary
 * extension's headers and framing, an INT64 timestep where the model declares one, the bearer
 * token, and one kept-alive connection for many calls. Plus the codec's byte-level cases
 * (unaligned slices, NaN/Inf, int64, float16, UTF-8 header lengths).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Denoiser } from '../../../main/runtime/denoiser';
import { decodeTensors, encodeTensors, frameBody, unframeBody } from '../../../main/runtime/remote-codec';
import { tensorFromBytes } from '../../../main/runtime/remote-tensor-data';
import { RemoteRunner } from '../../../main/runtime/remote-runner';

/** A UNet-style export: INT64 timestep [1], fixed batch 1. */
const METADATA = {
  name: 'unet-int64',
  inputs: [
    { name: 'sample', datatype: 'FP32', shape: [1, 4, 8, 8] },
    { name: 'timestep', datatype: 'INT64', shape: [1] },
    { name: 'encoder_hidden_states', datatype: 'FP32', shape: [1, 3, 16] },
  ],
  outputs: [{ name: 'out_sample', datatype: 'FP32', shape: [1, 4, 8, 8] }],
};

interface Seen {
  headers: http.IncomingHttpHeaders;
  header: { id: string; inputs: { name: string; datatype: string; shape: number[]; parameters: { binary_data_size: number } }[]; outputs: unknown };
  binary: Buffer;
}

const seen: Seen[] = [];
let connections = 0;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v2/models/unet-int64/infer') return void res.end(req.url === '/v2/models/unet-int64' ? JSON.stringify(METADATA) : '');
      const body = Buffer.concat(chunks);
      const n = Number(req.headers['inference-header-content-length']);
      const header = JSON.parse(body.subarray(0, n).toString()) as Seen['header'];
      seen.push({ headers: req.headers, header, binary: body.subarray(n) });
      // Answers out_sample = sample + 1, computed from the received bytes.
      const out = Buffer.alloc(256 * 4);
      for (let i = 0; i < 256; i++) out.writeFloatLE(body.readFloatLE(n + i * 4) + 1, i * 4);
      const json = Buffer.from(JSON.stringify({ id: header.id, outputs: [{ name: 'out_sample', datatype: 'FP32', shape: [1, 4, 8, 8], parameters: { binary_data_size: out.length } }] }));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) });
      res.end(Buffer.concat([json, out]));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/models/unet-int64`;
});

afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

describe('RemoteRunner on the wire', () => {
  test('a Denoiser call: binary inputs in declared order, INT64 timestep, binary outputs, bearer token, one connection for many calls', async () => {
    const before = connections;
    const runner = await RemoteRunner.connect(url, { token: 'tk' });
    try {
      const denoiser = new Denoiser(runner);
      const latents = Float32Array.from({ length: 2 * 256 }, (_, i) => i / 7);
      const context = new Float32Array(2 * 3 * 16).fill(0.5);
      // A CFG pair on a batch-1 export: two calls; timestep 730.6 rounds to 731 for an integer model.
      const pred = await denoiser.predict(latents, [4, 8, 8], 730.6, context, [3, 16]);
      expect(Array.from(pred.subarray(0, 3))).toEqual(Array.from(latents.subarray(0, 3), (v) => Math.fround(v + 1)));
      expect(seen).toHaveLength(2);
      const first = seen[0]!;
      expect(first.headers['content-type']).toBe('application/octet-stream');
      expect(first.headers.authorization).toBe('Bearer tk');
      expect(first.header.inputs.map((i) => [i.name, i.datatype, i.shape, i.parameters.binary_data_size])).toEqual([
        ['sample', 'FP32', [1, 4, 8, 8], 1024],
        ['timestep', 'INT64', [1], 8],
        ['encoder_hidden_states', 'FP32', [1, 3, 16], 192],
      ]);
      expect(first.header.outputs).toEqual([{ name: 'out_sample', parameters: { binary_data: true } }]);
      expect(first.binary.length).toBe(1024 + 8 + 192);
      expect(first.binary.readBigInt64LE(1024)).toBe(731n);
      expect(first.binary.readFloatLE(4)).toBe(Math.fround(1 / 7));
      expect(seen[1]!.binary.readFloatLE(0)).toBe(Math.fround(256 / 7));
      expect(new Set(seen.map((s) => s.header.id)).size).toBe(2);
      for (let i = 0; i < 20; i++) await denoiser.predict(latents.subarray(0, 256), [4, 8, 8], 10, context.subarray(0, 48), [3, 16]);
      // The connection opened for connect's checks carried all 22 calls.
      expect(connections - before).toBe(1);
    } finally {
      await runner.dispose();
    }
  });
});

describe('codec', () => {
  test('binary round trip of every supported type is bit-exact, NaN and ±Inf included, from unaligned offsets', () => {
    const f32 = new Float32Array([1.5, NaN, Infinity, -Infinity, -0, 3.4e38]);
    const tensors = [
      { name: 'f32', tensor: { type: 'float32' as const, dims: [2, 3], data: f32 }, binary: true },
      { name: 'i64', tensor: { type: 'int64' as const, dims: [2], data: new BigInt64Array([-(2n ** 62n), 731n]) }, binary: true },
      { name: 'f16', tensor: { type: 'float16' as const, dims: [3], data: new Uint16Array([0x3c00, 0x7e00, 0xfc00]) }, binary: true },
      { name: 'i32', tensor: { type: 'int32' as const, dims: [1], data: new Int32Array([-5]) }, binary: true },
    ];
    const { entries, parts } = encodeTensors(tensors);
    // One leading byte puts every tensor at an odd offset in the received buffer.
    const { body, headerLength } = frameBody({ outputs: entries }, parts);
    const shifted = Buffer.concat([Buffer.from([0]), body]).subarray(1);
    const { header, binary } = unframeBody(shifted, String(headerLength));
    const back = decodeTensors(header.outputs, binary, 'output');
    expect(back.map((t) => [t.name, t.tensor.type, t.tensor.dims])).toEqual(tensors.map((t) => [t.name, t.tensor.type, t.tensor.dims]));
    back.forEach((t, k) => {
      const want = tensors[k]!.tensor.data;
      expect(Buffer.from(t.tensor.data.buffer, t.tensor.data.byteOffset, t.tensor.data.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
    });
    expect(binary.readBigInt64LE(24)).toBe(-(2n ** 62n));
  });

  test('JSON data: INT64 as whole numbers, FP16 as widened floats, null as NaN; non-integers refused', () => {
    const { entries } = encodeTensors([
      { name: 't', tensor: { type: 'int64', dims: [2], data: new BigInt64Array([7n, -3n]) }, binary: false },
      { name: 'h', tensor: { type: 'float16', dims: [1], data: new Uint16Array([0x3e00]) }, binary: false },
    ]);
    expect(entries.map((e) => e.data)).toEqual([[7, -3], [1.5]]);
    const back = decodeTensors([{ name: 'x', datatype: 'FP32', shape: [2], data: [null, 2] }, ...entries], Buffer.alloc(0), 'input');
    expect(Number.isNaN((back[0]!.tensor.data as Float32Array)[0])).toBe(true);
    expect(Array.from(back[1]!.tensor.data as BigInt64Array)).toEqual([7n, -3n]);
    expect(Array.from(back[2]!.tensor.data as Uint16Array)).toEqual([0x3e00]);
    expect(() => decodeTensors([{ name: 't', datatype: 'INT64', shape: [1], data: [1.5] }], Buffer.alloc(0), 'input')).toThrow(/not an integer/);
  });

  test('the header length counts UTF-8 bytes, not characters', () => {
    const { body, headerLength } = frameBody({ inputs: [{ name: 'état' }] }, [Buffer.from([1, 2])]);
    expect(headerLength).toBe(body.length - 2);
    expect(headerLength).toBe(JSON.stringify({ inputs: [{ name: 'état' }] }).length + 1);
    expect(() => tensorFromBytes('x', 'FP32', [2], Buffer.alloc(7))).toThrow(/needs 8 bytes but has 7/);
  });
});
