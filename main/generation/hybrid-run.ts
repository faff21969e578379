/**
 * The hybrid side of one generation (Hybrid SD / T-Stitch): load the small model beside the
 * large one, check the pair, optionally put the large denoiser behind a v2 server and the tiny
 * VAE decoder in front of the image, then turn what ran into the recipe's segments and the
 * run's per-model cost.
 *
 * Caching in a hybrid run gives each model its own cache context (txt2img.ts); only the methods
 * that need no calibration profile can do that today, since a profile describes one model's
 * trajectory over all N steps.
 */
import type { GenerateRequest, HybridRecipe, HybridRunStats, HybridSegment, RecipeComponent } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { hybridCost } from '../../core/hybrid/hybrid-accounting';
import { LARGE, SMALL } from '../../core/hybrid/hybrid-plan';
import type { StepPlan } from '../../core/sampling/step-plan';
import { denoiserMacs } from '../models/denoiser-macs';
import type { ModelRegistry } from '../models/model-registry';
import { checkHybridPair } from '../pipeline/hybrid-pair';
import type { Txt2ImgHybrid, Txt2ImgResult } from '../pipeline/txt2img';
import type { LoadedPipeline, PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash, type HashStore } from '../runtime/model-hash';
import { connectRemoteLarge, type RemoteLarge } from './remote-large';

/** Cache methods a hybrid run can combine with: those that need no calibration profile. */
export const HYBRID_CACHE_METHODS: readonly string[] = ['none', 'fora', 'easycache'];

export interface HybridModels {
  large: { id: string; hash: string; pipeline: LoadedPipeline };
  small: { id: string; hash: string; pipeline: LoadedPipeline };
}

export interface PreparedHybrid {
  params: Txt2ImgHybrid;
  /** Closes the connection to the large model's server, if the run used one. */
  dispose(): Promise<void>;
  /** The recipe's record of where each step ran, the components that changed, and the cost. */
  finish(result: Txt2ImgResult): { recipe: HybridRecipe; components: RecipeComponent[]; stats: HybridRunStats };
}

type HybridRequest = NonNullable<GenerateRequest['hybrid']>;

/**
 * Checks the request's split against its steps and cache, loads the small model and checks the pair.
 * @throws StudioError INVALID_REQUEST (hybrid, cache) | MODEL_* | NOT_FOUND
 */
export async function loadHybridPair(
  request: GenerateRequest & { hybrid: HybridRequest },
  large: HybridModels['large'],
  deps: { registry: ModelRegistry; pipelines: PipelineCache; hashStore: HashStore },
): Promise<HybridModels> {
  const { hybrid } = request;
  if (hybrid.largeSteps > request.steps) {
    throw new StudioError('INVALID_REQUEST', `hybrid.largeSteps must be between 0 and the run's ${request.steps} steps (got ${hybrid.largeSteps}).`, 'hybrid.largeSteps');
  }
  const method = request.cache?.method ?? 'none';
  if (!HYBRID_CACHE_METHODS.includes(method)) {
    throw new StudioError('INVALID_REQUEST', `A hybrid run can cache with ${HYBRID_CACHE_METHODS.filter((m) => m !== 'none').join(' or ')} (each model keeps its own cache); ${method} needs one calibration profile for the whole run.`, 'cache');
  }
  const smallModel = deps.registry.resolve(hybrid.small);
  const { pipeline } = await deps.pipelines.get(smallModel.dir, request.provider, { hashStore: deps.hashStore });
  const small = { id: smallModel.id, hash: await pipelineHash(smallModel.dir, deps.hashStore), pipeline };
  checkHybridPair(large, small, request.steps, request.scheduler);
  if (hybrid.tinyVae && large.pipeline.tinyDecoder === undefined) {
    throw new StudioError('INVALID_REQUEST', `${large.id} has no tiny VAE decoder (vae_decoder_tiny/); turn the tiny decoder off.`, 'hybrid.tinyVae');
  }
  return { large, small };
}

