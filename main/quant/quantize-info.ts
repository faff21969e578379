/**
 * `quantize.info`: what has been quantized for a model — the newest report per variant — and
 * the settings its compensation tables were fitted for, so the Quantization panel can tell
 * before Generate whether the form's steps, CFG and scheduler are calibrated, and offer to
 * calibrate them when they are not.
 */
import path from 'node:path';
import type { QuantCalibrationInfo, QuantizeResult } from '../../contract/quant';
import type { ModelRegistry } from '../models/model-registry';
import { folderHash } from '../runtime/model-hash';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import type { StudioDb } from '../store/studio-db';

/** @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | STORE */
export async function quantizeInfo(model: string, registry: ModelRegistry, db: StudioDb): Promise<{ reports: QuantizeResult[]; calibrations: QuantCalibrationInfo[] }> {
  const info = registry.resolve(model);
  const reports = db.quantReports.latest(info.id);
  const layout = checkPipelineLayout(info.dir);
  const hash = await folderHash(path.join(layout.dir, layout.denoiser), db.folderHashes);
  const calibrations = reports.flatMap((r) =>
    db.quantCalibrations
      .forVariant(hash, r.variant)
      // Tables fitted on an earlier quantization of the variant no longer apply to its current file.
      .filter((c) => c.tables.key.variantSha256 === r.variantSha256)
      .map((c) => ({ variant: r.variant, scheduler: c.tables.key.scheduler, steps: c.tables.key.steps, cfg: c.tables.key.cfg })),
  );
  return { reports, calibrations };
}
