/**
 * RemoteRunner against `studio serve-model`'s server on 127.0.0.1: the same ONNX file gives
 * the same bits remotely as in a local session (directly and through a Denoiser), metadata
 * maps to ValueInfo, the wire cost is counted, and the loopback overhead per call is measured
 * and printed (reported, not asserted: it depends on the machine).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Denoiser } from '../../../main/runtime/denoiser';
import type { HostTensor } from '../../../main/runtime/host-tensor';
import type { OrtRunner } from '../../../main/runtime/ort-runner';
import { DYNAMIC_DIM } from '../../../main/runtime/remote-datatypes';
import { RemoteRunner } from '../../../main/runtime/remote-runner';
import type { V2Server } from '../../../main/serving/v2-server';
import { MODEL_NAME, openTinyTransformer, serve, tinyFeeds, values } from './serving-fixture';

let local: OrtRunner;
let server: V2Server;
let remote: RemoteRunner;

beforeAll(async () => {
  local = await openTinyTransformer();
  server = await serve(local);
  remote = await RemoteRunner.connect(server.modelUrl(MODEL_NAME), { timeoutMs: 20_000 });
});

afterAll(async () => {
  await remote.dispose();
  await server.close();
  await local.dispose();
});

function bytesOf(t: HostTensor): Buffer {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

describe('RemoteRunner', () => {
  test('declares the served model: names, types, fixed dims, variable dims as symbols', () => {
    expect(remote.provider).toBe('remote');
    expect(remote.endpoint).toBe(server.modelUrl(MODEL_NAME));
    expect(remote.label).toBe(remote.endpoint);
    expect(remote.inputs).toEqual([
      { name: 'hidden_states', type: 'float32', dims: [DYNAMIC_DIM, 4, 8, 8] },
      { name: 'timestep', type: 'float32', dims: [DYNAMIC_DIM] },
      { name: 'encoder_hidden_states', type: 'float32', dims: [DYNAMIC_DIM, DYNAMIC_DIM, 32] },
    ]);
    expect(remote.outputs.map((o) => [o.name, o.type])).toEqual(local.outputs.map((o) => [o.name, o.type]));
  });

  test.each([
    ['batch 1, all outputs', 1, undefined],
    ['batch 2 (a CFG pair), out_sample only', 2, ['out_sample']],
    ['batch 3, the probe outputs in reverse order', 3, ['block_residual', 'modulated_input']],
  ])('%s: outputs are bit-identical to the local session', async (_what, batch, names) => {
    const feeds = tinyFeeds(batch, 100 + batch, 250 + batch);
    const want = await local.run(feeds, names);
    const got = await remote.run(feeds, names);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, t] of Object.entries(want)) {
      expect(got[name]!.dims).toEqual(t.dims);
      expect(got[name]!.type).toBe(t.type);
      expect(bytesOf(got[name]!).equals(bytesOf(t))).toBe(true);
    }
  });

  test('a Denoiser over the remote runner predicts the same bits as over the local one', async () => {
    const latents = values(2 * 256, 41);
    const context = values(2 * 7 * 32, 42);
    const near = await new Denoiser(local).predict(latents, [4, 8, 8], 731.5, context, [7, 32]);
    const far = await new Denoiser(remote).predict(latents, [4, 8, 8], 731.5, context, [7, 32]);
    expect(far.length).toBe(2 * 256);
    expect(Buffer.from(far.buffer, far.byteOffset, far.byteLength).equals(Buffer.from(near.buffer, near.byteOffset, near.byteLength))).toBe(true);
  });

  test('feeds are checked before anything is sent, with the local runner\'s codes', async () => {
    const before = remote.stats().bytesSent;
    const f = tinyFeeds(1, 1);
    await expect(remote.run({ hidden_states: f.hidden_states!, timestep: f.timestep! })).rejects.toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringMatching(/needs input\(s\) encoder_hidden_states/) });
    const wrong = { ...f, hidden_states: { type: 'float32' as const, dims: [1, 4, 4, 4], data: new Float32Array(64) } };
    await expect(remote.run(wrong)).rejects.toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringMatching(/declared float32\[dynamic,4,8,8\] but the pipeline feeds float32\[1,4,4,4\]/) });
    await expect(remote.run(f, ['latents'])).rejects.toMatchObject({ code: 'MODEL_LAYOUT' });
    expect(remote.stats().bytesSent).toBe(before);
  });

  test('stats count calls, body bytes both ways and one latency per call', async () => {
    const runner = await RemoteRunner.connect(server.modelUrl(MODEL_NAME));
    try {
      await runner.run(tinyFeeds(2, 5), ['out_sample']);
      await runner.run(tinyFeeds(2, 6), ['out_sample']);
      const s = runner.stats();
      expect(s.calls).toBe(2);
      expect(s.latencyMs).toHaveLength(2);
      expect(s.latencyMs.every((ms) => ms > 0)).toBe(true);
      // Each request carries 2·(256 + 1 + 160)·4 tensor bytes plus its JSON header; each answer 2·256·4 plus its header.
      const tensorsUp = 2 * (2 * (256 + 1 + 160) * 4);
      expect(s.bytesSent).toBeGreaterThan(tensorsUp);
      expect(s.bytesSent).toBeLessThan(tensorsUp + 2 * 1024);
      expect(s.bytesReceived).toBeGreaterThan(2 * 2 * 256 * 4);
      expect(s.bytesReceived).toBeLessThan(2 * 2 * 256 * 4 + 2 * 512);
    } finally {
      await runner.dispose();
    }
  });

  test('loopback overhead per call (printed)', async () => {
    const feeds = tinyFeeds(2, 9);
    const callsBefore = remote.stats().calls;
    for (let i = 0; i < 5; i++) {
      await local.run(feeds, ['out_sample']);
      await remote.run(feeds, ['out_sample']);
    }
    // Interleaved, so a busy machine slows both sides alike.
    const n = 40;
    const near: number[] = [];
    const far: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const [r, into] of [[local, near], [remote, far]] as const) {
        const t0 = performance.now();
        await r.run(feeds, ['out_sample']);
        into.push(performance.now() - t0);
      }
    }
    near.sort((a, b) => a - b);
    far.sort((a, b) => a - b);
    const median = (a: number[]): number => a[Math.floor(a.length / 2)] as number;
    const p90 = (a: number[]): number => a[Math.floor(a.length * 0.9)] as number;
    const stats = remote.stats();
    const last = stats.latencyMs.slice(-n);
    const perCall = (stats.bytesSent + stats.bytesReceived) / stats.calls;
    console.log(
      `loopback v2 binary, tiny transformer, batch 2, ${n} calls: local median ${median(near).toFixed(3)} ms, ` +
        `remote median ${median(far).toFixed(3)} ms (p90 ${p90(far).toFixed(3)} ms), ` +
        `overhead median ${(median(far) - median(near)).toFixed(3)} ms per call, ~${(perCall / 1024).toFixed(1)} KiB on the wire per call`,
    );
    // The runner's own latency record covers exactly the timed calls, each within the caller's measurement.
    expect(stats.calls - callsBefore).toBe(n + 5);
    expect(Math.max(...last)).toBeLessThanOrEqual(far.at(-1) as number);
  });
});
