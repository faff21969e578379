/**
 * The one typed API contract between the studio's back end (Electron main, or the
 * browser-mode server) and its front end (the Svelte renderer, through preload or HTTP).
 *
 * Pure TypeScript: no electron, node or DOM imports, so main, preload and renderer all
 * compile it. Every request that crosses a process boundary is checked at runtime by
 * `contract/validate.ts`, because these types vanish at the boundary.
 */
import type { SchedulerName } from '../core/sampler/scheduler-names';
import type { ApiError } from './errors';
import type { DeleteResult, RecordIdsRequest, RestoreResult, SetFavouriteRequest } from './gallery';
import type { BenchReportEntry, BenchRequest } from './bench';
import type { BenchChart } from './bench-chart';
import type { ModelCard, ModelImportRequest, ModelImportResult } from './models';
import type { ModelUploadBegin, ModelUploadChunk } from './model-upload';
import type { QuantCalibrationInfo, QuantizeRequest, QuantizeResult } from './quant';
import type { RecipeFromPngRequest, RecipeImport } from './recipe-import';
import type { RecommendedSettings } from './recommended-settings';
import type { VideoSettings } from './video-settings';
import type { GenerateRequest, HistoryQuery } from './request-schema';
import type {
  CacheConfig,
  CachePlanRequest,
  CachePlanResponse,
  CacheRecommendRequest,
  CacheRecommendResponse,
  CacheProfileSummary,
  CacheRunStats,
  ProfileStartRequest,
} from './cache';
import type { JobDoneEvent, JobMoveRequest, JobQueue, JobSummary, JobsListQuery } from './jobs';

/** Execution providers a user can ask for. `auto` tries the best available, falling back to cpu. */
export const PROVIDER_CHOICES = ['auto', 'cpu', 'webgpu', 'cuda', 'dml', 'coreml'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];
/** A provider a session actually ran on (never `auto`). */
export type Provider = Exclude<ProviderChoice, 'auto'>;

/** Scheduler names accepted as an override of the model's own scheduler_config.json (core/sampler resolves them). */
export { SCHEDULER_NAMES, type SchedulerName } from '../core/sampler/scheduler-names';

/** Limits shared by every validator and every UI control. */
export const LIMITS = {
  stepsMin: 1,
  stepsMax: 1000,
  cfgMin: 0,
  cfgMax: 30,
  /** Seeds are unsigned 32-bit so they survive JSON, SQLite and the A1111 text unchanged. */
  seedMax: 0xffff_ffff,
  /** Characters, checked before tokenizing; token overflow is checked by the tokenizer. */
  promptCharsMax: 2000,
  historyPageMax: 500,
  /** Frames of a video or latent walk; a video model narrows this to its own range (studio.json `video`). */
  framesMin: 2,
  framesMax: 64,
  /** Frames per second of a clip, and the rate a clip gets when neither request nor model says. */
  fpsMin: 1,
  fpsMax: 30,
  fpsDefault: 10,
} as const;

/**
 * A component variant's name (e.g. 'int8-w8a8'): lowercase letters, digits and dashes, so it is
 * a folder name on every OS (STUDIO_HOME/variants/<hash>/<name>) and safe in a URL. 'fp32'
 * names a component's own model.
 */
export const VARIANT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** One text-to-image request, as the UI and the CLI send it (its schema: contract/request-schema.ts). */
export type { GenerateRequest, HistoryQuery };
export type { RecommendedSettings, VideoSettings };

/** One component that ran: its role, content hash and the variant of it that was loaded. */
export interface RecipeComponent {
  role: 'text_encoder' | 'tokenizer' | 'denoiser' | 'vae_decoder' | 'scheduler';
  /** sha256 of the component's folder; a variant never changes it. */
  hash: string;
  /** 'fp32' for the component's own model, else the variant's name (e.g. 'int8-w8a8'). */
  variant: string;
  /** sha256 of the variant's model file, when a variant ran. */
  variantHash?: string;
}

/** Wall-clock timings of one generation, in milliseconds. */
export interface StageTimings {
  loadMs: number;
  encodeMs: number;
  denoiseMs: number;
  /** Time spent inside denoiser session.run calls only (subset of denoiseMs). */
  modelMs: number;
  decodeMs: number;
  saveMs: number;
  totalMs: number;
}

/**
 * Everything needed to reproduce an image bit for bit: stored in history, in the PNG's
 * JSON chunk, and returned to the UI.
 */
