// The job queue survives a crash: five queued generations, the server killed with SIGKILL in
// the middle of the second, then restarted on the same STUDIO_HOME, end with exactly five
// history rows, one per requested seed. The job that was running is recorded as interrupted
// (with the reason) and its automatic retry is the one that stored its image.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import type { JobSummary } from '../../contract/jobs';
import { apiCall, openEvents } from './harness/api-client';
import { startServer, type RunningServer } from './harness/server';

const SEEDS = [101, 102, 103, 104, 105];
// The most a request may ask for, so a job is still far from done when the test, having
// seen its fifth step, kills the server.
const STEPS = 1000;
let home: string;
let server: RunningServer | undefined;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'studio-crash-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(home, { recursive: true, force: true });
});

const request = (seed: number) => ({ prompt: `crash test ${seed}`, negativePrompt: '', steps: STEPS, cfg: 2, seed, model: 'tiny', provider: 'cpu', scheduler: 'euler' });

test('SIGKILL mid-queue, restart: the remaining jobs finish, no history row lost or duplicated', async () => {
  server = await startServer(home);
  const first = server;
  const events = await openEvents(first.url);
  const ids: string[] = [];
  for (const seed of SEEDS) ids.push((await apiCall<{ jobId: string }>(first.url, 'generate.start', request(seed))).jobId);
  const [firstId, secondId] = ids as [string, string];

  // The first finished; the second is past step 5 of 1000 when the server dies.
  await events.log.waitFor((e) => e.type === 'job.done' && e.jobId === firstId, 120_000);
  await events.log.progressAt(secondId, 'denoise', 5, 120_000);
  events.close();
  await first.kill();

  server = await startServer(home);
  const url = server.url;
  // Every job ends: poll the queue until nothing is queued or running.
  let jobs: JobSummary[] = [];
  for (const deadline = Date.now() + 150_000; ; ) {
    jobs = await apiCall<JobSummary[]>(url, 'jobs.list', {});
    if (!jobs.some((j) => j.state === 'queued' || j.state === 'running')) break;
    if (Date.now() > deadline) throw new Error(`jobs did not finish: ${JSON.stringify(jobs.map((j) => [j.id, j.state]))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const history = await apiCall<GenerationRecord[]>(url, 'history.list', {});
  expect(history).toHaveLength(SEEDS.length);
  expect(history.map((r) => r.recipe.seed).sort((a, b) => a - b)).toEqual(SEEDS);

  const byId = new Map(jobs.map((j) => [j.id, j]));
  expect(byId.get(secondId)).toMatchObject({
    state: 'interrupted',
    resultRef: null,
    error: { code: 'INTERNAL', message: 'The studio stopped while this job ran (it crashed, was killed, or the machine went down).' },
  });
  const retry = jobs.find((j) => j.retryOf === secondId);
  expect(retry).toMatchObject({ state: 'done', attempt: 2, request: { seed: 102 } });
  // Every requested seed is done exactly once, by the original job or the retry, and each
  // done job points at its own history row.
  const done = jobs.filter((j) => j.state === 'done');
  expect(done.map((j) => (j.request as { seed: number }).seed).sort((a, b) => a - b)).toEqual(SEEDS);
  expect(done.map((j) => j.resultRef ?? 0).sort((a, b) => a - b)).toEqual(history.map((r) => r.id).sort((a, b) => a - b));
  expect(jobs).toHaveLength(SEEDS.length + 1);
});
