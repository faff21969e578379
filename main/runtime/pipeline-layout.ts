/**
 * Checks a diffusers ONNX pipeline folder before any session is created, so a bad
 * download fails in milliseconds with a message that names the file and the fix, instead
 * of an onnxruntime error (or a crash) seconds into loading.
 *
 *   MODEL_NOT_FOUND  the folder does not exist
 *   MODEL_LAYOUT     a required part is missing, or an .onnx references an absent external-data file
 *                    or one outside its own folder (external-data-guard.ts)
 *   MODEL_CORRUPT    a file is empty, a Git LFS pointer, unparsable JSON, a truncated .onnx,
 *                    or external data shorter than the offsets the model records
 *
 * Layout (studios.md §3): model_index.json, text_encoder/model.onnx, unet/model.onnx or
 * transformer/model.onnx, vae_decoder/model.onnx, tokenizer/{vocab.json, merges.txt},
 * scheduler/scheduler_config.json; optional <component>/config.json and studio.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { assertExternalDataInside } from './external-data-guard';
import { OnnxProtoError, readOnnxSummary, type OnnxSummary } from './onnx-proto';

export type DenoiserKind = 'unet' | 'transformer';

export interface PipelineLayout {
  /** Absolute folder path. */
  dir: string;
  denoiser: DenoiserKind;
  modelIndex: Record<string, unknown>;
  /** Parsed scheduler/scheduler_config.json (validated by the scheduler factory, not here). */
  schedulerConfig: unknown;
  /** Parsed optional JSON files; absent ones are undefined. */
  vaeConfig?: Record<string, unknown>;
  denoiserConfig?: Record<string, unknown>;
  tokenizerConfig?: Record<string, unknown>;
  studioJson?: Record<string, unknown>;
  /** Declared I/O and external data of each .onnx, read without onnxruntime. */
  onnx: { textEncoder: OnnxSummary; denoiser: OnnxSummary; vaeDecoder: OnnxSummary };
}

const LAYOUT_HINT =
  'A pipeline folder needs the diffusers ONNX layout: model_index.json, text_encoder/model.onnx, unet/ or transformer/model.onnx, vae_decoder/model.onnx, tokenizer/vocab.json + merges.txt and scheduler/scheduler_config.json.';
const LFS_MAGIC = 'version https://git-lfs';

function rel(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

/** Throws MODEL_LAYOUT when missing, MODEL_CORRUPT when empty or an LFS pointer. */
function requireFile(dir: string, relPath: string): string {
  const file = path.join(dir, relPath);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StudioError('MODEL_LAYOUT', `${relPath} is missing in ${dir}. ${LAYOUT_HINT}`, file);
  }
  if (!stat.isFile()) throw new StudioError('MODEL_LAYOUT', `${relPath} in ${dir} is not a file. ${LAYOUT_HINT}`, file);
  checkContentStart(dir, file, stat.size);
  return file;
}

function checkContentStart(dir: string, file: string, size: number): void {
  const name = rel(dir, file);
  if (size === 0) throw new StudioError('MODEL_CORRUPT', `${name} in ${dir} is empty (0 bytes). Download the model again.`, file);
  const head = Buffer.alloc(Math.min(size, LFS_MAGIC.length));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') === LFS_MAGIC) {
    throw new StudioError(
      'MODEL_CORRUPT',
      `${name} in ${dir} is a Git LFS pointer, not the file itself. Run "git lfs pull" in the model's repository, or download the real file.`,
      file,
    );
  }
}

function readJson(dir: string, file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StudioError('MODEL_CORRUPT', `${rel(dir, file)} in ${dir} is not valid JSON (${reason}). Download the model again.`, file);
  }
}

function readJsonObject(dir: string, file: string): Record<string, unknown> {
  const value = readJson(dir, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StudioError('MODEL_CORRUPT', `${rel(dir, file)} in ${dir} must hold a JSON object. Download the model again.`, file);
  }
  return value as Record<string, unknown>;
}

function optionalJson(dir: string, relPath: string): Record<string, unknown> | undefined {
  const file = path.join(dir, relPath);
  if (!fs.existsSync(file)) return undefined;
  checkContentStart(dir, file, fs.statSync(file).size);
  return readJsonObject(dir, file);
}

