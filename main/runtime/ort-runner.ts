/**
 * The studio's only import of onnxruntime-node: the ModelRunner (runner.ts) for local models.
 *
 * Owns: which execution providers this build carries, creating a session from a file or an
 * in-memory buffer on a chosen provider (with `auto` falling back through cuda → dml → coreml →
 * webgpu → cpu) with session options (threads, graph optimization level), the declared
 * input/output metadata, converting HostTensors to and from ORT tensors, one serialized run
 * queue per session, input checks before a run, and errors that name inputs, dtypes and dims
 * (never data).
 *
 * NOTE: onnxruntime-node loads models and runs sessions synchronously on the JS thread
 * (its `run` is a setImmediate around a native call), so sessions here never run in
 * parallel anyway; the queue makes that explicit and lets dispose() wait for a run.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Provider, ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { assertExternalDataInside } from './external-data-guard';
import { describeTensor, formatDims, type HostTensor, type TensorType, type ValueInfo } from './host-tensor';
import { OnnxProtoError, readOnnxSummary, type ExternalDataRef } from './onnx-proto';
import { findInput, type ModelRunner } from './runner';
import { gpuDeviceFound, libraryFound, librarySearchDirs, VULKAN_LOADER } from './system-libraries';

// onnxruntime's process-wide logger (read once, when the first session is created) defaults to
// warnings, which reach the user's terminal as raw C++ log lines; the studio reports errors itself.
ort.env.logLevel = 'error';

/** Order `auto` tries providers in: fastest first, cpu always last. */
export const AUTO_PROVIDER_ORDER: readonly Provider[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

const PROVIDER_NAMES: ReadonlySet<string> = new Set<Provider>(['cpu', 'webgpu', 'cuda', 'dml', 'coreml']);

/** Shared libraries that must sit beside the binding for a non-bundled provider (CUDA from NuGet). */
const PROVIDER_LIBRARIES: Partial<Record<Provider, string[]>> = {
  cuda: ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'],
};

/** Providers that failed to initialize while cpu loaded the same model: not retried in this process. */
const brokenProviders = new Map<Provider, string>();

/** Folder of the native binding (where ORT's installer puts provider libraries), or undefined. */
function bindingDir(): string | undefined {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** True when one of `libs` sits beside the native binding. */
function providerLibraryInstalled(libs: readonly string[]): boolean {
  const dir = bindingDir();
  return dir !== undefined && libs.some((lib) => fs.existsSync(path.join(dir, lib)));
}

/**
 * Why a bundled provider cannot start on this system, or undefined when it may. On Linux the
 * WebGPU provider (Dawn) needs the Vulkan loader and a GPU device; without them every try prints
 * a native warning on stderr and fails or runs on a software device (system-libraries.ts).
 */
export function systemLibraryMissing(provider: Provider, dirs?: readonly string[]): string | undefined {
  if (provider !== 'webgpu' || process.platform !== 'linux') return undefined;
  if (dirs === undefined && vulkanMissing !== null) return vulkanMissing;
  const dir = bindingDir();
  const searched = dirs ?? librarySearchDirs(process.env, dir === undefined ? ['/usr/bin'] : [dir, '/usr/bin']);
  let missing = libraryFound(VULKAN_LOADER, searched) ? undefined : `webgpu needs the Vulkan loader (${VULKAN_LOADER}), which is not installed (install the "libvulkan1" package and a GPU driver)`;
  if (dirs === undefined) {
    if (missing === undefined && !gpuDeviceFound()) missing = 'webgpu needs a GPU, and no GPU device was found (/dev/dri/renderD*, /dev/nvidia*): Vulkan would run on a software device, slower than cpu';
    vulkanMissing = missing;
  }
  return missing;
}

/** The system search, done once per process: null until then. */
let vulkanMissing: string | undefined | null = null;

/**
 * Providers this onnxruntime-node build can use on this OS: those bundled in the npm package,
 * plus CUDA when its NuGet libraries were installed beside the binding. Always includes cpu.
 */
export function listAvailableProviders(): Provider[] {
  const out: Provider[] = [];
  for (const b of ort.listSupportedBackends()) {
    if (!PROVIDER_NAMES.has(b.name)) continue;
    const p = b.name as Provider;
    const libs = PROVIDER_LIBRARIES[p];
    const installed = b.bundled || (libs !== undefined && providerLibraryInstalled(libs));
    if (installed && systemLibraryMissing(p) === undefined && !out.includes(p)) out.push(p);
  }
  if (!out.includes('cpu')) out.push('cpu');
  return AUTO_PROVIDER_ORDER.filter((p) => out.includes(p));
}

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.trim().slice(0, 400) || 'unknown error';
}

function metadataOf(list: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return list.map((m) => (m.isTensor ? { name: m.name, type: m.type, dims: [...m.shape] } : { name: m.name, type: 'non-tensor', dims: [] }));
}

/** Where a model's bytes come from: a file path (external data beside it is found), or a buffer already in memory. */
export type ModelSource = string | Uint8Array;

export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

export interface CreateSessionOptions {
  /** Path relative to the pipeline folder, e.g. 'transformer/model.onnx'; used in every message. */
  label: string;
  provider: ProviderChoice;
  /** Threads inside one operator; 0 or absent = onnxruntime's default (one per physical core). */
  intraOpThreads?: number;
  /** Threads across independent operators (parallel execution only); absent = default. */
  interOpThreads?: number;
  /** Graph rewrites applied at load; default 'all' (quantized QDQ graphs need it to fuse into int8 kernels). */
  graphOptimizationLevel?: GraphOptimizationLevel;
}

/** A loaded model on one execution provider. */
export class OrtRunner implements ModelRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Providers `auto` tried before this one, with the reason each failed. */
  skipped: readonly string[] = [];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly label: string,
    /** The provider the session was created on (never 'auto'). */
    readonly provider: Provider,
    readonly inputs: readonly ValueInfo[],
    readonly outputs: readonly ValueInfo[],
  ) {}

  /**
   * Loads `modelPath`. `auto` keeps the first provider in AUTO_PROVIDER_ORDER that
   * initializes; an explicit provider that fails gives PROVIDER_UNAVAILABLE, unless cpu
   * fails too, in which case the model is at fault (MODEL_CORRUPT).
   */
  static async create(source: ModelSource, opts: CreateSessionOptions): Promise<OrtRunner> {
    if (typeof source === 'string') checkModelFile(source, opts.label);
    const available = listAvailableProviders();
    if (opts.provider === 'auto') {
      const failed: [Provider, string][] = [];
      for (const provider of available.filter((p) => !brokenProviders.has(p))) {
        try {
          const session = await OrtRunner.open(source, opts, provider);
          // A later provider loaded the same model, so the earlier ones are at fault: skip them from now on.
          for (const [p, reason] of failed) brokenProviders.set(p, reason);
          session.skipped = failed.map(([p, reason]) => `${p}: ${reason}`);
          return session;
        } catch (err) {
          if (provider === 'cpu') throw corrupt(opts.label, err);
          failed.push([provider, reasonOf(err)]);
        }
      }
      throw new StudioError('INTERNAL', 'No execution provider left to try (cpu is always available).');
    }
    if (!available.includes(opts.provider)) {
      const missing = systemLibraryMissing(opts.provider);
      throw new StudioError(
        'PROVIDER_UNAVAILABLE',
        missing === undefined
          ? `Execution provider "${opts.provider}" is not available in this build on ${process.platform}/${process.arch}. Available: ${available.join(', ')}.`
          : `Execution provider "${opts.provider}" cannot start here: ${missing}. Available: ${available.join(', ')}.`,
        opts.provider,
      );
    }
    try {
      return await OrtRunner.open(source, opts, opts.provider);
    } catch (err) {
      if (opts.provider === 'cpu') throw corrupt(opts.label, err);
      // Is it the provider or the model? If cpu cannot load it either, the model is at fault.
      const cpu = await OrtRunner.open(source, opts, 'cpu').catch((cpuErr: unknown) => {
        throw corrupt(opts.label, cpuErr);
      });
      await cpu.dispose();
      throw new StudioError(
        'PROVIDER_UNAVAILABLE',
        `Execution provider "${opts.provider}" failed to initialize: ${reasonOf(err)}. Available: ${available.join(', ')}; try "auto" or "cpu".`,
        opts.provider,
      );
    }
  }

  private static async open(source: ModelSource, opts: CreateSessionOptions, provider: Provider): Promise<OrtRunner> {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
      // Warnings about nodes placed on cpu by a GPU provider are expected; keep stderr for errors.
      logSeverityLevel: 3,
      ...(opts.intraOpThreads ? { intraOpNumThreads: opts.intraOpThreads } : {}),
      ...(opts.interOpThreads ? { interOpNumThreads: opts.interOpThreads } : {}),
    };
    // Two calls because create's path and buffer overloads do not accept a union.
    const session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
    return new OrtRunner(session, opts.label, provider, metadataOf(session.inputMetadata), metadataOf(session.outputMetadata));
  }

  /**
   * Runs the model once, after every run queued before it (ModelRunner.run).
   * @param feeds one HostTensor per declared input
   * @param outputNames outputs to compute (default: all); unrequested outputs are not computed
   * @param signal checked when the run reaches the head of the queue
   */
  run(feeds: Record<string, HostTensor>, outputNames?: readonly string[], signal?: AbortSignal): Promise<Record<string, HostTensor>> {
    const result = this.queue.then(() => {
      if (signal?.aborted) throw new StudioError('CANCELLED', `${this.label}: the run was cancelled before it started.`);
      return this.runNow(feeds, outputNames);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(feeds: Record<string, HostTensor>, outputNames?: readonly string[]): Promise<Record<string, HostTensor>> {
    if (this.disposed) throw new StudioError('INTERNAL', `${this.label}: session was disposed before the run started.`);
    this.validate(feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
    const names = outputNames ? [...outputNames] : this.outputs.map((o) => o.name);
    let raw: ort.InferenceSession.ReturnType;
    try {
      raw = await this.session.run(ortFeeds, names);
    } catch (err) {
      const inputs = Object.entries(feeds).map(([n, t]) => describeTensor(n, t)).join(', ');
      throw new StudioError('INTERNAL', `${this.label} failed to run on ${this.provider}: ${reasonOf(err)} (inputs: ${inputs}).`);
    }
    const out: Record<string, HostTensor> = {};
    // onnxruntime-node 1.23 returns a fetched subset in the session's output order but keys it by
    // the session's FIRST output names (fetching only `block_residual` comes back keyed
    // `out_sample`), so results are matched by position in declared order, never by returned key.
    const values = Object.values(raw);
    const declaredOrder = this.outputs.map((o) => o.name).filter((n) => names.includes(n));
    if (values.length !== declaredOrder.length) {
      throw new StudioError('INTERNAL', `${this.label} returned ${values.length} outputs for ${declaredOrder.length} requested (${names.join(', ')}).`);
    }
    declaredOrder.forEach((name, i) => {
      out[name] = fromOrt(this.label, name, values[i] as ort.Tensor);
    });
    return out;
  }

  /** Missing/unknown inputs, dtype and fixed-dim mismatches are reported before ORT sees them. */
  private validate(feeds: Record<string, HostTensor>): void {
    const missing = this.inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
    if (missing.length > 0) {
      throw new StudioError('MODEL_LAYOUT', `${this.label} needs input(s) ${missing.join(', ')} that the pipeline does not supply; this model is not a supported text-to-image export.`);
    }
    for (const [name, t] of Object.entries(feeds)) {
      const info = findInput(this, name);
      if (!info) {
        throw new StudioError('INTERNAL', `${this.label} has no input "${name}" (inputs: ${this.inputs.map((i) => i.name).join(', ')}).`);
      }
      const rankOk = info.dims.length === t.dims.length;
      const dimsOk = rankOk && info.dims.every((d, k) => typeof d === 'string' || d === t.dims[k]);
      if (info.type !== t.type || !dimsOk) {
        throw new StudioError(
          'MODEL_LAYOUT',
          `${this.label} input "${name}" is declared ${info.type}${formatDims(info.dims)} but the pipeline feeds ${t.type}${formatDims(t.dims)}.`,
        );
      }
    }
  }

  /** Releases native memory once every queued run has finished. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }
}

/**
 * Reads the file's protobuf (a few KB, weights skipped) before onnxruntime opens it, so a model
 * whose external data points outside its folder is refused without the outside file being read.
 * @throws StudioError MODEL_LAYOUT (outside location) | MODEL_CORRUPT (not protobuf) | MODEL_NOT_FOUND
 */
function checkModelFile(file: string, label: string): void {
  // A file that passed once is not parsed again while it is unchanged (one pipeline load opens
  // each file after the layout check parsed it, and a runner pool reopens shared components).
  let identity: string | undefined;
  try {
    const st = fs.statSync(file);
    identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    identity = undefined;
  }
  if (identity !== undefined && checkedFiles.get(file) === identity) return;
  let refs: ExternalDataRef[];
  try {
    refs = readOnnxSummary(file).externalData;
  } catch (err) {
    if (err instanceof OnnxProtoError) throw corrupt(label, err);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('MODEL_NOT_FOUND', `${label}: there is no model file at ${file}.`, file);
    throw new StudioError('MODEL_CORRUPT', `${label}: ${file} cannot be read (${reasonOf(err)}).`, file);
  }
  assertExternalDataInside(`${label} (${file})`, refs);
  if (identity !== undefined) checkedFiles.set(file, identity);
}

/** Model files that passed checkModelFile, with the identity (device, inode, size, mtime) they had. */
const checkedFiles = new Map<string, string>();

function corrupt(label: string, err: unknown): StudioError {
  return new StudioError(
    'MODEL_CORRUPT',
    `${label} could not be loaded: ${reasonOf(err)}. The file may be truncated or not an ONNX model.`,
    label,
  );
}

const TENSOR_TYPES: ReadonlySet<string> = new Set<TensorType>(['float32', 'float16', 'int32', 'int64']);

function fromOrt(label: string, name: string, t: ort.Tensor): HostTensor {
  if (!TENSOR_TYPES.has(t.type)) {
    throw new StudioError('MODEL_LAYOUT', `${label} output "${name}" has type ${t.type}; the studio reads float32, float16, int32 or int64.`);
  }
  const data = t.data;
  if (data instanceof Float32Array || data instanceof Int32Array || data instanceof BigInt64Array) {
    return { type: t.type as TensorType, dims: [...t.dims], data };
  }
  if (data instanceof Uint16Array) return { type: 'float16', dims: [...t.dims], data };
  // A runtime with a global Float16Array hands those out; keep the bit patterns.
  const view = data as unknown as ArrayBufferView;
  return { type: 'float16', dims: [...t.dims], data: new Uint16Array(view.buffer, view.byteOffset, view.byteLength / 2) };
}
