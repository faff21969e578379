/**
 * Which pipelines the studio knows: bundled ones (every folder with a model_index.json in
 * the bundled pipelines folder) and the user's (STUDIO_HOME/models/*), each validated by
 * runtime/pipeline-layout.ts and described by a contract ModelInfo.
 *
 * Ids come from the folder's studio.json `id`, else the folder name. A user model whose id
 * is already taken is listed as `user/<folder>`. Folders that fail validation are left
 * out of `list()` and reported by `problems()`; resolving one by path gives its real error.
 *
 * The default model is 'emoji' when present, else the first bundled model by folder name,
 * else the first user model.
 *
 * Each model carries its recommended settings (recommended-settings.ts). Folders declared test
 * fixtures (the untrained `tiny`) are left out unless STUDIO_SHOW_FIXTURES=1; a fixture can
 * still be run by its folder path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelInfo, RecommendedSettings } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { pipelineGeometry } from '../runtime/pipeline-geometry';
import { checkPipelineLayout, type PipelineLayout } from '../runtime/pipeline-layout';
import { bundledPipelinesDir } from './app-root';
import { modelDeclarations, showFixtures } from './recommended-settings';
import { videoDeclaration } from './video-declaration';
import type { HashStore } from '../runtime/model-hash';

export const PREFERRED_DEFAULT_MODEL = 'emoji';

export interface ModelProblem {
  dir: string;
  code: string;
  message: string;
}

export interface ModelRegistryOptions {
  /** Bundled pipelines folder; default <appRoot>/native-models/pipelines (a packaged app passes its resources path). */
  bundledDir?: string;
  /** User pipelines folder: StudioPaths.models. */
  userDir: string;
  /** The persistent folder-hash cache (opened on first use), so a cold process does not rehash the bundled pipelines to match them to their settings. */
  hashes?: () => HashStore | undefined;
}

interface Scan {
  models: ModelInfo[];
  problems: ModelProblem[];
}

/** Visible subfolders (symlinks to folders included; dangling links skipped), sorted. */
function subfolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const isDir = (p: string): boolean => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  return fs
    .readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => path.join(dir, name))
    .filter(isDir)
    .sort();
}

function stringField(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

const STAMPED_FOLDERS = ['', 'text_encoder', 'unet', 'transformer', 'vae_decoder', 'tokenizer', 'scheduler'];

/** Names, sizes and mtimes of the files a layout check reads (the top level and each component folder). */
function folderStamp(dir: string): string {
  const parts: string[] = [];
  for (const sub of STAMPED_FOLDERS) {
    const folder = path.join(dir, sub);
    let names: string[];
    try {
      names = fs.readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const st = fs.statSync(path.join(folder, name));
        if (st.isFile()) parts.push(`${sub}/${name}:${st.size}:${st.mtimeMs}`);
      } catch {
        parts.push(`${sub}/${name}:gone`);
      }
    }
  }
  return parts.join('|');
}

/** ModelInfo of a validated layout (isDefault filled in by the registry). */
export function describeModel(layout: PipelineLayout, id: string, source: ModelInfo['source'], recommended: RecommendedSettings): ModelInfo {
  const geometry = pipelineGeometry(layout);
  const video = videoDeclaration(layout.dir, layout.studioJson);
  const sc = layout.schedulerConfig;
  const scheduler = typeof sc === 'object' && sc !== null && typeof (sc as { _class_name?: unknown })._class_name === 'string'
    ? (sc as { _class_name: string })._class_name
    : 'unknown';
  return {
    id,
    name: stringField(layout.studioJson, 'name') ?? path.basename(layout.dir),
    dir: layout.dir,
    source,
    denoiser: layout.denoiser,
    scheduler,
    width: geometry.width,
    height: geometry.height,
    isDefault: false,
    recommended,
    ...(video === undefined ? { kind: 'image' as const } : { kind: 'video' as const, video }),
  };
}

export class ModelRegistry {
  readonly bundledDir: string;
  readonly userDir: string;
  readonly #hashes: (() => HashStore | undefined) | undefined;