/** loadHybridPair, then prepareHybrid: everything a generation needs for its hybrid side. */
export async function setUpHybrid(
  request: GenerateRequest & { hybrid: HybridRequest },
  large: HybridModels['large'],
  deps: { registry: ModelRegistry; pipelines: PipelineCache; hashStore: HashStore },
): Promise<PreparedHybrid> {
  if (deps.pipelines.capacity < 2) throw new StudioError('INTERNAL', 'a hybrid run needs a pipeline cache that holds two pipelines');
  const models = await loadHybridPair(request, large, deps);
  const remote = request.hybrid.remote === undefined ? undefined : await connectRemoteLarge(request.hybrid.remote);
  try {
    return await prepareHybrid(request.hybrid, models, request.cfg, remote);
  } catch (err) {
    await remote?.dispose();
    throw err;
  }
}

/** The txt2img side of a loaded pair, and how to account for it afterwards. */
export async function prepareHybrid(hybrid: HybridRequest, models: HybridModels, cfg: number, remote?: RemoteLarge): Promise<PreparedHybrid> {
  const tiny = hybrid.tinyVae ? await (models.large.pipeline.tinyDecoder as NonNullable<LoadedPipeline['tinyDecoder']>)() : undefined;
  const params: Txt2ImgHybrid = {
    small: models.small.pipeline,
    largeSteps: hybrid.largeSteps,
    order: hybrid.order,
    ...(remote ? { largeDenoiser: remote.denoiser } : {}),
    ...(remote?.onFailure ? { onRemoteFailure: remote.onFailure } : {}),
    ...(tiny ? { decoder: tiny.decoder } : {}),
  };
  const macs = {
    [LARGE]: denoiserMacs(models.large.pipeline.layout.dir, hashOfDenoiser(models.large.pipeline)),
    [SMALL]: denoiserMacs(models.small.pipeline.layout.dir, hashOfDenoiser(models.small.pipeline)),
  };
  return {
    params,
    dispose: async () => {
      await remote?.dispose();
    },
    finish(result) {
      const run = result.hybrid;
      if (run === undefined) throw new StudioError('INTERNAL', 'a hybrid run returned no plan');
      const cost = hybridCost(run.plan, run.computeSteps, run.modelMsByKey, macs as Partial<Record<string, number>>, cfg > 1 ? 2 : 1);
      const fellBack = remote?.fellBack();
      const recipe: HybridRecipe = {
        order: hybrid.order,
        largeSteps: hybrid.largeSteps,
        tinyVae: hybrid.tinyVae,
        segments: segmentsOf(run.plan, models, remote, fellBack?.atStep),
        ...(fellBack ? { fellBack } : {}),
      };
      const components = tiny
        ? models.large.pipeline.components.map((c) => (c.role === 'vae_decoder' ? { ...c, variant: 'tiny', variantHash: tiny.hash } : c))
        : models.large.pipeline.components;
      const stats: HybridRunStats = { ...cost, ...(remote ? { remote: remote.stats() } : {}) };
      return { recipe, components, stats };
    },
  };
}

function hashOfDenoiser(p: LoadedPipeline): string {
  return p.identities.find((c) => c.role === 'denoiser')?.hash ?? '';
}

/** Contiguous runs of steps per model; large steps before a remote fallback carry the endpoint. */
function segmentsOf(plan: StepPlan, models: HybridModels, remote: RemoteLarge | undefined, fellBackAt: number | undefined): HybridSegment[] {
  const out: HybridSegment[] = [];
  plan.forEach((key, i) => {
    const onServer = key === LARGE && remote !== undefined && (fellBackAt === undefined || i < fellBackAt);
    const last = out.at(-1);
    if (last && last.model === key && (last.endpoint !== undefined) === onServer) {
      last.to = i + 1;
      return;
    }
    const m = key === LARGE ? models.large : models.small;
    out.push({ from: i, to: i + 1, model: key as 'large' | 'small', modelId: m.id, modelHash: m.hash, ...(onServer && remote ? { endpoint: remote.endpoint } : {}) });
  });
  return out;
}
