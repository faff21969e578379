/**
 * A ModelRunner (runner.ts) whose model runs on another machine, behind a server speaking the
 * Open Inference Protocol (KServe v2 REST: Triton, KServe, or `studio serve-model`).
 *
 * connect() checks server readiness (`GET /v2/health/ready`), reads the model's declared
 * inputs and outputs (`GET /v2/models/{name}`: datatypes FP32/INT64/…, -1 for a variable dim)
 * and its readiness (`…/ready`). run() POSTs `…/infer` with Triton's binary tensor extension:
 * every input goes as raw little-endian bytes of the type the model declares (FP32 latents,
 * FP32 or INT64 timesteps), and every output is asked for as binary, so a remote run returns
 * the very bits the same ONNX file gives in a local session on the same execution provider.
 *
 * Each HTTP exchange runs under AbortSignal.timeout(timeoutMs) combined with the caller's
 * signal; a connection failure before any answer is retried (at most `retries` more times),
 * an HTTP error never. stats() counts what the infer calls cost on the wire.
 */
import type http from 'node:http';
import { StudioError } from '../../contract/errors';
import type { HostTensor, ValueInfo } from './host-tensor';
import { decodeTensors, encodeTensors, frameBody, unframeBody } from './remote-codec';
import { V2FormatError } from './remote-tensor-data';
import { parseModelUrl, type ModelEndpoint } from './remote-endpoint';
import { exchangeError, serverMessage, statusError } from './remote-errors';
import { createAgent, exchangeWithRetries, type HttpResponse } from './remote-http';
import { checkAnswer, checkFeeds, parseModelMetadata } from './remote-metadata';
import type { ModelRunner } from './runner';

export interface RemoteRunnerOptions {
  /** Sent as `Authorization: Bearer <token>`; never written to messages. */
  token?: string;
  /** Limit for each HTTP exchange (each check on connect, each run), in ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra attempts after a connection failure before any answer. Default 2. */
  retries?: number;
  /** Largest answer accepted, in bytes. Default 1 GiB. */
  maxResponseBytes?: number;
}

/** What the infer calls cost: answered calls, request/response body bytes (HTTP headers, ~0.3 KB a call, not counted). */
export interface RemoteStats {
  calls: number;
  /** Request bodies put on the wire, retried attempts included. */
  bytesSent: number;
  /** Response bodies received. */
  bytesReceived: number;
  /** Wall time of each answered call, from sending the request to the last byte of the answer (ms). */
  latencyMs: number[];
  /** Time inside the model of each call, when the server reports it (`parameters.compute_ms`, as `studio serve-model` does). */
  serverComputeMs: number[];
}

export const REMOTE_DEFAULTS = { timeoutMs: 60_000, retries: 2, maxResponseBytes: 2 ** 30 } as const;

type Settings = Required<Omit<RemoteRunnerOptions, 'token'>> & { token?: string };

interface Call {
  method: 'GET' | 'POST';
  url: URL;
  what: string;
  body?: Buffer;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onAttempt?: (bytes: number) => void;
}

/** Options over the defaults; an option given as undefined keeps its default. @throws StudioError INVALID_REQUEST */
function settle(options: RemoteRunnerOptions): Settings {
  const pick = (v: number | undefined, fallback: number, name: string, min: number, max: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < min || v > max) throw new StudioError('INVALID_REQUEST', `Remote runner option ${name} must be an integer ${min}..${max} (got ${v}).`, name);
    return v;
  };
  // Checked here because Node would throw a bare TypeError on a header with control characters.
  if (options.token !== undefined && !/^[\x21-\x7e]+$/.test(options.token)) {
    throw new StudioError('INVALID_REQUEST', 'The remote token must be non-empty printable ASCII without spaces.', 'token');
  }
  return {
    timeoutMs: pick(options.timeoutMs, REMOTE_DEFAULTS.timeoutMs, 'timeoutMs', 1, 2 ** 31 - 1),
    retries: pick(options.retries, REMOTE_DEFAULTS.retries, 'retries', 0, 10),
    maxResponseBytes: pick(options.maxResponseBytes, REMOTE_DEFAULTS.maxResponseBytes, 'maxResponseBytes', 1, 2 ** 32),
    ...(options.token === undefined ? {} : { token: options.token }),
  };
}

