/**
 * Entry of the job worker process (build/job-worker.cjs): hosts onnxruntime and runs one
 * job at a time for the studio, so inference never blocks the Electron main process or the
 * browser-mode server's event loop. A child process, not a worker thread: onnxruntime-node
 * is reported to crash inside worker_threads.
 *
 * It keeps its own model registry, loaded-pipeline cache and SQLite connection (WAL lets the
 * parent read while it writes). It reports throttled progress, the live previews of a
 * generation that asks for them, and one `finished` per job;
 * a `cancel` aborts the job's AbortSignal, which the sampler checks between steps. When the
 * parent goes away it exits at once: a job it was running stays marked running in the
 * store, and the next studio start records it as interrupted and retries it.
 */
import { toApiError } from '../../contract/errors';
import type { JobKind } from '../../contract/jobs';
import { ModelRegistry } from '../models/model-registry';
import { openStudioDb, type StudioDb } from '../store/studio-db';
import { completingDb } from './completing-db';
import { kindSpec, type KindContext } from './job-kinds';
import { connectToParent } from './parent-port';
import { ProgressThrottle } from './progress-throttle';
import type { JobOutcome, WorkerInit } from './worker-protocol';

const port = connectToParent();
let init: WorkerInit | undefined;
let registry: ModelRegistry | undefined;
let db: StudioDb | undefined;
let current: { jobId: string; controller: AbortController } | undefined;

async function runJob(jobId: string, kind: JobKind, request: unknown): Promise<JobOutcome> {
  if (!init || !registry) throw new Error('The job worker got a job before its init message.');
  const controller = new AbortController();
  current = { jobId, controller };
  const started = performance.now();
  const throttle = new ProgressThrottle(init.progressIntervalMs);
  try {
    db ??= openStudioDb(init.paths.db);
    const spec = kindSpec(kind);
    const ctx: KindContext = { registry, db: completingDb(db, jobId, undefined, kind), paths: init.paths, appVersion: init.appVersion };
    await spec.run(spec.validate(request), ctx, {
      signal: controller.signal,
      onProgress: (p) => {
        if (controller.signal.aborted || !throttle.admit(p)) return;
        const elapsedMs = Math.round(performance.now() - started);
        port.send({ type: 'progress', progress: { jobId, stage: p.stage, step: p.step, totalSteps: p.totalSteps, elapsedMs } });
      },
      onPreview: (frame) => {
        if (controller.signal.aborted) return;
        port.send({ type: 'preview', preview: { jobId, step: frame.step, totalSteps: frame.totalSteps, width: frame.width, height: frame.height, image: frame.dataUrl } });
      },
    });
    return { outcome: 'done' };
  } catch (err) {
    const error = toApiError(err);
    if (controller.signal.aborted || error.code === 'CANCELLED') return { outcome: 'cancelled' };
    if (error.code === 'INTERNAL') console.error(`studio: job ${jobId} failed unexpectedly:`, err);
    return { outcome: 'failed', error };
  } finally {
    current = undefined;
  }
}

port.onMessage((message) => {
  switch (message.type) {
    case 'init': {
      const { paths, bundledModelsDir } = message.init;
      init = message.init;
      registry = new ModelRegistry({ userDir: paths.models, bundledDir: bundledModelsDir, hashes: () => (db ??= openStudioDb(paths.db)).folderHashes });
      break;
    }
    case 'run': {
      const { jobId, kind, request } = message;
      void runJob(jobId, kind, request).then(
        (outcome) => port.send({ type: 'finished', jobId, ...outcome }),
        (err: unknown) => port.send({ type: 'finished', jobId, outcome: 'failed', error: toApiError(err) }),
      );
      break;
    }
    case 'cancel':
      if (current?.jobId === message.jobId) current.controller.abort();
      break;
  }
});

port.onDisconnect(() => process.exit(0));
