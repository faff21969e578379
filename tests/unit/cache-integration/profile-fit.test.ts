/**
 * An imported profile whose key matches the run but whose data was recorded for another run
 * (other timesteps, another latent shape) is refused with what differs, by cache.plan and by a
 * cached generation, instead of being applied.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { planCache } from '../../../main/cache/cache-plan';
import { exportProfile, importProfile } from '../../../main/cache/profile-transfer';
import { runProfiling } from '../../../main/cache/run-profiling';
import { runGeneration } from '../../../main/generation/run-generation';
import { cleanupTempDirs } from '../../helpers/runtime-fixture';
import { openFixture, type StudioFixture } from './integration-fixture';

let recorded: StudioFixture;
let json: string;
beforeAll(async () => {
  recorded = openFixture();
  const summary = await runProfiling({ model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', prompts: ['a cat'], provider: 'cpu', seed: 10 }, { registry: recorded.registry, db: recorded.db, pipelines: recorded.pipelines });
  json = exportProfile(recorded.db, summary.id);
}, 60_000);
afterAll(async () => {
  await recorded.close();
  cleanupTempDirs();
});

const magcache = { method: 'magcache', threshold: 3, maxSkips: 2, warmupRatio: 0 } as const;
const request: GenerateRequest = { prompt: 'a red apple', negativePrompt: '', steps: 6, cfg: 5, seed: 3, model: 'tiny', provider: 'cpu', scheduler: 'default', cache: magcache };

/** Imports the recorded profile, edited by `edit`, into a fresh STUDIO_HOME; returns the plan and the generation's error there. */
async function importEdited(edit: (profile: { timesteps: number[]; latentShape: number[] }) => void): Promise<{ problem: string | null; error: StudioError; id: number }> {
  const profile = JSON.parse(json) as { timesteps: number[]; latentShape: number[] };
  edit(profile);
  const f = openFixture();
  try {
    const imported = await importProfile(f.db, f.registry, JSON.stringify(profile));
    const plan = await planCache({ model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', cache: magcache }, { registry: f.registry, db: f.db });
    expect(plan.plan).toBeNull();
    const error = await runGeneration(request, { registry: f.registry, db: f.db, pipelines: f.pipelines, paths: f.paths, appVersion: 'test' }).then(
      () => new StudioError('INTERNAL', 'the generation ran'),
      (e: unknown) => e as StudioError,
    );
    return { problem: plan.problem, error, id: imported.id };
  } finally {
    await f.close();
  }
}

describe("an imported profile is checked against the run's timesteps and latent shape", () => {
  test('other timesteps: refused, naming the first that differs', async () => {
    const { problem, error, id } = await importEdited((p) => {
      p.timesteps[2] = (p.timesteps[2] as number) + 7;
    });
    expect(problem).toMatch(new RegExp(`^Cache profile ${id} was recorded for another run: its timestep 3 is \\d+(\\.\\d+)?, but this run's is \\d+`));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(error.message).toMatch(/matches this run's settings but was recorded for another run: its timestep 3 is/);
  });

  test('another latent shape: refused, naming both shapes', async () => {
    const { problem, error } = await importEdited((p) => {
      p.latentShape = [4, 16, 16];
    });
    expect(problem).toContain("its latent shape is 4×16×16, but this model's latents are 4×8×8");
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(error.message).toContain('4×16×16');
  });

  test('the profile as recorded still plans and runs', async () => {
    const f = openFixture();
    try {
      await importProfile(f.db, f.registry, json);
      const plan = await planCache({ model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', cache: magcache }, { registry: f.registry, db: f.db });
      expect(plan.problem).toBeNull();
      const record = await runGeneration(request, { registry: f.registry, db: f.db, pipelines: f.pipelines, paths: f.paths, appVersion: 'test' });
      expect(record.cacheStats?.steps).toBe(6);
    } finally {
      await f.close();
    }
  });
});
