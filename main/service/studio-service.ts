/**
 * The studio's back end as one object: every call in `StudioCalls`, the event stream and
 * image lookup. The Electron IPC layer and the browser-mode HTTP server are both thin
 * transports over one instance of this, so the two modes cannot drift apart.
 *
 * It owns the history store (generations and cache profiles), the model registry and the job
 * queue (every job kind shares it, one at a time, in a worker process; queued jobs survive a
 * restart and resume when the service is created). `handle` validates the
 * raw request first (it came over a process boundary), then dispatches; errors are thrown
 * as StudioError and turned into `CallResult` envelopes by `callResult` at the transport.
 */
import path from 'node:path';
import type { CallName, CallRequest, CallResponse, StudioCalls, StudioEvent } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { validateCallRequest } from '../../contract/validate';
import { prepareStudioHome } from '../config/prepare-studio-home';
import type { StudioPaths } from '../config/studio-home';
import { planCache } from '../cache/cache-plan';
import { recommendForRun } from '../cache/recommend-call';
import { schedulerFor } from '../pipeline/txt2img';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import { matchedReportDirs } from '../cache/predicted-psnr';
import { requireProfileIfNeeded } from '../cache/profile-lookup';
import { deleteProfile, exportProfile, importProfile, listProfiles } from '../cache/profile-transfer';
import { JobManager } from '../jobs/job-manager';
import { queueLock } from '../jobs/queue-lock';
import type { SpawnWorker } from '../jobs/worker-channel';
import { DEFAULT_PROGRESS_INTERVAL_MS } from '../jobs/progress-throttle';
import { checkRemote, hybridPartners } from '../hybrid/hybrid-calls';
import { ModelRegistry } from '../models/model-registry';
import { modelCard } from '../models/model-card';
import { deleteUserModel } from '../models/model-delete';
import { planModelImport } from '../models/model-import';
import { ModelUploads } from '../models/model-upload';
import { benchLibrary } from '../bench/bench-library';
import { checkCacheBenchRequest } from '../bench/cache-bench-job';
import { findAppRoot } from '../models/app-root';
import { createGalleryTrash } from '../gallery/trash';
import { deleteUndoMs } from '../gallery/undo-window';
import { quantizeInfo } from '../quant/quantize-info';
import { recipeFromPng } from '../recipes/recipe-from-png';
import { promptTokens } from '../models/prompt-tokens';
import { listAvailableProviders } from '../runtime/ort-runner';
import { cleanOutputLeftovers } from '../store/output-leftovers';
import { openStudioDb, type StudioDb } from '../store/studio-db';

export interface StudioServiceOptions {
  paths: StudioPaths;
  /** Written into every recipe and returned by app.info. */
  appVersion: string;
  mode: 'electron' | 'browser';
  /** Pipelines shipped with the app (native-models/pipelines, or resources/pipelines when packaged). */
  bundledModelsDir?: string;
  /** Starts the job worker process (child_process.fork in browser mode, utilityProcess in Electron). */
  spawnWorker: SpawnWorker;
  /** Minimum ms between two progress events of a job; default 33. Tests pass 0 to see every step. */
  progressIntervalMs?: number;
  /** How long a gallery delete can be undone, ms; default from STUDIO_DELETE_UNDO_MS or 10 s. */
  deleteUndoMs?: number;
}

export interface StudioService {
  readonly paths: StudioPaths;
  /** Validates `rawRequest` for call `name` and runs it; rejects with StudioError. */
  handle<K extends CallName>(name: K, rawRequest: unknown): Promise<CallResponse<K>>;
  /** Subscribes to job events; returns the unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** Absolute PNG path of a history record, or undefined when there is no such record. */
  imagePath(recordId: number): string | undefined;
  /** Stops the running job (it is retried at the next start, and queued jobs resume then), ends the worker, closes the store. */
  close(): Promise<void>;
}

type Handlers = { [K in CallName]: (request: StudioCalls[K][0]) => Promise<StudioCalls[K][1]> | StudioCalls[K][1] };

