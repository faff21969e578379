/**
 * A pipeline folder loaded into runners, and a small LRU of them.
 *
 * Loading checks the layout first (pipeline-layout.ts), identifies each component by its content
 * hash (components.ts), then opens the denoiser (the runner whose provider matters and is
 * recorded; from a variant file when one is asked for), the text encoder and VAE decoder, and the
 * optional TeaCache probe (`<denoiser>/probe.onnx`, cache-probe.ts) when the folder has one.
 * Runners come from a RunnerPool keyed by component hash, variant and provider, so components
 * that two pipelines share are loaded once. If any part fails, the runners already acquired are
 * released before the error propagates.
 *
 * Sessions hold hundreds of MB to GB of native memory, so the cache keeps at most 1–2
 * pipelines keyed by (folder, requested provider, denoiser variant) and releases the least
 * recently used on eviction; a runner is disposed once no cached pipeline uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Provider, ProviderChoice, RecipeComponent } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { CacheProbe, PROBE_FILE } from './cache-probe';
import { type ComponentIdentity, identifyComponents, ORIGINAL_VARIANT, recipeComponents } from './components';
import { Denoiser } from './denoiser';
import { folderHash, type HashStore } from './model-hash';
import { OrtRunner } from './ort-runner';
import { pipelineGeometry, type PipelineGeometry } from './pipeline-geometry';
import { checkPipelineLayout, type PipelineLayout } from './pipeline-layout';
import { RunnerPool, runnerKey } from './runner-pool';
import { checkTokenizerFits, loadTokenizer, PromptEncoder } from './text-encoder';
import { VaeDecoder } from './vae-decoder';
import { resolveVariant } from './variants';

export interface LoadedPipeline {
  layout: PipelineLayout;
  geometry: PipelineGeometry;
  textEncoder: PromptEncoder;
  denoiser: Denoiser;
  vaeDecoder: VaeDecoder;
  /** TeaCache's block-0 probe, when the pipeline ships one; undefined otherwise. */
  probe?: CacheProbe;
  /** Provider the denoiser runs on (what a Recipe records). */
  provider: Provider;
  providerRequested: ProviderChoice;
  /** Each component's identity (content hash of its folder). */
  identities: ComponentIdentity[];
  /** What a recipe records: every component with its hash and the variant that was loaded. */
  components: RecipeComponent[];
  /**
   * The distilled tiny VAE decoder (vae_decoder_tiny/), loaded on first use; absent when the
   * pipeline has none. Its folder hash is what a recipe records as the VAE decoder's 'tiny' variant.
   */
  tinyDecoder?: () => Promise<{ decoder: VaeDecoder; hash: string }>;
  /**
   * The same tiny decoder in a one-thread session of its own, for live previews, loaded on first
   * use; absent without vae_decoder_tiny/. A 64-px decode gains nothing from threads, and an
   * idle multi-threaded session's spinning workers take CPU from the denoiser (measured: 27 ms of
   * CPU per preview against 7 ms on one thread, emoji on 2 cores).
   */
  previewDecoder?: () => Promise<VaeDecoder>;
  dispose(): Promise<void>;
}

/** Folder of the optional tiny VAE decoder. */
export const TINY_DECODER_FOLDER = 'vae_decoder_tiny';
/** Runner-pool variant name of the tiny decoder's one-thread preview session. */
const PREVIEW_SESSION = 'preview-1-thread';

export interface LoadOptions {
  /** Where runners are shared; default: a pool of this load alone. */
  pool?: RunnerPool<OrtRunner>;
  /** Persistent folder-hash cache (the store's folder_hashes), so a cold process does not rehash. */
  hashStore?: HashStore;
  /** STUDIO_HOME/variants; needed when `denoiserVariant` names a variant. */
  variantsRoot?: string;
  /** 'fp32' (default) loads the denoiser's own model. */
  denoiserVariant?: string;
}

/**
 * Loads every component of the pipeline in `dir`.
 * @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT | PROVIDER_UNAVAILABLE | NOT_FOUND (variant) | INVALID_REQUEST (variant name)
 */