/** One exchange with timeout, retries and error mapping; resolves to the answer whatever its status. */
async function send(agent: http.Agent, ep: ModelEndpoint, s: Settings, call: Call): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(s.timeoutMs);
  const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json, application/octet-stream', ...call.headers };
  if (s.token !== undefined) headers.authorization = `Bearer ${s.token}`;
  try {
    const req = { method: call.method, url: call.url, headers, signal, maxResponseBytes: s.maxResponseBytes, ...(call.body ? { body: call.body } : {}) };
    return await exchangeWithRetries(agent, req, s.retries, call.onAttempt);
  } catch (err) {
    throw exchangeError(err, ep.url, call.what, s.timeoutMs, call.signal);
  }
}

/** MODEL_NOT_FOUND naming the models the server has, when it offers a repository index. */
async function modelNotFound(agent: http.Agent, ep: ModelEndpoint, s: Settings, res: HttpResponse): Promise<StudioError> {
  let has = 'the server does not list its models (no repository index)';
  try {
    const index = await send(agent, ep, s, { method: 'POST', url: ep.repositoryIndex, what: 'the model list', body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } });
    const list: unknown = index.status === 200 ? JSON.parse(index.body.toString('utf8')) : undefined;
    if (Array.isArray(list)) {
      const names = list.map((m) => (m as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string');
      has = names.length > 0 ? `it has: ${names.join(', ')}` : 'it lists no models';
    }
  } catch {
    // The listing is a courtesy: the 404 itself is the error.
  }
  const version = ep.version === undefined ? '' : ` version ${ep.version}`;
  return new StudioError('MODEL_NOT_FOUND', `${ep.url}: the server has no model "${ep.name}"${version} (HTTP ${res.status}: ${serverMessage(res)}); ${has}.`, ep.url);
}

export class RemoteRunner implements ModelRunner {
  readonly provider = 'remote' as const;
  readonly label: string;
  readonly endpoint: string;
  private seq = 0;
  private disposed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly counters: RemoteStats = { calls: 0, bytesSent: 0, bytesReceived: 0, latencyMs: [], serverComputeMs: [] };

  private constructor(
    private readonly ep: ModelEndpoint,
    private readonly settings: Settings,
    private readonly agent: http.Agent,
    readonly inputs: readonly ValueInfo[],
    readonly outputs: readonly ValueInfo[],
  ) {
    this.label = ep.url;
    this.endpoint = ep.url;
  }

  /**
   * Checks the server and the model, and reads the model's declared inputs and outputs.
   * @param url the model URL, e.g. http://127.0.0.1:8000/v2/models/emoji-transformer
   * @throws StudioError INVALID_REQUEST (URL) | REMOTE_UNAVAILABLE | REMOTE_AUTH | MODEL_NOT_FOUND | REMOTE_PROTOCOL
   */
  static async connect(url: string, options: RemoteRunnerOptions = {}): Promise<RemoteRunner> {
    const ep = parseModelUrl(url);
    const settings = settle(options);
    const agent = createAgent(ep.infer);
    const hadToken = settings.token !== undefined;
    try {
      const health = await send(agent, ep, settings, { method: 'GET', url: ep.healthReady, what: 'the server readiness check' });
      if (health.status === 401 || health.status === 403) throw statusError(health, ep.url, 'the server readiness check', hadToken);
      if (health.status !== 200) throw new StudioError('REMOTE_UNAVAILABLE', `${ep.url}: the server is not ready (HTTP ${health.status} from /v2/health/ready).`, ep.url);
      const meta = await send(agent, ep, settings, { method: 'GET', url: ep.metadata, what: 'the model metadata request' });
      // Triton answers an unknown model with 400, KServe with 404.
      if (meta.status === 404 || meta.status === 400) throw await modelNotFound(agent, ep, settings, meta);
      if (meta.status !== 200) throw statusError(meta, ep.url, 'the model metadata request', hadToken);
      const { inputs, outputs } = parseModelMetadata(ep.url, meta.body);
      const ready = await send(agent, ep, settings, { method: 'GET', url: ep.modelReady, what: 'the model readiness check' });
      if (ready.status !== 200) throw new StudioError('REMOTE_UNAVAILABLE', `${ep.url}: the model is not ready (HTTP ${ready.status}).`, ep.url);
      return new RemoteRunner(ep, settings, agent, inputs, outputs);
    } catch (err) {
      agent.destroy();
      throw err;
    }
  }

  /**
   * One inference on the server (ModelRunner.run).
   * @param feeds one tensor per declared input, of the declared type and fixed dims
   * @param outputNames outputs to fetch (default: all declared)
   * @param signal aborts the call, also while it is on the wire (CANCELLED)
   */
  run(feeds: Record<string, HostTensor>, outputNames?: readonly string[], signal?: AbortSignal): Promise<Record<string, HostTensor>> {
    const call = this.runNow(feeds, outputNames, signal);
    this.inFlight.add(call);
    const forget = (): void => void this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  private async runNow(feeds: Record<string, HostTensor>, outputNames: readonly string[] | undefined, signal?: AbortSignal): Promise<Record<string, HostTensor>> {
    if (signal?.aborted) throw new StudioError('CANCELLED', `${this.label}: the run was cancelled before it started.`);
    if (this.disposed) throw new StudioError('INTERNAL', `${this.label}: the runner was disposed before the run started.`);
    checkFeeds(this.label, this.inputs, feeds);
    const names = outputNames ? [...outputNames] : this.outputs.map((o) => o.name);
    const unknown = names.filter((n) => !this.outputs.some((o) => o.name === n));
    if (unknown.length > 0) throw new StudioError('MODEL_LAYOUT', `${this.label} has no output(s) ${unknown.join(', ')} (outputs: ${this.outputs.map((o) => o.name).join(', ')}).`);

    const id = String(++this.seq);
    const { entries, parts } = encodeTensors(this.inputs.map((i) => ({ name: i.name, tensor: feeds[i.name] as HostTensor, binary: true })));
    const header = { id, inputs: entries, outputs: names.map((name) => ({ name, parameters: { binary_data: true } })) };
    const { body, headerLength } = frameBody(header, parts);
    const started = performance.now();
    const res = await send(this.agent, this.ep, this.settings, {
      method: 'POST',
      url: this.ep.infer,
      what: 'inference',
      body,
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
      ...(signal ? { signal } : {}),
      onAttempt: (bytes) => void (this.counters.bytesSent += bytes),
    });
    this.counters.calls++;
    this.counters.bytesReceived += res.body.byteLength;
    this.counters.latencyMs.push(performance.now() - started);
    if (res.status !== 200) throw statusError(res, this.label, 'inference', this.settings.token !== undefined);
    return this.readAnswer(res, id, names);
  }

  /** The requested outputs of an infer answer, each checked against its declaration. */
  private readAnswer(res: HttpResponse, id: string, names: readonly string[]): Record<string, HostTensor> {
    const lengthHeader = res.headers['inference-header-content-length'];
    let decoded;
    let answerId: unknown;
    try {
      const { header, binary } = unframeBody(res.body, Array.isArray(lengthHeader) ? lengthHeader[0] : lengthHeader);
      answerId = header.id;
      decoded = decodeTensors(header.outputs, binary, 'output');
      const compute = (header.parameters as { compute_ms?: unknown } | undefined)?.compute_ms;
      if (typeof compute === 'number' && Number.isFinite(compute) && compute >= 0) this.counters.serverComputeMs.push(compute);
    } catch (err) {
      if (!(err instanceof V2FormatError)) throw err;
      throw new StudioError('REMOTE_PROTOCOL', `${this.label} sent a malformed inference response: ${err.message}`, this.label);
    }
    if (answerId !== undefined && answerId !== id) {
      throw new StudioError('REMOTE_PROTOCOL', `${this.label} answered request "${id}" with the response to "${String(answerId).slice(0, 40)}".`, this.label);
    }
    const out: Record<string, HostTensor> = {};
    for (const name of names) {
      const got = decoded.find((d) => d.name === name);
      if (!got) throw new StudioError('REMOTE_PROTOCOL', `${this.label} response lacks output "${name}" (it has: ${decoded.map((d) => d.name).join(', ') || 'none'}).`, this.label);
      checkAnswer(this.label, this.outputs.find((o) => o.name === name) as ValueInfo, got.tensor);
      out[name] = got.tensor;
    }
    return out;
  }

  /** Cost of the infer calls so far (a copy). */
  stats(): RemoteStats {
    return { ...this.counters, latencyMs: [...this.counters.latencyMs], serverComputeMs: [...this.counters.serverComputeMs] };
  }

  /** Closes the connections once runs in flight have ended. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.allSettled([...this.inFlight]);
    this.agent.destroy();
  }
}
