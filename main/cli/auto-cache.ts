/**
 * `studio generate --cache auto --cache-calls N`: picks the request's cache from the benchmark
 * results (main/cache/recommend-cache.ts) for the run's model, steps, CFG scale and scheduler,
 * and says on stderr what it chose and the measurement behind it.
 */
import path from 'node:path';
import type { GenerateRequest } from '../../contract/api';
import { validateGenerateRequest } from '../../contract/validate';
import { runKey } from '../cache/profile-lookup';
import { loadMatchedReports, recommendCache } from '../cache/recommend-cache';
import { findAppRoot } from '../models/app-root';
import { pipelineHash } from '../runtime/model-hash';
import { pipelineGeometry } from '../runtime/pipeline-geometry';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import type { CliContext } from './cli-context';

/** @throws StudioError INVALID_REQUEST when nothing measured for this run beats plain sampling at the budget */
export async function withAutoCache(request: GenerateRequest, calls: number, ctx: CliContext): Promise<GenerateRequest> {
  const model = ctx.registry.resolve(request.model);
  const layout = checkPipelineLayout(model.dir);
  const key = runKey({ layout, geometry: pipelineGeometry(layout) }, request, await pipelineHash(model.dir));
  const reports = loadMatchedReports([path.join(findAppRoot(), 'docs', 'bench'), path.join(ctx.paths.home, 'bench')]);
  const choice = recommendCache(reports, { modelHash: key.modelHash, scheduler: key.scheduler, steps: key.steps, cfg: key.cfg }, calls);
  process.stderr.write(
    `studio: --cache auto at ${calls} calls: ${choice.config.method} (${JSON.stringify(choice.config)}), measured ${choice.psnr.toFixed(2)} dB at ${choice.calls} calls against ${choice.baselinePsnr.toFixed(2)} dB for ${choice.calls} plain steps, ${choice.speedup.toFixed(2)}× faster denoising (${path.basename(choice.source)})\n`,
  );
  return validateGenerateRequest({ ...request, cache: choice.config });
}