export async function loadPipeline(dir: string, provider: ProviderChoice, options: LoadOptions = {}): Promise<LoadedPipeline> {
  const layout = checkPipelineLayout(dir);
  const geometry = pipelineGeometry(layout);
  const tokenizer = loadTokenizer(layout);
  const identities = await identifyComponents(layout, options.hashStore);
  const byRole = (role: ComponentIdentity['role']): ComponentIdentity => identities.find((c) => c.role === role) as ComponentIdentity;
  const variantName = options.denoiserVariant ?? ORIGINAL_VARIANT;
  const variant = variantName === ORIGINAL_VARIANT ? undefined : resolveVariant(requireRoot(options.variantsRoot), byRole('denoiser'), variantName);
  const pool = options.pool ?? new RunnerPool<OrtRunner>();
  const acquired: string[] = [];
  const open = async (component: ComponentIdentity, file: string, variantOf = ORIGINAL_VARIANT, source = path.join(component.dir, file), intraOpThreads?: number): Promise<OrtRunner> => {
    const key = runnerKey(component.hash, variantOf, provider, file);
    const runner = await pool.acquire(key, () => OrtRunner.create(source, { label: `${component.folder}/${file}`, provider, ...(intraOpThreads === undefined ? {} : { intraOpThreads }) }));
    acquired.push(key);
    return runner;
  };
  const releaseAll = (): Promise<void> => Promise.all(acquired.splice(0).map((k) => pool.release(k))).then(() => undefined);
  try {
    const denoiserComponent = byRole('denoiser');
    const denoiserRunner = variant ? await open(denoiserComponent, 'model.onnx', variantName, variant.file) : await open(denoiserComponent, 'model.onnx');
    const denoiser = new Denoiser(denoiserRunner);
    const textEncoder = new PromptEncoder(await open(byRole('text_encoder'), 'model.onnx'), tokenizer);
    await checkTokenizerFits(textEncoder, layout);
    const vaeDecoder = new VaeDecoder(await open(byRole('vae_decoder'), 'model.onnx'), layout.vaeConfig);
    const probe = fs.existsSync(path.join(denoiserComponent.dir, PROBE_FILE)) ? new CacheProbe(await open(denoiserComponent, PROBE_FILE)) : undefined;
    const tinyDir = path.join(layout.dir, TINY_DECODER_FOLDER);
    let tiny: Promise<{ decoder: VaeDecoder; hash: string }> | undefined;
    let previewTiny: Promise<{ decoder: VaeDecoder; hash: string }> | undefined;
    const loadTiny = async (forPreview = false): Promise<{ decoder: VaeDecoder; hash: string }> => {
      const hash = await folderHash(tinyDir, options.hashStore);
      const component = { role: 'vae_decoder', folder: TINY_DECODER_FOLDER, dir: tinyDir, hash } as const;
      const runner = forPreview ? await open(component, 'model.onnx', PREVIEW_SESSION, undefined, 1) : await open(component, 'model.onnx');
      return { decoder: new VaeDecoder(runner, readOptionalJson(path.join(tinyDir, 'config.json'))), hash };
    };
    return {
      layout,
      geometry,
      textEncoder,
      denoiser,
      vaeDecoder,
      ...(probe === undefined ? {} : { probe }),
      provider: denoiserRunner.provider,
      providerRequested: provider,
      identities,
      components: recipeComponents(identities, variant ? { denoiser: { name: variantName, hash: variant.info.modelSha256 } } : {}),
      ...(fs.existsSync(path.join(tinyDir, 'model.onnx'))
        ? { tinyDecoder: () => (tiny ??= loadTiny()), previewDecoder: () => (previewTiny ??= loadTiny(true)).then((t) => t.decoder) }
        : {}),
      dispose: releaseAll,
    };
  } catch (err) {
    await releaseAll().catch(() => undefined);
    throw err;
  }
}

/** A component's optional config.json, parsed; undefined when absent. @throws StudioError MODEL_CORRUPT when unreadable */
function readOptionalJson(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new StudioError('MODEL_CORRUPT', `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`, file);
  }
}

function requireRoot(root: string | undefined): string {
  if (root === undefined) throw new Error('loadPipeline: a denoiser variant needs options.variantsRoot');
  return root;
}

/** Least-recently-used cache of loaded pipelines. */
export class PipelineCache {
  private readonly entries = new Map<string, Promise<LoadedPipeline>>();
  /** One pool for every pipeline of this cache, so pipelines loaded together share components. */
  private readonly pool = new RunnerPool<OrtRunner>();

  constructor(readonly capacity = 1) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`PipelineCache capacity must be ≥ 1 (got ${capacity})`);
  }

  /** The pipeline for (dir, provider, denoiser variant), loading it on a miss; `cached` says whether it was already loaded. */
  async get(dir: string, provider: ProviderChoice, options: Omit<LoadOptions, 'pool'> = {}): Promise<{ pipeline: LoadedPipeline; cached: boolean }> {
    const key = `${path.resolve(dir)}\0${provider}\0${options.denoiserVariant ?? ORIGINAL_VARIANT}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recent last
      return { pipeline: await hit, cached: true };
    }
    const loading = loadPipeline(dir, provider, { ...options, pool: this.pool });
    this.entries.set(key, loading);
    // A failed load must not stay cached.
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    await this.evict();
    return { pipeline: await loading, cached: false };
  }

  private async evict(): Promise<void> {
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Promise<LoadedPipeline>];
      this.entries.delete(oldestKey);
      await oldest.then((p) => p.dispose()).catch(() => undefined);
    }
  }

  /** Disposes every cached pipeline (on shutdown, or to free memory). */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((x) => x.dispose()).catch(() => undefined)));
  }
}