export interface Recipe {
  prompt: string;
  negativePrompt: string;
  steps: number;
  cfg: number;
  seed: number;
  modelId: string;
  /** sha256 (hex) over the pipeline's model files, see main/runtime/model-hash.ts. */
  modelHash: string;
  /** The provider the denoiser actually ran on. */
  provider: Provider;
  /** What the user asked for, which may be `auto`. */
  providerRequested: ProviderChoice;
  /** Resolved scheduler class and its effective config (after any override). */
  scheduler: string;
  schedulerConfig: Record<string, unknown>;
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Noise generator id and version, see core/noise. */
  noise: string;
  appVersion: string;
  /** The validated cache config that ran (defaults filled); absent when none. */
  cache?: CacheConfig;
  /** sha256 of the calibration profile JSON the cache used, when it used one. */
  cacheProfileHash?: string;
  /** Every component that ran, with its hash and variant (absent in records made before components were tracked). */
  components?: RecipeComponent[];
  /** The request as it was sent (after validation), so "Reuse settings" and a rerun restore every choice, the scheduler included. */
  request?: GenerateRequest;
  /** Where each step of a hybrid run ran; absent for single-model runs. */
  hybrid?: HybridRecipe;
  /** Quantization-error compensation that ran (with a quantized denoiser variant); absent when none. */
  compensation?: { method: 'ptqd' | 'tcec'; strength: number; calibrationId: number };
  /** A clip (video model or latent walk): its frames, rate and, for a walk, where it walks to; absent for a still image. */
  video?: VideoRecipe;
}

/** How a clip was made: `walk` present for a latent walk of an image model, absent for a video model. */
export interface VideoRecipe {
  frames: number;
  fps: number;
  /** The walk's far end: seed and prompt of the last frame (the request's own when it named none). */
  walk?: { toSeed: number; toPrompt: string };
}

export interface PromptTokensRequest {
  model: string;
  texts: string[];
}

export interface PromptTokens {
  /** Tokens a prompt may take, BOS and EOS included. */
  limit: number;
  counts: number[];
}

export interface HybridPartnersRequest {
  model: string;
  steps: number;
  scheduler: SchedulerName;
}

export interface HybridPartners {
  model: string;
  /** MACs of one batch-1 call of this model's denoiser, when the export recorded them. */
  macsPerCall: number | null;
  /** Whether the model ships a tiny VAE decoder (vae_decoder_tiny/). */
  hasTinyVae: boolean;
  /** Models that pass every pairing rule with it, cheapest first. */
  partners: { id: string; name: string; macsPerCall: number | null }[];
  /** The others, each with the rule it breaks. */
  refused: { id: string; reason: string }[];
}

export interface RemoteCheckRequest {
  /** A v2 model URL, e.g. http://127.0.0.1:8000/v2/models/emoji-transformer. */
  url: string;
  token?: string;
}

export interface RemoteCheck {
  endpoint: string;
  inputs: string[];
  outputs: string[];
  /** Wall time of the checks, ms. */
  ms: number;
}

/** A contiguous run of steps on one model: steps from..to−1. */
export interface HybridSegment {
  from: number;
  to: number;
  model: 'large' | 'small';
  modelId: string;
  /** Pipeline hash of the model that ran these steps. */
  modelHash: string;
  /** The v2 endpoint for steps that ran on a server. */
  endpoint?: string;
}

export interface HybridRecipe {
  order: 'large-first' | 'small-first';
  largeSteps: number;
  tinyVae: boolean;
  segments: HybridSegment[];
  /** Set when a remote failure made the run finish on the local large model. */
  fellBack?: { atStep: number; reason: string };
}

/** Cost of one model in a hybrid run. */
export interface HybridModelStats {
  calls: number;
  /** Multiply-accumulates of its calls, or null when the model's MACs per call are unknown. */
  macs: number | null;
  modelMs: number;
}

export interface HybridRunStats {
  large: HybridModelStats;
  small: HybridModelStats;
  /** The large model's share of the run's compute (0..1), by MACs where known, else by model time. */
  largeShare: number;
  shareBasis: 'macs' | 'time';
  /** Present when the large model ran on a server. */
  remote?: { calls: number; bytesSent: number; bytesReceived: number; latencyMedianMs: number; latencyP95Ms: number };
}

/** One row of generation history. */
export interface GenerationRecord {
  id: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  recipe: Recipe;
  timings: StageTimings;
  /** Absolute path of the PNG on the back end's disk. */
  outputPath: string;
  /** What the cache did; absent for uncached runs. */
  cacheStats?: CacheRunStats;
  /** What each model of a hybrid run did; absent for single-model runs. */
  hybridStats?: HybridRunStats;
  /** true when the user starred it in the gallery; absent otherwise. */
  favourite?: true;
  /** A clip (an animated PNG): its frame count and rate; absent for a still image. */
  video?: { frames: number; fps: number };
}

