/**
 * The cache calls through the studio service (what Electron IPC and browser mode both serve):
 * profiles.start as a job with progress and job.done of kind 'profile', cancel through jobs.cancel,
 * generate.start refusing a missing profile or an out-of-range threshold before queueing,
 * cache.plan, and import/export/delete.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StudioEvent } from '../../../contract/api';
import type { ProfileStartRequest } from '../../../contract/cache';
import { StudioError } from '../../../contract/errors';
import { studioPaths } from '../../../main/config/studio-home';
import { createStudioService, type StudioService } from '../../../main/service/studio-service';
import { testWorkerSpawner } from '../../helpers/job-worker';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let service: StudioService;
const events: StudioEvent[] = [];

beforeAll(() => {
  service = createStudioService({ paths: studioPaths(tempDir('studio-home-')), appVersion: 'test', mode: 'browser', bundledModelsDir: BUNDLED_PIPELINES, spawnWorker: testWorkerSpawner() });
  service.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await service.close();
  cleanupTempDirs();
});

async function terminal(jobId: string): Promise<StudioEvent> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const end = events.find((e) => e.type !== 'job.progress' && e.jobId === jobId);
    if (end) return end;
    if (Date.now() > deadline) throw new Error(`no terminal event for ${jobId}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function waitForEvent(match: (e: StudioEvent) => boolean): Promise<void> {
  const deadline = Date.now() + 50_000;
  while (!events.some(match)) {
    if (Date.now() > deadline) throw new Error('the awaited event never came');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function rejection(run: Promise<unknown>): Promise<StudioError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

const profiling: ProfileStartRequest = { model: 'tiny', steps: 5, cfg: 3, scheduler: 'default', prompts: ['a cat', 'a dog'], provider: 'cpu', seed: 0 };
const generate = { prompt: 'a red apple', negativePrompt: '', steps: 5, cfg: 3, seed: 1, model: 'tiny', provider: 'cpu', scheduler: 'default' } as const;

describe('cache calls in the service', () => {
  test('generate.start with a method that needs a missing profile fails the call itself', async () => {
    const err = await rejection(service.handle('generate.start', { ...generate, cache: { method: 'magcache' } }));
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(err.message).toMatch(/no profile is stored for model tiny\. Record one with "Profile this model" in the Speed-up panel/);
  });

  test('a threshold out of range is INVALID_REQUEST naming the knob', async () => {
    const err = await rejection(service.handle('generate.start', { ...generate, cache: { method: 'teacache', threshold: 7 } }));
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(err.message).toBe('cache: teacache: "threshold" must be a number in [0, 3], got 7');
  });

  test('profiles.start runs as a job: progress over all prompts, then job.done with the profile; the profile is listed', async () => {
    const { jobId } = await service.handle('profiles.start', profiling);
    const end = await terminal(jobId);
    if (end.type !== 'job.done' || end.kind !== 'profile') throw new Error(`expected job.done of a profile, got ${JSON.stringify(end)}`);
    const profile = end.result;
    expect(profile).toMatchObject({ modelId: 'tiny', steps: 5, cfg: 3, prompts: 2 });
    const progress = events.flatMap((e) => (e.type === 'job.progress' && e.progress.jobId === jobId ? [e.progress] : []));
    expect(progress[0]).toMatchObject({ stage: 'queued', totalSteps: 10 });
    expect(progress.filter((p) => p.stage === 'denoise').at(-1)).toMatchObject({ step: 10, totalSteps: 10 });
    expect(await service.handle('profiles.list', { model: 'tiny' })).toEqual([profile]);
    expect(await service.handle('profiles.list', {})).toEqual([profile]);
  });

  test('with the profile stored, a cached generation runs and its record carries the stats', async () => {
    const { jobId } = await service.handle('generate.start', { ...generate, cache: { method: 'magcache', threshold: 3, maxSkips: 1, warmupRatio: 0 } });
    const end = await terminal(jobId);
    if (end.type !== 'job.done' || end.kind !== 'generate') throw new Error(`expected job.done of a generation, got ${JSON.stringify(end)}`);
    const record = end.result;
    expect(record.cacheStats?.computeSteps).toEqual([true, false, true, false, true]);
    expect((await service.handle('history.get', { id: record.id })).cacheStats).toEqual(record.cacheStats);
  });

  test('cache.plan: a plan from the stored profile, or the problem', async () => {
    const target = { model: 'tiny', steps: 5, cfg: 3, scheduler: 'default' } as const;
    const plan = await service.handle('cache.plan', { ...target, cache: { method: 'magcache', threshold: 3, maxSkips: 1, warmupRatio: 0 } });
    expect(plan.plan?.computeSteps).toEqual([true, false, true, false, true]);
    expect(plan.profile?.steps).toBe(5);
    const missing = await service.handle('cache.plan', { ...target, cfg: 4, cache: { method: 'ertacache', timeAdjustment: false } });
    expect(missing.plan).toBeNull();
    expect(missing.problem).toMatch(/were made for DDIMScheduler, 5 steps, shift 1, CFG 3, 64×64/);
  });

  test('export → import → delete through the calls; corrupt JSON gets the clear message', async () => {
    const [stored] = await service.handle('profiles.list', {});
    if (!stored) throw new Error('no profile');
    const { json } = await service.handle('profiles.export', { id: stored.id });
    const imported = await service.handle('profiles.import', { json });
    expect(imported.sha256).toBe(stored.sha256);
    expect(await service.handle('profiles.delete', { id: imported.id })).toEqual({ deleted: true });
    expect(await service.handle('profiles.delete', { id: imported.id })).toEqual({ deleted: false });
    const err = await rejection(service.handle('profiles.import', { json: '{"version":1,' }));
    expect(err.message).toMatch(/^The profile file is not valid: cache profile is not valid JSON/);
    await expect(service.handle('profiles.export', { id: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('a profiling job cancelled with jobs.cancel ends job.cancelled and stores nothing', async () => {
    const before = (await service.handle('profiles.list', {})).length;
    const { jobId } = await service.handle('profiles.start', { ...profiling, steps: 200, prompts: ['a', 'b', 'c', 'd', 'e', 'f'] });
    // Cancelled once it reported a finished step, whatever the machine's speed.
    await waitForEvent((e) => e.type === 'job.progress' && e.progress.jobId === jobId && e.progress.stage === 'denoise' && e.progress.step > 0);
    expect(await service.handle('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect((await terminal(jobId)).type).toBe('job.cancelled');
    expect(await service.handle('profiles.list', {})).toHaveLength(before);
  });
});
