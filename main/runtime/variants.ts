/**
 * Component variants on disk: another model file standing in for a component's own, e.g. an
 * int8-quantized denoiser. They live in the studio's data folder, never inside the model folder,
 * so the component's content hash — and every cache profile keyed by it — stays valid:
 *
 *   STUDIO_HOME/variants/<component sha256>/<variant name>/
 *     model.onnx        (plus any external-data files it names)
 *     variant.json      { name, componentHash, role, modelSha256, createdAt, ...details }
 *
 * A variant is installed whole or not at all: its files are written into a staging folder that
 * is renamed into place last, so a cancelled or crashed writer leaves no half-written variant.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VARIANT_NAME_PATTERN } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { type ComponentIdentity, ORIGINAL_VARIANT } from './components';

export const VARIANT_MODEL_FILE = 'model.onnx';
const META_FILE = 'variant.json';

export interface VariantInfo {
  name: string;
  componentHash: string;
  role: string;
  /** sha256 of model.onnx. */
  modelSha256: string;
  createdAt: string;
  /** Whatever the writer records (precision, calibration settings, ops left in fp32…). */
  details?: Record<string, unknown>;
}

export interface ResolvedVariant {
  info: VariantInfo;
  /** Absolute path of the variant's model.onnx. */
  file: string;
}

function checkName(name: string): void {
  if (!VARIANT_NAME_PATTERN.test(name) || name === ORIGINAL_VARIANT) {
    throw new StudioError('INVALID_REQUEST', `"${name}" is not a variant name: use lowercase letters, digits and dashes (up to 48), and not "${ORIGINAL_VARIANT}", which names the model's own file.`, 'variant');
  }
}

export function variantDir(root: string, componentHash: string, name: string): string {
  checkName(name);
  return path.join(root, componentHash, name);
}

/**
 * The variant `name` of `component`.
 * @throws StudioError NOT_FOUND when it is not installed (listing the ones that are); MODEL_CORRUPT when its files are damaged
 */
export function resolveVariant(root: string, component: ComponentIdentity, name: string): ResolvedVariant {
  const dir = variantDir(root, component.hash, name);
  const metaFile = path.join(dir, META_FILE);
  if (!fs.existsSync(metaFile)) {
    const installed = listVariants(root, component.hash).map((v) => v.name);
    throw new StudioError(
      'NOT_FOUND',
      `The ${component.role} of this model has no variant "${name}"${installed.length > 0 ? ` (installed: ${installed.join(', ')})` : ' (none is installed)'}.`,
      'variant',
    );
  }
  let info: VariantInfo;
  try {
    info = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as VariantInfo;
  } catch (err) {
    throw new StudioError('MODEL_CORRUPT', `${metaFile} cannot be read: ${err instanceof Error ? err.message : String(err)}.`, metaFile);
  }
  const file = path.join(dir, VARIANT_MODEL_FILE);
  if (!fs.existsSync(file) || info.componentHash !== component.hash || info.name !== name) {
    throw new StudioError('MODEL_CORRUPT', `The variant folder ${dir} is incomplete or belongs to another component; delete it and create the variant again.`, dir);
  }
  return { info, file };
}

/** Installed variants of a component, by name. */
export function listVariants(root: string, componentHash: string): VariantInfo[] {
  const dir = path.join(root, componentHash);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && VARIANT_NAME_PATTERN.test(e.name) && fs.existsSync(path.join(dir, e.name, META_FILE)))
    .map((e) => JSON.parse(fs.readFileSync(path.join(dir, e.name, META_FILE), 'utf8')) as VariantInfo)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface VariantFiles {
  /** Bytes of model.onnx. */
  model: Uint8Array;
  /** External-data files the model names, by file name. */
  extra?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Installs (or replaces) variant `name` of `component`, atomically.
 * @param shouldStop checked before the final rename; returning true discards everything written
 * @returns the installed variant, or undefined when stopped
 */
export function installVariant(
  root: string,
  component: ComponentIdentity,
  name: string,
  files: VariantFiles,
  details: Record<string, unknown> = {},
  shouldStop: () => boolean = () => false,
): ResolvedVariant | undefined {
  const target = variantDir(root, component.hash, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${name}-staging-`));
  try {
    fs.writeFileSync(path.join(staging, VARIANT_MODEL_FILE), files.model);
    for (const [file, bytes] of files.extra ?? []) {
      if (path.basename(file) !== file || file === META_FILE || file === VARIANT_MODEL_FILE) throw new StudioError('INTERNAL', `variant file name "${file}" is not allowed`);
      fs.writeFileSync(path.join(staging, file), bytes);
    }
    const info: VariantInfo = {
      name,
      componentHash: component.hash,
      role: component.role,
      modelSha256: crypto.createHash('sha256').update(files.model).digest('hex'),
      createdAt: new Date().toISOString(),
      details,
    };
    fs.writeFileSync(path.join(staging, META_FILE), `${JSON.stringify(info, null, 2)}\n`);
    if (shouldStop()) return undefined;
    // Replace: move the old one aside first so the rename below cannot fail on a non-empty folder.
    const old = fs.existsSync(target) ? `${staging}-old` : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(staging, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
    return { info, file: path.join(target, VARIANT_MODEL_FILE) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
