/**
 * A pipeline folder loaded into sessions, and a small LRU of them.
 *
 * Loading checks the layout first (pipeline-layout.ts), then creates the denoiser session
 * (the one whose provider matters and is recorded), then the text encoder and VAE decoder, and
 * the optional TeaCache probe (`<denoiser>/probe.onnx`, cache-probe.ts) when the folder has one.
 * If any part fails, the sessions already created are released before the error propagates.
 *
 * Sessions hold hundreds of MB to GB of native memory, so the cache keeps at most 1–2
 * pipelines keyed by (folder, requested provider) and disposes the least recently used on
 * eviction; dispose waits for runs already queued on those sessions.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Provider, ProviderChoice } from '../../contract/api';
import { CacheProbe, PROBE_FILE } from './cache-probe';
import { Denoiser } from './denoiser';
import { OrtRunner } from './ort-runner';
import type { ModelRunner } from './runner';
import { pipelineGeometry, type PipelineGeometry } from './pipeline-geometry';
import { checkPipelineLayout, type PipelineLayout } from './pipeline-layout';
import { loadTokenizer, PromptEncoder } from './text-encoder';
import { VaeDecoder } from './vae-decoder';

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
  dispose(): Promise<void>;
}

/**
 * Loads every component of the pipeline in `dir`.
 * @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT | PROVIDER_UNAVAILABLE
 */
export async function loadPipeline(dir: string, provider: ProviderChoice): Promise<LoadedPipeline> {
  const layout = checkPipelineLayout(dir);
  const geometry = pipelineGeometry(layout);
  const tokenizer = loadTokenizer(layout);
  const sessions: ModelRunner[] = [];
  const open = async (rel: string): Promise<ModelRunner> => {
    const s = await OrtRunner.create(path.join(layout.dir, rel), { label: rel, provider });
    sessions.push(s);
    return s;
  };
  try {
    const denoiser = new Denoiser(await open(`${layout.denoiser}/model.onnx`));
    const textEncoder = new PromptEncoder(await open('text_encoder/model.onnx'), tokenizer);
    const vaeDecoder = new VaeDecoder(await open('vae_decoder/model.onnx'), layout.vaeConfig);
    const probeRel = `${layout.denoiser}/${PROBE_FILE}`;
    const probe = fs.existsSync(path.join(layout.dir, probeRel)) ? new CacheProbe(await open(probeRel)) : undefined;
    return {
      layout,
      geometry,
      textEncoder,
      denoiser,
      vaeDecoder,
      ...(probe === undefined ? {} : { probe }),
      provider: denoiser.runner.provider,
      providerRequested: provider,
      dispose: async () => {
        await Promise.all(sessions.map((s) => s.dispose()));
      },
    };
  } catch (err) {
    await Promise.all(sessions.map((s) => s.dispose().catch(() => undefined)));
    throw err;
  }
}

/** Least-recently-used cache of loaded pipelines. */
export class PipelineCache {
  private readonly entries = new Map<string, Promise<LoadedPipeline>>();

  constructor(private readonly capacity = 1) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`PipelineCache capacity must be ≥ 1 (got ${capacity})`);
  }

  /** The pipeline for (dir, provider), loading it on a miss; `cached` says whether it was already loaded. */
  async get(dir: string, provider: ProviderChoice): Promise<{ pipeline: LoadedPipeline; cached: boolean }> {
    const key = `${path.resolve(dir)}\0${provider}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recent last
      return { pipeline: await hit, cached: true };
    }
    const loading = loadPipeline(dir, provider);
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
