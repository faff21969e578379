/**
 * Importing, linking and deleting user models on a real folder and a real SQLite store: the copy's
 * hash equals the source's, nothing half-copied is ever left in the models folder (a refused
 * folder, a cancel, a dead process's staging folder), a linked model's delete keeps its source,
 * and bundled models cannot be deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { deleteUserModel } from '../../../main/models/model-delete';
import { planModelImport, removeStaleStaging, runModelImport } from '../../../main/models/model-import';
import { ModelRegistry } from '../../../main/models/model-registry';
import { modelCard } from '../../../main/models/model-card';
import { pipelineHash } from '../../../main/runtime/model-hash';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, TINY_DIR, tempDir } from '../../helpers/runtime-fixture';

let home: string;
let registry: ModelRegistry;
let db: StudioDb;

/** A copy of the tiny fixture under `id` (its studio.json says so), outside the studio's home. */
function source(id: string): string {
  const dir = path.join(tempDir('studio-import-src-'), id);
  fs.cpSync(TINY_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id, name: `Imported ${id}` }));
  return dir;
}

const context = () => ({ registry, record: (e: Parameters<StudioDb['modelImports']['insert']>[0]) => db.modelImports.insert(e), hashes: db.folderHashes });
const userEntries = (): string[] => fs.readdirSync(registry.userDir).sort();

function refusal(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a StudioError');
}

beforeEach(() => {
  home = tempDir('studio-home-');
  registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.join(home, 'models') });
  fs.mkdirSync(registry.userDir);
  db = openStudioDb(path.join(home, 'studio.db'));
});
afterEach(() => db.close());
afterAll(() => cleanupTempDirs());

describe('checks before copying', () => {
  test('a relative path, a missing folder, a file, a folder without the layout and a truncated .onnx are refused with the reason', () => {
    expect(refusal(() => planModelImport({ path: 'models/x', mode: 'copy' }, registry))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('absolute') });
    expect(refusal(() => planModelImport({ path: path.join(home, 'nope'), mode: 'copy' }, registry))).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const file = path.join(home, 'file.txt');
    fs.writeFileSync(file, 'x');
    expect(refusal(() => planModelImport({ path: file, mode: 'copy' }, registry))).toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringContaining('is a file') });
    const empty = tempDir();
    expect(refusal(() => planModelImport({ path: empty, mode: 'copy' }, registry))).toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringContaining('model_index.json is missing') });
    const broken = source('broken');
    fs.truncateSync(path.join(broken, 'text_encoder', 'model.onnx'), 64);
    expect(refusal(() => planModelImport({ path: broken, mode: 'copy' }, registry))).toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringContaining('text_encoder/model.onnx') });
  });

  test('an id that a bundled model has, or that is no folder name, is refused', () => {
    const clash = source('emoji-clash');
    fs.writeFileSync(path.join(clash, 'studio.json'), JSON.stringify({ id: 'emoji' }));
    expect(refusal(() => planModelImport({ path: clash, mode: 'copy' }, registry))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('a bundled model') });
    const odd = source('odd');
    fs.writeFileSync(path.join(odd, 'studio.json'), JSON.stringify({ id: '../escape' }));
    expect(refusal(() => planModelImport({ path: odd, mode: 'copy' }, registry))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('cannot be a folder name') });
    expect(userEntries()).toEqual([]);
  });
});

describe('copy', () => {
  test('installs a copy whose hash equals the source, records it, and a second import of the id is refused', async () => {
    const src = source('mine');
    const steps: number[] = [];
    const result = await runModelImport({ path: src, mode: 'copy' }, context(), { onProgress: (p) => steps.push(p.step) });
    expect(result).toMatchObject({ modelId: 'mine', source: src, dir: path.join(registry.userDir, 'mine'), mode: 'copy' });
    expect(result.sha256).toBe(await pipelineHash(src));
    expect(await pipelineHash(result.dir)).toBe(result.sha256);
    expect(steps.at(-1)).toBeGreaterThan(0);
    expect(userEntries()).toEqual(['mine']);
    expect(registry.list().find((m) => m.id === 'mine')).toMatchObject({ source: 'user', name: 'Imported mine' });
    expect(db.modelImports.get(result.id)).toEqual(result);

    const card = await modelCard('mine', registry, db);
    expect(card).toMatchObject({ modelId: 'mine', linked: false, sha256: result.sha256, bytes: result.bytes, imported: { source: src } });
    await expect(runModelImport({ path: src, mode: 'copy' }, context())).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('already installed') });
  });

  test('a cancelled import leaves nothing in the models folder', async () => {
    const controller = new AbortController();
    const run = runModelImport({ path: source('cancelled'), mode: 'copy' }, context(), { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(userEntries()).toEqual([]);
    expect(registry.list().some((m) => m.id === 'cancelled')).toBe(false);
  });

  test('a file that grows while it is copied fails the hash check, and nothing is installed', async () => {
    const src = source('growing');
    let grown = false;
    const grow = () => {
      if (grown) return;
      grown = true;
      // Sorted after the first file copied: the plan recorded its old size.
      fs.appendFileSync(path.join(src, 'vae_decoder', 'model.onnx'), Buffer.alloc(16));
    };
    await expect(runModelImport({ path: src, mode: 'copy' }, context(), { onProgress: grow })).rejects.toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringContaining('does not match') });
    expect(userEntries()).toEqual([]);
  });

  test('a staging folder of a process that is gone is removed; one of a live process is kept', () => {
    const dead = path.join(registry.userDir, '.import-999999999-abc');
    const live = path.join(registry.userDir, `.import-${process.ppid}-abc`);
    fs.mkdirSync(dead);
    fs.mkdirSync(live);
    removeStaleStaging(registry.userDir);
    expect(userEntries()).toEqual([path.basename(live)]);
  });
});

describe('link and delete', () => {
  test('a linked model is a link to its source; deleting it removes the link and keeps the source', async () => {
    const src = source('linked');
    const result = await runModelImport({ path: src, mode: 'link' }, context());
    expect(fs.lstatSync(result.dir).isSymbolicLink()).toBe(true);
    expect(result.sha256).toBe(await pipelineHash(src));
    expect((await modelCard('linked', registry, db)).linked).toBe(true);
    deleteUserModel('linked', registry);
    expect(userEntries()).toEqual([]);
    expect(fs.existsSync(path.join(src, 'model_index.json'))).toBe(true);
  });

  test('a copied model is removed with its folder; bundled and unknown models are refused', async () => {
    await runModelImport({ path: source('gone'), mode: 'copy' }, context());
    deleteUserModel('gone', registry);
    expect(userEntries()).toEqual([]);
    expect(refusal(() => deleteUserModel('emoji', registry))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('bundled') });
    expect(refusal(() => deleteUserModel('nothing-here', registry))).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(fs.existsSync(path.join(BUNDLED_PIPELINES, 'emoji', 'model_index.json'))).toBe(true);
  });
});