export interface ModelInfo {
  id: string;
  /** Human-readable name from the model card or folder name. */
  name: string;
  dir: string;
  /** `bundled` ships with the studio; `user` lives under STUDIO_HOME/models. */
  source: 'bundled' | 'user';
  /** Denoiser kind read from the layout. */
  denoiser: 'unet' | 'transformer';
  /** Scheduler class named by scheduler_config.json. */
  scheduler: string;
  width: number;
  height: number;
  isDefault: boolean;
  /** Steps, CFG, scheduler and example prompts to start from (the model's own, else the studio's generic ones). */
  recommended: RecommendedSettings;
  /** `video`: the denoiser makes all frames of a clip at once (studio.json `video`); `image`: one still per run. */
  kind: 'image' | 'video';
  /** A video model's frame range and defaults; absent for an image model. */
  video?: VideoSettings;
}

export interface ProviderInfo {
  /** Providers compiled into this onnxruntime-node build. */
  available: Provider[];
}

export type JobStage = 'queued' | 'load' | 'encode' | 'denoise' | 'decode' | 'save';

/** Pushed while a job runs. `step` counts finished denoising steps (0..totalSteps). */
export interface JobProgress {
  jobId: string;
  stage: JobStage;
  step: number;
  totalSteps: number;
  /** Milliseconds since the job started. */
  elapsedMs: number;
}

/** Upper bounds of a live preview image, so a preview event stays small whatever the model's size. */
export const PREVIEW_LIMITS = {
  /** Longest side in pixels; a larger decoded image is box-downscaled by a whole factor. */
  maxSide: 256,
  /** Characters of the data URL; a larger preview is not sent. */
  maxDataUrlChars: 262_144,
} as const;

/**
 * A live preview of a running generation: the clean image predicted after `step` of
 * `totalSteps` steps, decoded cheaply (the tiny VAE decoder where the model has one). Only
 * sent for requests with `preview: true`; it never changes the final image.
 */
export interface JobPreview {
  jobId: string;
  /** Denoising steps done when the preview was taken, 1..totalSteps−1. */
  step: number;
  totalSteps: number;
  /** Pixels of `image`, at most PREVIEW_LIMITS.maxSide a side. */
  width: number;
  height: number;
  /** `data:image/png;base64,…`, at most PREVIEW_LIMITS.maxDataUrlChars characters. */
  image: string;
}

/**
 * Events from back end to front end; discriminated on `type`. Every job kind ends with one
 * of job.done (its result, typed by `kind`), job.failed or job.cancelled. `job.retried`
 * says a job was interrupted (its process stopped) and `retryId` runs it again.
 */
export type StudioEvent =
  | { type: 'job.progress'; progress: JobProgress }
  | ({ type: 'job.preview' } & JobPreview)
  | JobDoneEvent
  | { type: 'job.failed'; jobId: string; error: ApiError }
  | { type: 'job.cancelled'; jobId: string }
  | { type: 'job.retried'; jobId: string; retryId: string; reason: string }
  /** A queued job moved in the run order (jobs.move): every window's queue panel reads the queue again. */
  | { type: 'job.moved'; jobId: string };

/**
 * The calls: name → [request, response]. Electron registers one ipcMain handler per
 * name, preload exposes one function per name, and browser mode serves each as
 * `POST /api/<name>` with the request as JSON body.
 */
