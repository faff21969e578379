/**
 * `studio generate`, `eval` and `profile` start from the chosen model's recommended settings
 * (the same ones the app's form applies), and `--seed -1` draws a seed that the request, and so
 * the recipe, records.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_CALIBRATION_PROMPTS } from '../../../contract/calibration-prompts';
import { parseEvalArgs } from '../../../main/cli/eval-command';
import { parseGenerateArgs } from '../../../main/cli/generate-command';
import { parseProfileArgs } from '../../../main/cli/profile-command';
import { ModelRegistry } from '../../../main/models/model-registry';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.join(tempDir(), 'models') });
const recommendedFor = (model: string) => registry.resolve(model).recommended;

describe('defaults come from the model', () => {
  test('generate on emoji: 50 steps, CFG 4; on tiny: its own 20 steps, CFG 5', () => {
    expect(parseGenerateArgs(['--prompt', 'red heart', '--model', 'emoji'], () => 'tiny', recommendedFor).request).toMatchObject({ steps: 50, cfg: 4, scheduler: 'default' });
    expect(parseGenerateArgs(['--prompt', 'red heart'], () => 'tiny', recommendedFor).request).toMatchObject({ model: 'tiny', steps: 20, cfg: 5 });
  });

  test('given values win over the recommended ones', () => {
    const p = parseGenerateArgs(['--prompt', 'x', '--model', 'emoji', '--steps', '8', '--cfg', '2.5'], () => 'tiny', recommendedFor);
    expect(p.request).toMatchObject({ steps: 8, cfg: 2.5 });
  });

  test('a hybrid run takes the large model’s settings', () => {
    const p = parseGenerateArgs(['--prompt', 'x', '--hybrid', 'emoji:10,emoji-small'], () => 'tiny', recommendedFor);
    expect(p.request).toMatchObject({ model: 'emoji', steps: 50, cfg: 4 });
  });

  test('eval on emoji: 50 steps, CFG 4', () => {
    const { options } = parseEvalArgs(['--model', 'emoji', '--json', 'r.json'], () => 'tiny', recommendedFor);
    expect(options).toMatchObject({ model: 'emoji', steps: 50, cfg: 4, scheduler: 'default' });
  });

  test('profile: the model’s steps and CFG, and the built-in calibration prompts when no file is given', () => {
    const { request } = parseProfileArgs(['--model', 'emoji'], () => 'tiny', recommendedFor);
    expect(request).toMatchObject({ model: 'emoji', steps: 50, cfg: 4, scheduler: 'default', seed: 1000 });
    expect(request.prompts).toEqual([...DEFAULT_CALIBRATION_PROMPTS]);
    expect(request.prompts.length).toBeGreaterThanOrEqual(4);
  });
});

describe('--seed -1', () => {
  test('draws a fresh random seed each time and puts it in the request', () => {
    const seeds = Array.from({ length: 8 }, () => parseGenerateArgs(['--prompt', 'x', '--seed', '-1'], () => 'tiny', recommendedFor));
    for (const p of seeds) {
      expect(p.randomSeed).toBe(true);
      expect(Number.isInteger(p.request.seed) && p.request.seed >= 0 && p.request.seed <= 0xffff_ffff).toBe(true);
    }
    // 8 draws from 2^32 values: a repeat means the seed is not random.
    expect(new Set(seeds.map((p) => p.request.seed)).size).toBe(8);
  });

  test('--seed=-1 is the same; a given seed is kept and not marked random', () => {
    expect(parseGenerateArgs(['--prompt', 'x', '--seed=-1'], () => 'tiny').randomSeed).toBe(true);
    const fixed = parseGenerateArgs(['--prompt', 'x', '--seed', '77'], () => 'tiny');
    expect(fixed).toMatchObject({ randomSeed: false, request: { seed: 77 } });
  });
});
