import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findAppRoot } from '../../../main/models/app-root';
import { ModelRegistry } from '../../../main/models/model-registry';
import { pipelineHash } from '../../../main/runtime/model-hash';
import { BUNDLED_PIPELINES, cleanupTempDirs, copyTiny, REPO_ROOT, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

describe('pipelineHash', () => {
  test('is a sha256 hex that is the same for an identical copy', async () => {
    const a = await pipelineHash(TINY_DIR);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await pipelineHash(copyTiny())).toBe(a);
  });

  test('changes when any byte of any file changes, and ignores hidden files', async () => {
    const dir = copyTiny();
    const before = await pipelineHash(dir);
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'finder junk');
    expect(await pipelineHash(dir)).toBe(before);
    const file = path.join(dir, 'transformer', 'model.onnx_data');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    fs.writeFileSync(file, bytes);
    expect(await pipelineHash(dir)).not.toBe(before);
  });

  test('a renamed file changes the hash (paths are hashed too)', async () => {
    const dir = copyTiny();
    const before = await pipelineHash(dir);
    fs.renameSync(path.join(dir, 'README.md'), path.join(dir, 'README.txt'));
    expect(await pipelineHash(dir)).not.toBe(before);
  });
});

describe('ModelRegistry', () => {
  const emptyUser = (): string => path.join(tempDir(), 'models');

  test('lists the bundled tiny model with sizes read from the files', () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: emptyUser() });
    const tiny = registry.list().find((m) => m.id === 'tiny');
    expect(tiny).toEqual({
      id: 'tiny',
      name: 'Tiny test fixture (untrained)',
      dir: TINY_DIR,
      source: 'bundled',
      denoiser: 'transformer',
      scheduler: 'DDIMScheduler',
      width: 64,
      height: 64,
      // The suite sets STUDIO_DEFAULT_MODEL=tiny (vitest.config.ts); without it, 'emoji' wins when present.
      isDefault: process.env.STUDIO_DEFAULT_MODEL === 'tiny' || !registry.list().some((m) => m.id === 'emoji'),
      recommended: { steps: 20, cfg: 5, scheduler: 'default', examplePrompts: ['a red apple', 'a blue car'], source: 'model' },
      kind: 'image',
    });
    expect(registry.list().filter((m) => m.isDefault)).toHaveLength(1);
  });

  test('the default bundled dir is found from the app root', () => {
    expect(findAppRoot()).toBe(REPO_ROOT);
    const registry = new ModelRegistry({ userDir: emptyUser() });
    expect(registry.bundledDir).toBe(BUNDLED_PIPELINES);
  });

  test('resolves ids, absolute and relative folder paths', () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: emptyUser() });
    expect(registry.resolve('tiny').dir).toBe(TINY_DIR);
    expect(registry.resolve(TINY_DIR).id).toBe('tiny');
    expect(registry.resolve(path.relative(process.cwd(), TINY_DIR)).id).toBe('tiny');
    const elsewhere = copyTiny('my-model');
    const info = registry.resolve(elsewhere);
    expect(info.id).toBe(elsewhere); // not a listed model: its path is its id, so a recipe resolves again
    expect(info.source).toBe('user');
  });

  test('an unknown id → MODEL_NOT_FOUND listing the known ids', () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: emptyUser() });
    expect(() => registry.resolve('does-not-exist')).toThrow(/No model "does-not-exist": it is neither a known model id \(.*tiny.*\) nor a pipeline folder/);
  });

  test('user models are listed; a taken id becomes user/<folder>; broken folders are reported, not listed', () => {
    const userDir = emptyUser();
    fs.mkdirSync(userDir, { recursive: true });
    fs.cpSync(TINY_DIR, path.join(userDir, 'copy-of-tiny'), { recursive: true });
    fs.cpSync(TINY_DIR, path.join(userDir, 'broken'), { recursive: true });
    fs.rmSync(path.join(userDir, 'broken', 'vae_decoder', 'model.onnx'));
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir });
    const user = registry.list().filter((m) => m.source === 'user');
    expect(user.map((m) => m.id)).toEqual(['user/copy-of-tiny']);
    expect(registry.problems()).toEqual([
      expect.objectContaining({ dir: path.join(userDir, 'broken'), code: 'MODEL_LAYOUT', message: expect.stringMatching(/vae_decoder\/model\.onnx is missing/) }),
    ]);
    expect(() => registry.resolve(path.join(userDir, 'broken'))).toThrow(/vae_decoder\/model\.onnx is missing/);
  });

  test('a model broken after it was listed is noticed on the next listing (cache follows the files)', () => {
    const userDir = emptyUser();
    fs.mkdirSync(userDir, { recursive: true });
    const dir = path.join(userDir, 'later-broken');
    fs.cpSync(TINY_DIR, dir, { recursive: true });
    const registry = new ModelRegistry({ bundledDir: path.join(tempDir(), 'none'), userDir });
    expect(registry.list().map((m) => m.dir)).toEqual([dir]);
    fs.rmSync(path.join(dir, 'transformer', 'model.onnx_data'));
    expect(registry.list()).toEqual([]);
    expect(registry.problems()[0]?.message).toMatch(/model\.onnx_data is missing/);
  });

  test('with no bundled models the first user model is the default', () => {
    const userDir = emptyUser();
    fs.mkdirSync(userDir, { recursive: true });
    fs.cpSync(TINY_DIR, path.join(userDir, 'mine'), { recursive: true });
    const registry = new ModelRegistry({ bundledDir: path.join(tempDir(), 'none'), userDir });
    expect(registry.defaultModel().id).toBe('tiny');
    expect(registry.defaultModel().source).toBe('user');
  });

  test('no models at all → MODEL_NOT_FOUND from defaultModel()', () => {
    const registry = new ModelRegistry({ bundledDir: path.join(tempDir(), 'none'), userDir: emptyUser() });
    expect(registry.list()).toEqual([]);
    expect(() => registry.defaultModel()).toThrow(/No models installed/);
  });
});