export interface StudioCalls {
  'app.info': [Record<string, never>, { version: string; mode: 'electron' | 'browser'; studioHome: string }];
  'models.list': [Record<string, never>, ModelInfo[]];
  'providers.list': [Record<string, never>, ProviderInfo];
  'generate.start': [GenerateRequest, { jobId: string }];
  'history.list': [HistoryQuery, GenerationRecord[]];
  'history.get': [{ id: number }, GenerationRecord];
  /** Stars or unstars a record; its new state. */
  'history.setFavourite': [SetFavouriteRequest, { favourite: boolean }];
  /** Hides records and moves their files to the trash; `history.restore` undoes it within `undoMs`, then both are purged. */
  'history.delete': [RecordIdsRequest, DeleteResult];
  /** Brings deleted records and their files back while their undo window is open. */
  'history.restore': [RecordIdsRequest, RestoreResult];
  /** Predicted compute/reuse steps, speedup and error for a cache setting, from the matching profile. */
  'cache.plan': [CachePlanRequest, CachePlanResponse];
  /** The cache setting with the best benchmarked PSNR at a budget of model calls for the run, or why there is none. */
  'cache.recommend': [CacheRecommendRequest, CacheRecommendResponse];
  'profiles.list': [{ model?: string }, CacheProfileSummary[]];
  /** Records full trajectories for the prompts as a job (progress events, cancellable); ends with job.done of kind 'profile'. */
  'profiles.start': [ProfileStartRequest, { jobId: string }];
  'profiles.export': [{ id: number }, { json: string }];
  'profiles.import': [{ json: string }, CacheProfileSummary];
  'profiles.delete': [{ id: number }, { deleted: boolean }];
  /** Jobs of every kind, newest first, with their state, progress and result reference. */
  'jobs.list': [JobsListQuery, JobSummary[]];
  /** Cancels a queued or running job of any kind; false when it had already finished or is unknown. */
  'jobs.cancel': [{ jobId: string }, { cancelled: boolean }];
  /** Queues a finished (failed, cancelled or interrupted) job's request again as a new job. */
  'jobs.retry': [{ jobId: string }, { jobId: string }];
  /** Moves a queued job in the run order; false when it is no longer queued or already there. */
  'jobs.move': [JobMoveRequest, { moved: boolean }];
  /** The running and queued jobs in run order, and the newest ones that ended without a result (for Retry). */
  'jobs.queue': [Record<string, never>, JobQueue];
  /** The settings a PNG carries (this studio's recipe chunk, or A1111's parameters) as a request for the form. */
  'recipe.fromPng': [RecipeFromPngRequest, RecipeImport];
  /** The models that can run a hybrid pair with `model` at this step count and scheduler, and why the others cannot. */
  'hybrid.partners': [HybridPartnersRequest, HybridPartners];
  /** Connects to a v2 model endpoint (health, readiness, metadata) and reports what it serves. */
  'hybrid.checkRemote': [RemoteCheckRequest, RemoteCheck];
  /** Tokens each text takes with the model's tokenizer (BOS and EOS included), and the model's limit. */
  'prompt.tokens': [PromptTokensRequest, PromptTokens];
  /** Queues a benchmark (a hybrid K sweep, or the cache benchmark) as a job; its job.done carries the stored report. */
  'bench.start': [BenchRequest, { jobId: string }];
  /** The reports the Benchmarks view can chart: those the studio ran, then those shipped with the bundled models. */
  'bench.list': [{ model?: string }, BenchReportEntry[]];
  /** One report as a speed-versus-quality chart (contract/bench-chart.ts). */
  'bench.chart': [{ ref: string }, BenchChart];
  /** Checks a pipeline folder and queues its import into STUDIO_HOME/models as a job (copy, hash check, rename). */
  'models.import': [ModelImportRequest, { jobId: string }];
  /** A model's card: README, contact sheet, size on disk and hash. */
  'models.card': [{ id: string }, ModelCard];
  /** Deletes a user model (its folder, or only the link to it); bundled models cannot be deleted. */
  'models.delete': [{ id: string }, { deleted: true }];
  /** Starts an upload of a pipeline folder chosen in the page (contract/model-upload.ts). */
  'models.uploadBegin': [ModelUploadBegin, { uploadId: string }];
  /** One chunk of one file of an upload, in order. */
  'models.uploadChunk': [ModelUploadChunk, { received: number }];
  /** Checks the uploaded folder like an import and installs it. */
  'models.uploadFinish': [{ uploadId: string }, ModelImportResult];
  /** Drops an upload and its files. */
  'models.uploadCancel': [{ uploadId: string }, { cancelled: boolean }];
  /** Queues `studio quantize` as a job; its job.done carries the QuantizeResult. */
  'quantize.start': [QuantizeRequest, { jobId: string }];
  /** The newest quantize report of each variant of a model (sizes, ranges, compensation strengths). */
  /** The newest report per variant of the model, and the settings its compensation tables were fitted for. */
  'quantize.info': [{ model: string }, { reports: QuantizeResult[]; calibrations: QuantCalibrationInfo[] }];
}

export type CallName = keyof StudioCalls;
export type CallRequest<K extends CallName> = StudioCalls[K][0];
export type CallResponse<K extends CallName> = StudioCalls[K][1];

export const CALL_NAMES: readonly CallName[] = [
  'app.info',
  'models.list',
  'providers.list',
  'generate.start',
  'history.list',
  'history.get',
  'history.setFavourite',
  'history.delete',
  'history.restore',
  'cache.plan',
  'cache.recommend',
  'profiles.list',
  'profiles.start',
  'profiles.export',
  'profiles.import',
  'profiles.delete',
  'jobs.list',
  'jobs.cancel',
  'jobs.retry',
  'jobs.move',
  'jobs.queue',
  'recipe.fromPng',
  'hybrid.partners',
  'hybrid.checkRemote',
  'bench.start',
  'bench.list',
  'bench.chart',
  'models.import',
  'models.card',
  'models.delete',
  'models.uploadBegin',
  'models.uploadChunk',
  'models.uploadFinish',
  'models.uploadCancel',
  'prompt.tokens',
  'quantize.start',
  'quantize.info',
] as const;

/** Result envelope for every call: errors are data, since Electron keeps only `message` of a thrown Error. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * What a front end sees: one async function per call, an event subscription, and a
 * URL for a history image (a custom protocol in Electron, HTTP in browser mode).
 */
export interface StudioClient {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** The history record's media file (image today, video later), served with byte ranges. */
  mediaUrl(recordId: number): string;
}