export function createStudioService(options: StudioServiceOptions): StudioService {
  const { paths, appVersion, mode } = options;
  // The models folder is created up front so users can find where to drop pipelines. A
  // STUDIO_HOME that cannot be used (a file, a read-only parent) is a STORE error naming it.
  prepareStudioHome(paths);

  // Opened on first use (resuming the job queue, right below) and retried on failure: a
  // corrupt or newer database then shows up as a STORE error on the calls that need it (with
  // the path to fix) instead of a studio that will not start.
  let db: StudioDb | undefined;
  const store = (): StudioDb => (db ??= openStudioDb(paths.db));

  const registry = new ModelRegistry({ userDir: paths.models, bundledDir: options.bundledModelsDir, hashes: () => store().folderHashes });
  const benchReports = benchLibrary(store, path.join(findAppRoot(), 'docs', 'bench'));
  // Beside models/, on the same disk: a finished upload is renamed into place, not copied.
  const uploads = new ModelUploads({ uploadsDir: path.join(paths.home, 'uploads'), registry, record: (e) => store().modelImports.insert(e), hashes: () => store().folderHashes });

  const jobs = new JobManager({
    store,
    spawnWorker: options.spawnWorker,
    // Beside the database: one studio process per STUDIO_HOME runs the queue.
    lock: queueLock(path.join(paths.home, 'jobs.lock')),
    init: { paths, appVersion, bundledModelsDir: options.bundledModelsDir, progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS },
  });
  try {
    jobs.resume();
  } catch (err) {
    // A broken store is reported by every call that needs it; the studio still starts.
    console.error('studio: could not resume queued jobs:', err);
  }
  cleanOutputLeftovers(paths, () => store().history.allOutputPaths());

  const trash = createGalleryTrash({ history: () => store().history, dir: path.join(paths.home, 'trash'), undoMs: options.deleteUndoMs ?? deleteUndoMs() });
  try {
    // Deletes whose window passed while the studio was not running, and moves a kill cut short.
    trash.recover();
  } catch (err) {
    console.error('studio: could not tidy the gallery trash:', err);
  }

  const handlers: Handlers = {
    'app.info': () => ({ version: appVersion, mode, studioHome: paths.home }),
    'models.list': async () => registry.list(),
    'providers.list': () => ({ available: listAvailableProviders() }),
    'generate.start': async (request) => {
      // Checked now so an unknown model, a broken history or a missing cache profile fails
      // the call itself, not a job the user has to wait for.
      const model = registry.resolve(request.model);
      // A scheduler of the other family (ddim on a flow-matching model) or steps it cannot take.
      schedulerFor({ layout: checkPipelineLayout(model.dir) }, request.steps, request.scheduler, request.eta);
      const db = store();
      if (request.cache !== undefined) await requireProfileIfNeeded(db, model, request.cache, request);
      return { jobId: jobs.enqueue('generate', request).id };
    },
    'history.list': (query) => store().history.list(query),
    'history.get': ({ id }) => {
      const record = store().history.get(id);
      if (!record) throw new StudioError('NOT_FOUND', `There is no generation ${id} in the history.`, 'id');
      return record;
    },
    'history.setFavourite': ({ id, favourite }) => {
      if (!store().history.setFavourite(id, favourite)) throw new StudioError('NOT_FOUND', `There is no generation ${id} in the history.`, 'id');
      return { favourite };
    },
    'history.delete': ({ ids }) => trash.delete(ids),
    'history.restore': ({ ids }) => trash.restore(ids),
    'cache.plan': (request) => planCache(request, { registry, db: store(), benchDirs: matchedReportDirs(paths.home) }),
    'cache.recommend': (request) => recommendForRun(request, { registry, benchDirs: matchedReportDirs(paths.home) }),
    'profiles.list': ({ model }) => listProfiles(store(), registry, model),
    'profiles.start': (request) => {
      registry.resolve(request.model);
      store();
      return { jobId: jobs.enqueue('profile', request).id };
    },
    'profiles.export': ({ id }) => ({ json: exportProfile(store(), id) }),
    'profiles.import': ({ json }) => importProfile(store(), registry, json),
    'profiles.delete': ({ id }) => ({ deleted: deleteProfile(store(), id) }),
    'jobs.list': (query) => jobs.list(query),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'jobs.retry': ({ jobId }) => ({ jobId: jobs.retry(jobId).id }),
    'jobs.move': ({ jobId, to }) => ({ moved: jobs.move(jobId, to) }),
    'jobs.queue': () => jobs.queue(),
    'recipe.fromPng': ({ png }) => recipeFromPng(Buffer.from(png, 'base64'), registry),
    'hybrid.partners': (request) => hybridPartners(request, registry, store().folderHashes),
    'hybrid.checkRemote': (request) => checkRemote(request),
    'prompt.tokens': (request) => promptTokens(request, registry),
    'bench.start': (request) => {
      if (request.kind === 'cache') {
        registry.resolve(request.model);
        checkCacheBenchRequest(request);
      } else {
        registry.resolve(request.large);
        registry.resolve(request.small);
      }
      return { jobId: jobs.enqueue('bench', request).id };
    },
    'bench.list': ({ model }) => benchReports.list(model),
    'bench.chart': ({ ref }) => benchReports.chart(ref),
    'models.import': (request) => {
      // Checked now, so a missing folder, a broken layout or a taken id fails the call itself.
      planModelImport(request, registry);
      store();
      return { jobId: jobs.enqueue('model-import', request).id };
    },
    'models.card': ({ id }) => modelCard(id, registry, store()),
    'models.delete': ({ id }) => {
      deleteUserModel(id, registry);
      return { deleted: true };
    },
    'models.uploadBegin': (request) => uploads.begin(request),
    'models.uploadChunk': (request) => uploads.chunk(request),
    'models.uploadFinish': ({ uploadId }) => uploads.finish(uploadId),
    'models.uploadCancel': ({ uploadId }) => uploads.cancel(uploadId),
    'quantize.start': (request) => {
      registry.resolve(request.model);
      return { jobId: jobs.enqueue('quantize', request).id };
    },
    'quantize.info': ({ model }) => quantizeInfo(model, registry, store()),
  };

  let closed = false;
  return {
    paths,
    async handle<K extends CallName>(name: K, rawRequest: unknown): Promise<CallResponse<K>> {
      if (closed) throw new StudioError('INTERNAL', 'The studio is shutting down.');
      const request: CallRequest<K> = validateCallRequest(name, rawRequest);
      const handler = handlers[name] as (request: CallRequest<K>) => Promise<CallResponse<K>> | CallResponse<K>;
      return handler(request);
    },
    onEvent: (listener) => jobs.subscribe(listener),
    imagePath(recordId) {
      // The path column alone: a row whose recipe JSON is damaged still serves its image.
      return store().history.outputPath(recordId);
    },
    async close() {
      if (closed) return;
      closed = true;
      trash.close();
      await jobs.close();
      db?.close();
    },
  };
}
