import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { GENERIC_RECOMMENDED } from '../../../contract/recommended-settings';
import { ModelRegistry } from '../../../main/models/model-registry';
import { modelDeclarations, RECOMMENDED_SETTINGS_FILE } from '../../../main/models/recommended-settings';
import { pipelineHash } from '../../../main/runtime/model-hash';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);
afterEach(() => vi.unstubAllEnvs());

/** A bundled-style folder holding a copy of tiny and, when given, a sidecar beside it. */
function bundledCopy(sidecar?: unknown): { bundledDir: string; dir: string } {
  const bundledDir = tempDir();
  const dir = path.join(bundledDir, 'tiny');
  fs.cpSync(TINY_DIR, dir, { recursive: true });
  if (sidecar !== undefined) fs.writeFileSync(path.join(bundledDir, RECOMMENDED_SETTINGS_FILE), typeof sidecar === 'string' ? sidecar : JSON.stringify(sidecar));
  return { bundledDir, dir };
}

const userDir = (): string => path.join(tempDir(), 'models');

describe('recommended settings of the bundled models', () => {
  test('emoji and emoji-small: 50 steps, CFG 4, their own scheduler, six example prompts', () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: userDir() });
    for (const id of ['emoji', 'emoji-small']) {
      const { recommended } = registry.resolve(id);
      expect(recommended).toMatchObject({ steps: 50, cfg: 4, scheduler: 'default', source: 'model' });
      expect(recommended.examplePrompts).toHaveLength(6);
    }
  });

  test('the sidecar names each bundled model by its real pipeline hash', async () => {
    const sidecar = JSON.parse(fs.readFileSync(path.join(BUNDLED_PIPELINES, RECOMMENDED_SETTINGS_FILE), 'utf8')) as { models: Record<string, { sha256: string }> };
    for (const [id, entry] of Object.entries(sidecar.models)) {
      expect(await pipelineHash(path.join(BUNDLED_PIPELINES, id)), id).toBe(entry.sha256);
    }
  });
});

describe('the tiny fixture', () => {
  test('is not in the list without STUDIO_SHOW_FIXTURES=1, and emoji is the default', () => {
    vi.stubEnv('STUDIO_SHOW_FIXTURES', '');
    vi.stubEnv('STUDIO_DEFAULT_MODEL', '');
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: userDir() });
    expect(registry.list().map((m) => m.id)).toEqual(['emoji', 'emoji-motion', 'emoji-small']);
    expect(registry.defaultModel().id).toBe('emoji');
    expect(() => registry.resolve('tiny')).toThrow(/No model "tiny"/);
    // Its folder path still runs it, for anyone who asks for it by name.
    expect(registry.resolve(TINY_DIR).recommended.steps).toBe(20);
  });

  test('is listed with STUDIO_SHOW_FIXTURES=1', () => {
    vi.stubEnv('STUDIO_SHOW_FIXTURES', '1');
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: userDir() });
    expect(registry.list().map((m) => m.id)).toContain('tiny');
  });
});

describe('sources and fallbacks', () => {
  test('a model nothing declares gets the generic 30 steps, CFG 5', () => {
    const { bundledDir } = bundledCopy();
    const registry = new ModelRegistry({ bundledDir, userDir: userDir() });
    expect(registry.resolve('tiny').recommended).toEqual(GENERIC_RECOMMENDED);
    expect(GENERIC_RECOMMENDED).toMatchObject({ steps: 30, cfg: 5, source: 'generic' });
  });

  test('a sidecar entry whose sha256 is not the folder\'s does not apply (the weights changed)', () => {
    const { bundledDir } = bundledCopy({ models: { tiny: { sha256: '0'.repeat(64), fixture: true, recommended: { steps: 7, cfg: 2 } } } });
    const registry = new ModelRegistry({ bundledDir, userDir: userDir() });
    const tiny = registry.resolve('tiny');
    expect(tiny.recommended).toEqual(GENERIC_RECOMMENDED);
  });

  test('a user model declares its own under "recommended" in studio.json', () => {
    const dir = path.join(userDir(), 'mine');
    fs.cpSync(TINY_DIR, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id: 'mine', recommended: { steps: 12, cfg: 3.5, scheduler: 'euler', examplePrompts: ['a red apple'] } }));
    const declared = modelDeclarations(dir, 'mine', JSON.parse(fs.readFileSync(path.join(dir, 'studio.json'), 'utf8')) as Record<string, unknown>);
    expect(declared).toEqual({ recommended: { steps: 12, cfg: 3.5, scheduler: 'euler', examplePrompts: ['a red apple'], source: 'model' }, fixture: false });
  });
});

describe('bad declarations are clear errors', () => {
  test('a sidecar with an out-of-range CFG names the file and the field', () => {
    const { bundledDir, dir } = bundledCopy({ models: { tiny: { sha256: '0'.repeat(64), recommended: { steps: 20, cfg: 40 } } } });
    const registry = new ModelRegistry({ bundledDir, userDir: userDir() });
    expect(registry.list()).toEqual([]);
    const [problem] = registry.problems();
    expect(problem).toMatchObject({ dir, code: 'MODEL_LAYOUT' });
    expect(problem?.message).toBe(`${path.join(bundledDir, RECOMMENDED_SETTINGS_FILE)}: models.tiny.recommended.cfg: must be a number between 0 and 30 (got 40)`);
  });

  test('a sidecar that is not JSON, or has a typo in a key, is refused', () => {
    expect(() => modelDeclarations(bundledCopy('{ "models": ').dir, 'tiny', undefined)).toThrow(/recommended-settings\.json is not valid JSON/);
    const typo = bundledCopy({ models: { tiny: { sha256: '0'.repeat(64), recommended: { stpes: 20, steps: 20, cfg: 4 } } } });
    expect(() => modelDeclarations(typo.dir, 'tiny', undefined)).toThrow(/models\.tiny\.recommended: Unrecognized key: "stpes"/);
  });

  test('a user studio.json with a bad "recommended" keeps that model out of the list, with the reason', () => {
    const users = userDir();
    const dir = path.join(users, 'mine');
    fs.cpSync(TINY_DIR, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id: 'mine', recommended: { steps: 0, cfg: 4 } }));
    const registry = new ModelRegistry({ bundledDir: path.join(tempDir(), 'none'), userDir: users });
    expect(registry.list()).toEqual([]);
    expect(registry.problems()[0]?.message).toBe(`${path.join(dir, 'studio.json')}: recommended: steps: must be an integer between 1 and 1000 (got 0)`);
  });
});
