/**
 * Shared set-up for the serving tests: the tiny pipeline's transformer served over v2 on an
 * ephemeral 127.0.0.1 port, deterministic feeds for it, and raw HTTP helpers that build
 * requests byte by byte (independently of the codec under test).
 */
import path from 'node:path';
import type { HostTensor } from '../../../main/runtime/host-tensor';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { startV2Server, type V2Server, type V2ServerOptions } from '../../../main/serving/v2-server';
import { TINY_DIR } from '../../helpers/runtime-fixture';

export const TINY_TRANSFORMER = path.join(TINY_DIR, 'transformer', 'model.onnx');
export const MODEL_NAME = 'tiny-transformer';

export function openTinyTransformer(): Promise<OrtRunner> {
  return OrtRunner.create(TINY_TRANSFORMER, { label: 'transformer/model.onnx', provider: 'cpu' });
}

/** A server for `runner` on 127.0.0.1, any free port. */
export function serve(runner: OrtRunner, extra: Partial<V2ServerOptions> = {}): Promise<V2Server> {
  return startV2Server({ models: [{ name: MODEL_NAME, runner }], host: '127.0.0.1', port: 0, ...extra });
}

/** Values in [-2, 2) from a fixed linear congruential sequence (no Math.random: runs are repeatable). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 4 - 2;
  }
  return out;
}

/** Feeds for the tiny transformer: batch B, a 5-token context, timestep t. */
export function tinyFeeds(batch: number, seed: number, t = 500): Record<string, HostTensor> {
  return {
    hidden_states: { type: 'float32', dims: [batch, 4, 8, 8], data: values(batch * 256, seed) },
    timestep: { type: 'float32', dims: [batch], data: new Float32Array(batch).fill(t) },
    encoder_hidden_states: { type: 'float32', dims: [batch, 5, 32], data: values(batch * 5 * 32, seed + 1) },
  };
}

/** The bytes of a Float32Array, little-endian, written value by value. */
export function f32le(data: Float32Array): Buffer {
  const buf = Buffer.alloc(data.length * 4);
  data.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf;
}

/** Float32 values read value by value from little-endian bytes at any offset. */
export function readF32le(buf: Buffer, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = buf.readFloatLE(offset + i * 4);
  return out;
}

/** A binary-extension body: JSON header then the parts, with the header length to send. */
export function binaryBody(header: unknown, parts: Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...parts]), headerLength: json.length };
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** One request with fetch (not the runner's http client), bounded by 20 s. */
export async function raw(url: string, init: { method?: string; body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const res = await fetch(url, { method: init.method ?? 'GET', ...(init.body === undefined ? {} : { body: init.body }), headers: init.headers ?? {}, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The JSON of an answer (the whole body, or its header part when it carries binary data). */
export function jsonOf(a: RawAnswer): Record<string, unknown> {
  const n = a.headers.get('inference-header-content-length');
  return JSON.parse(a.body.subarray(0, n === null ? a.body.length : Number(n)).toString('utf8')) as Record<string, unknown>;
}
