/**
 * The compensation a generation asked for, checked against what is stored: the tables must
 * have been fitted for this denoiser component, this variant (same file: its sha256), scheduler,
 * step count, CFG and image size. Anything else is refused with the reason and the settings that
 * are calibrated, because K_t is indexed by step (tcec.md §5: no interpolation across schedules).
 */
import { StudioError } from '../../contract/errors';
import type { GenerateRequest } from '../../contract/api';
import { type CompensationKey, keyMismatches } from '../../core/quant/compensation-tables';
import type { Txt2ImgCompensation } from '../pipeline/txt2img';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { QuantCalibrationsRepo } from '../store/quant-calibrations-repo';

/**
 * @returns the tables to apply, or undefined for no compensation
 * @throws StudioError INVALID_REQUEST when the run has no quantized variant or no matching tables
 */
export function compensationForRun(pipeline: LoadedPipeline, request: GenerateRequest, repo: QuantCalibrationsRepo): Txt2ImgCompensation | undefined {
  const asked = request.compensation;
  if (asked === undefined || asked.method === 'none') return undefined;
  const denoiser = pipeline.components.find((c) => c.role === 'denoiser');
  if (request.denoiserVariant === undefined || denoiser?.variantHash === undefined) {
    throw new StudioError('INVALID_REQUEST', `Compensation "${asked.method}" corrects a quantized denoiser, but this run uses the fp32 model; add --precision w8a8 (a variant made by "studio quantize").`, 'compensation');
  }
  if (request.hybrid !== undefined) throw new StudioError('INVALID_REQUEST', 'Compensation is not available for hybrid runs (its tables are fitted for one model).', 'compensation');
  const g = pipeline.geometry;
  const key: CompensationKey = { componentHash: denoiser.hash, variant: request.denoiserVariant, variantSha256: denoiser.variantHash, scheduler: request.scheduler, steps: request.steps, cfg: request.cfg, width: g.width, height: g.height };
  const found = repo.find(key);
  if (found === undefined) {
    const have = repo.forVariant(key.componentHash, key.variant).map((c) => `${c.tables.key.scheduler} ${c.tables.key.steps} steps cfg ${c.tables.key.cfg}`);
    throw new StudioError(
      'INVALID_REQUEST',
      `No compensation tables for ${key.variant} with scheduler ${key.scheduler}, ${key.steps} steps, cfg ${key.cfg} at ${key.width}x${key.height} (calibrated: ${have.length > 0 ? have.join('; ') : 'none'}). Run "studio quantize --steps ${key.steps} --cfg ${key.cfg} --scheduler ${key.scheduler}" to fit them.`,
      'compensation',
    );
  }
  const mismatch = keyMismatches(found.tables.key, key);
  if (mismatch.length > 0) {
    throw new StudioError('INVALID_REQUEST', `The stored compensation tables do not fit this run (${mismatch.join('; ')}); re-run "studio quantize" for this variant.`, 'compensation');
  }
  return { method: asked.method, strength: asked.strength ?? found.tables.strength[asked.method], tables: found.tables, calibrationId: found.id };
}
