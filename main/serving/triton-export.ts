/**
 * Writes one model of a Triton model repository:
 *
 *   <out>/<name>/config.pbtxt
 *   <out>/<name>/1/model.onnx                      a self-contained ONNX file, or
 *   <out>/<name>/1/model.onnx/model.onnx           the directory form Triton's ONNX Runtime backend
 *   <out>/<name>/1/model.onnx/<external data>      needs when weights live in files beside the graph
 *
 * The new folder is assembled under a temporary name in <out> and renamed into place, so a
 * failed export leaves no half-written model for Triton to load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { readOnnxSummary, type OnnxSummary } from '../runtime/onnx-proto';
import { tritonConfig } from './triton-config';

export interface TritonExport {
  /** The model's folder: <out>/<name>. */
  dir: string;
  /** Files written, relative to `dir`. */
  files: string[];
}

/** External-data paths as the graph records them; each must stay inside the model's folder. */
function externalFiles(summary: OnnxSummary, modelFile: string, label: string): string[] {
  const locations = [...new Set(summary.externalData.map((r) => r.location))];
  for (const loc of locations) {
    const normal = path.normalize(loc);
    if (path.isAbsolute(loc) || normal.startsWith('..')) {
      throw new StudioError('MODEL_LAYOUT', `${label} points at external data "${loc}" outside its folder; refusing to copy it.`, modelFile);
    }
  }
  return locations;
}

/**
 * @param modelFile the ONNX file to export
 * @param label how messages name it, e.g. 'transformer/model.onnx'
 * @param force replace an existing non-empty <out>/<name>
 * @throws StudioError INVALID_REQUEST (folder exists) | MODEL_LAYOUT | MODEL_CORRUPT
 */
export function exportTritonModel(opts: { modelFile: string; label: string; name: string; outDir: string; force: boolean }): TritonExport {
  const dir = path.join(opts.outDir, opts.name);
  if (!opts.force && fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new StudioError('INVALID_REQUEST', `${dir} already exists and is not empty; pass --force to replace it.`, dir);
  }
  let summary: OnnxSummary;
  try {
    summary = readOnnxSummary(opts.modelFile);
  } catch (err) {
    throw new StudioError('MODEL_CORRUPT', `${opts.label} cannot be read: ${(err as Error).message}.`, opts.modelFile);
  }
  const config = tritonConfig(opts.name, opts.label, summary);
  const external = externalFiles(summary, opts.modelFile, opts.label);
  fs.mkdirSync(opts.outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(opts.outDir, `.${opts.name}.tmp-`));
  try {
    const files = ['config.pbtxt'];
    fs.writeFileSync(path.join(staging, 'config.pbtxt'), config);
    const version = path.join(staging, '1');
    const graphDir = external.length > 0 ? path.join(version, 'model.onnx') : version;
    fs.mkdirSync(graphDir, { recursive: true });
    fs.copyFileSync(opts.modelFile, path.join(graphDir, 'model.onnx'));
    files.push(path.relative(staging, path.join(graphDir, 'model.onnx')));
    for (const loc of external) {
      const to = path.join(graphDir, loc);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(path.dirname(opts.modelFile), loc), to);
      files.push(path.relative(staging, to));
    }
    if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
    return { dir, files: files.map((f) => f.split(path.sep).join('/')) };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
