/**
 * 'cache.recommend': the Speed-up panel's "Budget" — the cache setting that the model's
 * matched-calls benchmarks measured best at a budget of model calls (recommend-cache.ts, the same
 * choice as the CLI's `--cache auto --cache-calls N`), for exactly the run Generate would start.
 *
 * No recommendation is not an error: the answer is `{ recommendation: null, reason }`, and the
 * panel shows the reason where the recommendation would be (no benchmark of this run, or no
 * method beats plain sampling with as many steps as calls).
 */
import type { CacheRecommendRequest, CacheRecommendResponse } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import type { ModelRegistry } from '../models/model-registry';
import { pipelineHash } from '../runtime/model-hash';
import { pipelineGeometry } from '../runtime/pipeline-geometry';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import { loadMatchedReportsCached } from './predicted-psnr';
import { runKey } from './profile-lookup';
import { recommendCache } from './recommend-cache';

/**
 * @param req validated where it entered (validateCallRequest)
 * @param ctx.benchDirs folders of matched-calls benchmark reports (matchedReportDirs)
 */
export async function recommendForRun(req: CacheRecommendRequest, ctx: { registry: ModelRegistry; benchDirs: readonly string[] }): Promise<CacheRecommendResponse> {
  const model = ctx.registry.resolve(req.model);
  const layout = checkPipelineLayout(model.dir);
  const key = runKey({ layout, geometry: pipelineGeometry(layout) }, req, await pipelineHash(model.dir));
  if (req.calls >= req.steps) {
    return { recommendation: null, reason: `A budget of ${req.calls} model calls is not below the ${req.steps} steps; run without a cache.` };
  }
  try {
    const { config, calls, psnr, baselinePsnr, speedup } = recommendCache(loadMatchedReportsCached(ctx.benchDirs), key, req.calls, 'app');
    return { recommendation: { config, calls, psnr, baselinePsnr, speedup }, reason: null };
  } catch (err) {
    // recommendCache says why nothing is offered as INVALID_REQUEST; anything else is a real failure.
    if (err instanceof StudioError && err.code === 'INVALID_REQUEST') return { recommendation: null, reason: err.message };
    throw err;
  }
}