/** Parses the .onnx and checks every external-data file it names exists and is long enough. */
function checkOnnx(dir: string, file: string): OnnxSummary {
  const name = rel(dir, file);
  let summary: OnnxSummary;
  try {
    summary = readOnnxSummary(file);
  } catch (err) {
    if (!(err instanceof OnnxProtoError)) throw err;
    throw new StudioError(
      'MODEL_CORRUPT',
      `${name} could not be loaded: ${err.message}. The file may be truncated or not an ONNX model; download it again.`,
      file,
    );
  }
  // Before any path is resolved or stat'ed: an outside location must reveal nothing about its target.
  assertExternalDataInside(`${dir}: ${name}`, summary.externalData);
  const needed = new Map<string, number>();
  for (const ref of summary.externalData) {
    const end = (ref.offset ?? 0) + (ref.length ?? 0);
    needed.set(ref.location, Math.max(needed.get(ref.location) ?? 0, end));
  }
  for (const [location, minSize] of needed) {
    const dataFile = path.resolve(path.dirname(file), location);
    const dataName = rel(dir, dataFile);
    if (!fs.existsSync(dataFile)) {
      throw new StudioError(
        'MODEL_LAYOUT',
        `${name} keeps its weights in "${location}", but ${dataName} is missing in ${dir}. Copy that file next to ${name} (external-data files must travel with the model).`,
        dataFile,
      );
    }
    const size = fs.statSync(dataFile).size;
    checkContentStart(dir, dataFile, size);
    if (size < minSize) {
      throw new StudioError(
        'MODEL_CORRUPT',
        `${dataName} is ${size} bytes but ${name} reads up to byte ${minSize}. The file is truncated; download it again.`,
        dataFile,
      );
    }
  }
  return summary;
}

function denoiserKind(dir: string): DenoiserKind {
  const hasUnet = fs.existsSync(path.join(dir, 'unet'));
  const hasTransformer = fs.existsSync(path.join(dir, 'transformer'));
  if (!hasUnet && !hasTransformer) {
    throw new StudioError('MODEL_LAYOUT', `${dir} has neither unet/ nor transformer/, so there is no denoiser. ${LAYOUT_HINT}`, dir);
  }
  // Prefer a folder that actually holds a model; report the one that exists otherwise.
  if (hasUnet && (!hasTransformer || fs.existsSync(path.join(dir, 'unet', 'model.onnx')))) return 'unet';
  return 'transformer';
}

/**
 * Validates `dir` and returns what was read on the way.
 * @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT
 */
export function checkPipelineLayout(dir: string): PipelineLayout {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new StudioError('MODEL_NOT_FOUND', `No model folder at ${abs}. Check the path, or run "studio models" to list installed models.`, abs);
  }
  const modelIndex = readJsonObject(abs, requireFile(abs, 'model_index.json'));
  const textEncoder = requireFile(abs, 'text_encoder/model.onnx');
  const kind = denoiserKind(abs);
  const denoiser = requireFile(abs, `${kind}/model.onnx`);
  const vaeDecoder = requireFile(abs, 'vae_decoder/model.onnx');
  requireFile(abs, 'tokenizer/vocab.json');
  requireFile(abs, 'tokenizer/merges.txt');
  readJson(abs, path.join(abs, 'tokenizer/vocab.json'));
  const schedulerConfig = readJson(abs, requireFile(abs, 'scheduler/scheduler_config.json'));

  const layout: PipelineLayout = {
    dir: abs,
    denoiser: kind,
    modelIndex,
    schedulerConfig,
    onnx: { textEncoder: checkOnnx(abs, textEncoder), denoiser: checkOnnx(abs, denoiser), vaeDecoder: checkOnnx(abs, vaeDecoder) },
  };
  const vaeConfig = optionalJson(abs, 'vae_decoder/config.json');
  const denoiserConfig = optionalJson(abs, `${kind}/config.json`);
  const tokenizerConfig = optionalJson(abs, 'tokenizer/tokenizer_config.json');
  const studioJson = optionalJson(abs, 'studio.json');
  if (vaeConfig) layout.vaeConfig = vaeConfig;
  if (denoiserConfig) layout.denoiserConfig = denoiserConfig;
  if (tokenizerConfig) layout.tokenizerConfig = tokenizerConfig;
  if (studioJson) layout.studioJson = studioJson;
  return layout;
}