  constructor(options: ModelRegistryOptions) {
    this.bundledDir = path.resolve(options.bundledDir ?? bundledPipelinesDir());
    this.userDir = path.resolve(options.userDir);
    this.#hashes = options.hashes;
  }
  /** The hash store, or none while the database cannot be opened: listing models must not depend on it (the hash is then only cached in-process). */
  #hashStore(): HashStore | undefined {
    try {
      return this.#hashes?.();
    } catch {
      return undefined;
    }
  }


  /** Layout checks by folder, reused while no file in the pipeline's folders changes size or mtime. */
  private readonly checked = new Map<string, { stamp: string; result: PipelineLayout | StudioError }>();

  /** checkPipelineLayout, cached: listing runs on every generation and must not re-read every model. */
  private checkLayout(dir: string): PipelineLayout {
    const stamp = folderStamp(dir);
    let hit = this.checked.get(dir);
    if (!hit || hit.stamp !== stamp) {
      let result: PipelineLayout | StudioError;
      try {
        result = checkPipelineLayout(dir);
      } catch (err) {
        if (!(err instanceof StudioError)) throw err;
        result = err;
      }
      hit = { stamp, result };
      this.checked.set(dir, hit);
    }
    if (hit.result instanceof StudioError) throw hit.result;
    return hit.result;
  }

  private scan(): Scan {
    const models: ModelInfo[] = [];
    const problems: ModelProblem[] = [];
    const taken = new Set<string>();
    const add = (dir: string, source: ModelInfo['source']): void => {
      if (!fs.existsSync(path.join(dir, 'model_index.json')) && source === 'bundled') return;
      try {
        const layout = this.checkLayout(dir);
        let id = stringField(layout.studioJson, 'id') ?? path.basename(dir);
        if (taken.has(id)) id = `user/${path.basename(dir)}`;
        if (taken.has(id)) throw new StudioError('MODEL_LAYOUT', `Model id "${id}" is used twice; give ${dir}/studio.json a unique "id".`);
        const declared = modelDeclarations(dir, id, layout.studioJson, this.#hashStore());
        if (declared.fixture && !showFixtures()) return;
        taken.add(id);
        models.push(describeModel(layout, id, source, declared.recommended));
      } catch (err) {
        if (!(err instanceof StudioError)) throw err;
        problems.push({ dir, code: err.code, message: err.message });
      }
    };
    for (const dir of subfolders(this.bundledDir)) add(dir, 'bundled');
    for (const dir of subfolders(this.userDir)) add(dir, 'user');
    // STUDIO_DEFAULT_MODEL picks another default by id (the test suite uses the fast `tiny`).
    const wanted = process.env.STUDIO_DEFAULT_MODEL?.trim();
    const def =
      (wanted ? models.find((m) => m.id === wanted) : undefined) ??
      models.find((m) => m.id === PREFERRED_DEFAULT_MODEL) ?? models.find((m) => m.source === 'bundled') ?? models[0];
    if (def) def.isDefault = true;
    return { models, problems };
  }

  /** Every valid model, bundled first, each folder set sorted by name. */
  list(): ModelInfo[] {
    return this.scan().models;
  }

  /** Folders that look like models but failed validation, with the reason. */
  problems(): ModelProblem[] {
    return this.scan().problems;
  }

  /** @throws StudioError MODEL_NOT_FOUND when there is no model at all */
  defaultModel(): ModelInfo {
    const def = this.list().find((m) => m.isDefault);
    if (!def) {
      throw new StudioError('MODEL_NOT_FOUND', `No models installed: ${this.bundledDir} and ${this.userDir} hold no pipeline folders.`);
    }
    return def;
  }

  /**
   * A model by id, or by folder path (absolute, or relative to the working directory).
   * A folder that is not a listed model gets its absolute path as id, so a Recipe naming
   * it resolves again.
   * @throws StudioError MODEL_NOT_FOUND (listing the known ids) | MODEL_LAYOUT | MODEL_CORRUPT
   */
  resolve(idOrDir: string): ModelInfo {
    const { models } = this.scan();
    const byId = models.find((m) => m.id === idOrDir);
    if (byId) return byId;
    const dir = path.resolve(idOrDir);
    const looksLikePath = path.isAbsolute(idOrDir) || /[\\/]/.test(idOrDir) || idOrDir.startsWith('.');
    if (looksLikePath || fs.existsSync(dir)) {
      const listed = models.find((m) => m.dir === dir);
      if (listed) return listed;
      if (fs.existsSync(dir)) {
        const layout = this.checkLayout(dir);
        return describeModel(layout, dir, 'user', modelDeclarations(dir, stringField(layout.studioJson, 'id') ?? path.basename(dir), layout.studioJson, this.#hashStore()).recommended);
      }
    }
    const known = models.map((m) => m.id).join(', ') || 'none';
    throw new StudioError(
      'MODEL_NOT_FOUND',
      `No model "${idOrDir}": it is neither a known model id (${known}) nor a pipeline folder.`,
      'model',
    );
  }
}
