/**
 * generate.start refuses a scheduler that cannot run the model (the UI hides these; a request
 * from elsewhere still gets a clear error) before anything is queued.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { studioPaths } from '../../../main/config/studio-home';
import { createStudioService, type StudioService } from '../../../main/service/studio-service';
import { testWorkerSpawner } from '../../helpers/job-worker';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

let service: StudioService;
beforeAll(() => {
  service = createStudioService({ paths: studioPaths(tempDir('studio-home-')), appVersion: 'test', mode: 'browser', bundledModelsDir: BUNDLED_PIPELINES, spawnWorker: testWorkerSpawner() });
});
afterAll(async () => {
  await service.close();
  cleanupTempDirs();
});

const request = (over: Partial<GenerateRequest>): GenerateRequest => ({
  prompt: 'red heart', negativePrompt: '', steps: 50, cfg: 4, seed: 1, model: 'emoji', provider: 'cpu', scheduler: 'default', ...over,
});

test.each(['ddim', 'euler', 'dpmpp-2m'] as const)('%s on the flow-matching emoji → INVALID_REQUEST about the scheduler, nothing queued', async (scheduler) => {
  const err = await service.handle('generate.start', request({ scheduler })).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StudioError);
  expect(err).toMatchObject({ code: 'INVALID_REQUEST', detail: 'scheduler' });
  expect((err as StudioError).message).toBe(
    `The scheduler cannot run this request: scheduler "${scheduler}" cannot run a flow-matching model (its scheduler_config.json names FlowMatchEulerDiscreteScheduler).`,
  );
  expect(await service.handle('jobs.list', {})).toEqual([]);
});

test('flow-euler on a DDPM-family model is refused the same way', async () => {
  const err = await service.handle('generate.start', request({ model: 'tiny', scheduler: 'flow-euler', steps: 4 })).then(() => undefined, (e: unknown) => e);
  expect(err).toMatchObject({ code: 'INVALID_REQUEST', detail: 'scheduler' });
  expect((err as StudioError).message).toMatch(/cannot run a noise-prediction/);
});
