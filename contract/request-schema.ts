/**
 * The request schemas of the studio's calls, and the request types they define: a request is
 * checked once where it enters the back end (contract/validate.ts) and its parsed output, with
 * defaults filled, is what every layer behind takes.
 *
 * Limits come from contract/api.ts (LIMITS, shared with the UI's controls) and
 * contract/cache.ts (CACHE_PROFILE_LIMITS); scheduler names from core/sampler.
 */
import { z } from 'zod';
import { HYBRID_ORDERS } from '../core/hybrid/hybrid-plan';
import { SCHEDULER_NAMES } from '../core/sampler/scheduler-names';
import { LIMITS, PROVIDER_CHOICES, VARIANT_NAME_PATTERN } from './api';
import { CACHE_PROFILE_LIMITS } from './cache';
import { CACHE_METHODS } from '../core/cache/cache-config';
import { cacheField, integerIn, isoInstant, numberIn, oneOf, recordId, requestObject, text } from './field-schema';

const prompt = () => text(LIMITS.promptCharsMax, { nonEmpty: true });
/** Rules across fields run only once every field passed (their values are typed then). */
const fieldsValid = (payload: { issues: readonly unknown[] }) => payload.issues.length === 0;
/** A model id from `models.list`, or an absolute path to a diffusers ONNX folder; 4096 is PATH_MAX on Linux. */
const model = () => text(4096, { nonEmpty: true });
const steps = () => integerIn(LIMITS.stepsMin, LIMITS.stepsMax);
const cfg = () => numberIn(LIMITS.cfgMin, LIMITS.cfgMax);
/** Seeds are unsigned 32-bit so they survive JSON, SQLite and the A1111 text unchanged. */
const seed = () => integerIn(0, LIMITS.seedMax);
const provider = () => oneOf(PROVIDER_CHOICES).default('auto');
const scheduler = () => oneOf(SCHEDULER_NAMES).default('default');
/** A variant's name is a folder name under STUDIO_HOME/variants (VARIANT_NAME_PATTERN). */
const variantName = () =>
  text(48, { nonEmpty: true }).regex(VARIANT_NAME_PATTERN, { error: 'must be a variant name: lowercase letters, digits and dashes, starting with a letter or digit' });

/** A v2 model URL (KServe / Triton): http(s)://host[:port]/…/v2/models/NAME. */
const remoteUrl = () => text(2048, { nonEmpty: true }).regex(/^https?:\/\/[^\s]+\/v2\/models\/[^\s/]+$/, { error: 'must be an http(s) URL ending in /v2/models/NAME' });

/** `bench.start` of kind 'hybrid': a hybrid benchmark as a job (the CLI's `studio bench hybrid`, without the remote check). */
export const hybridBenchRequestSchema = requestObject(
  'bench.start',
  {
    kind: oneOf(['hybrid'] as const),
    large: model(),
    small: model(),
    steps: steps(),
    cfg: cfg(),
    n: integerIn(1, 10_000),
    seedBase: seed().default(0),
    largeSteps: z.array(integerIn(0, LIMITS.stepsMax), { error: 'must be an array of step counts' }).min(1, { error: 'must name at least one step count' }).max(64),
    provider: provider(),
    scheduler: scheduler(),
  },
  { allowEmpty: false },
);

/** `quantize.start`: a quantized variant of a model's denoiser and its compensation tables, as a job. */
export const quantizeRequestSchema = requestObject(
  'quantize.start',
  {
    model: model(),
    precision: oneOf(['w8a8', 'w4a8', 'w4a16'] as const),
    /** Calibration prompts, disjoint from any benchmark prompts. */
    prompts: z.array(prompt(), { error: 'must be an array of calibration prompts' }).min(1, { error: 'must hold at least one calibration prompt' }).max(64),
    steps: steps(),
    cfg: cfg(),
    scheduler: scheduler(),
    seed: integerIn(0, LIMITS.seedMax - 64).default(7000),
    provider: provider(),
  },
  { allowEmpty: false },
);

/** `quantize.info`: what has been quantized for a model. */
export const quantizeInfoRequestSchema = requestObject('quantize.info', { model: model() }, { allowEmpty: false });

/** `prompt.tokens`: up to a prompt and a negative prompt (and a few more) at a time. */
export const promptTokensRequestSchema = requestObject(
  'prompt.tokens',
  { model: model(), texts: z.array(text(LIMITS.promptCharsMax, { nonEmpty: false }), { error: 'must be an array of texts' }).max(8) },
  { allowEmpty: false },
);

/** `hybrid.partners`: which models can pair with `model` for this run. */
export const hybridPartnersRequestSchema = requestObject('hybrid.partners', { model: model(), steps: steps(), scheduler: scheduler() }, { allowEmpty: false });

/** `hybrid.checkRemote`: a connection test of a v2 endpoint. */
export const remoteCheckRequestSchema = requestObject('hybrid.checkRemote', { url: remoteUrl(), token: text(4096, { nonEmpty: true }).optional() }, { allowEmpty: false });

/**
 * Hybrid inference: `model` is the large model; `small` runs the steps the large one does not.
 * `largeSteps` K ≤ steps is checked against the request's steps where the run is set up.
 */
/** Quantization-error compensation for a quantized denoiser variant (core/quant). */
const compensationField = () =>
  z.strictObject({
    method: oneOf(['none', 'ptqd', 'tcec'] as const),
    /** λ: 1 applies the fitted correction, 0 none; absent = the strength the calibration picked. */
    strength: numberIn(0, 4).optional(),
  });

const hybridField = () =>
  z.strictObject({
    small: model(),
    largeSteps: integerIn(0, LIMITS.stepsMax),
    order: oneOf(HYBRID_ORDERS).default('large-first'),
    /** Decode with the large pipeline's tiny VAE decoder (vae_decoder_tiny/). */
    tinyVae: z.boolean({ error: 'must be true or false' }).default(false),
    /** The large model's denoiser behind an Open Inference Protocol (KServe v2) endpoint. */
    remote: z
      .strictObject({
        /** The model's v2 URL, e.g. http://127.0.0.1:8000/v2/models/emoji-transformer. */
        url: remoteUrl(),
        token: text(4096, { nonEmpty: true }).optional(),
        /** 'local': if the server fails mid-run, finish on the local large model (the recipe records the switch). */
        fallback: oneOf(['fail', 'local'] as const).default('fail'),
      })
      .optional(),
  });

/**
 * A latent walk of an image model: frame i of F samples from slerp(noise(seed), noise(toSeed), i/(F−1))
 * with the prompt's embeddings lerped towards toPrompt's. An absent end stays where the walk starts.
 */
const walkField = () =>
  z
    .strictObject(
      { toSeed: seed().optional(), toPrompt: prompt().optional() },
      { error: (issue) => (issue.code === 'unrecognized_keys' ? `walk has an unknown field "${issue.keys[0]}" (known fields: toSeed, toPrompt)` : 'walk must be an object with toSeed and/or toPrompt') },
    )
    .refine((w) => w.toSeed !== undefined || w.toPrompt !== undefined, { error: 'walk needs toSeed, toPrompt or both: a walk that goes nowhere makes the same image in every frame' });

/** One text-to-image request, as the UI and the CLI send it. */
const generateRequestObject = requestObject(
  'generate.start',
  {
    prompt: prompt(),
    /** Negative prompt: the unconditional branch of classifier-free guidance. Empty string allowed. */
    negativePrompt: text(LIMITS.promptCharsMax, { nonEmpty: false }).default(''),
    /** Denoising steps, LIMITS.stepsMin..stepsMax. */
    steps: steps(),
    /** Classifier-free guidance scale; 1 disables the unconditional pass. */
    cfg: cfg(),
    /** Unsigned 32-bit seed of the studio's noise generator (core/noise). */
    seed: seed(),
    model: model(),
    provider: provider(),
    scheduler: scheduler(),
    /** Step caching (core/cache); absent or {method:'none'} runs every step. */
    cache: cacheField().optional(),
    /** DDIM's η in [0, 1] (absent = 0, deterministic); other schedulers refuse η > 0. */
    eta: numberIn(0, 1).optional(),
    /** Variant of the denoiser to run: 'fp32' (absent) is the model's own file, others live in STUDIO_HOME/variants. */
    denoiserVariant: variantName().optional(),
    /** Compensation of a quantized denoiserVariant's error, from its stored calibration tables. */
    compensation: compensationField().optional(),
    /** Hybrid inference with a second, smaller model (absent: one model for every step). */
    hybrid: hybridField().optional(),
    /** Live previews while the job runs (job.preview events); never changes the image. Absent = none. */
    preview: z.boolean({ error: 'must be true or false' }).optional(),
    /** Frames of a clip: a video model's (absent = its framesDefault, checked against its range where it is resolved) or a walk's (required). */
    frames: integerIn(LIMITS.framesMin, LIMITS.framesMax).optional(),
    /** Frames per second of a clip (absent = the model's fpsDefault, else LIMITS.fpsDefault); a still image refuses it. */
    fps: numberIn(LIMITS.fpsMin, LIMITS.fpsMax).optional(),
    /** A latent walk of an image model (needs `frames`); a video model refuses it. */
    walk: walkField().optional(),
  },
  { allowEmpty: false },
);
export const generateRequestSchema = generateRequestObject.refine((req) => req.walk === undefined || req.frames !== undefined, {
  path: ['frames'],
  when: fieldsValid,
  error: `frames is required with walk: say how many frames (${LIMITS.framesMin} to ${LIMITS.framesMax}) the walk has`,
});
export type GenerateRequest = z.output<typeof generateRequestSchema>;

/** `history.list`: every field optional. */
export const historyQuerySchema = requestObject(
  'history.list',
  {
    /** Full-text search over prompts (SQLite FTS5 syntax is escaped; plain words match). */
    search: text(LIMITS.promptCharsMax, { nonEmpty: false }).optional(),
    limit: integerIn(1, LIMITS.historyPageMax).optional(),
    /** Return records with id < before (pagination, newest first). */
    before: recordId().optional(),
    /** Only records of this model id. */
    model: text(4096, { nonEmpty: true }).optional(),
    /** Only records whose cache used this method; 'none' means uncached runs. */
    cacheMethod: oneOf(CACHE_METHODS).optional(),
    /** Only records created at or after this instant (ISO 8601 with an offset, e.g. 2026-01-31T23:00:00.000Z). */
    from: isoInstant().optional(),
    /** Only records created before this instant (exclusive), same format as `from`. */
    to: isoInstant().optional(),
    /** true: only favourites. */
    favourites: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { allowEmpty: true },
);
export type HistoryQuery = z.output<typeof historyQuerySchema>;

/** The run a profile or a plan is for: every field that changes a trajectory. */
const runTarget = () => ({ model: model(), steps: steps(), cfg: cfg(), scheduler: scheduler() });
export type CacheRunTarget = z.output<z.ZodObject<ReturnType<typeof runTarget>>>;

/** `cache.plan`: a run target plus the cache config to plan. */
export const cachePlanRequestSchema = requestObject('cache.plan', { ...runTarget(), cache: cacheField() }, { allowEmpty: false });
export type CachePlanRequest = z.output<typeof cachePlanRequestSchema>;

/** `cache.recommend`: a run target plus a budget of model calls (at least 2; one below the steps is checked by the back end, which says so as the reason). */
export const cacheRecommendRequestSchema = requestObject('cache.recommend', { ...runTarget(), calls: integerIn(2, LIMITS.stepsMax) }, { allowEmpty: false });
export type CacheRecommendRequest = z.output<typeof cacheRecommendRequestSchema>;

/**
 * `profiles.start`: a run target, CACHE_PROFILE_LIMITS.promptsMin..promptsMax non-blank
 * calibration prompts (keep them disjoint from the prompts you evaluate on), a provider and the
 * seed of the first prompt (prompt i uses seed + i, so every seed must stay unsigned 32-bit).
 * Steps must be at least 2: a profile measures changes between steps.
 */
const { promptsMin, promptsMax } = CACHE_PROFILE_LIMITS;
/** The largest first seed for `count` prompts: the last prompt's seed + count − 1 must fit too. */
const lastSeedMax = (count: number) => LIMITS.seedMax - (count - 1);
export const profileStartRequestSchema = requestObject(
  'profiles.start',
  {
    ...runTarget(),
    prompts: z
      .array(prompt(), { error: (issue) => `must be a list of ${promptsMin} to ${promptsMax} prompts (got ${Array.isArray(issue.input) ? issue.input.length : 'nothing'})` })
      .min(promptsMin, { error: (issue) => `must be a list of ${promptsMin} to ${promptsMax} prompts (got ${(issue.input as unknown[]).length})` })
      .max(promptsMax, { error: (issue) => `must be a list of ${promptsMin} to ${promptsMax} prompts (got ${(issue.input as unknown[]).length})` }),
    provider: provider(),
    seed: seed(),
    /** A video model's clip length to profile (absent = its framesDefault); an image model takes none. */
    frames: integerIn(LIMITS.framesMin, LIMITS.framesMax).optional(),
  },
  { allowEmpty: false },
)
  .refine((req) => req.steps >= 2, {
    path: ['steps'],
    when: fieldsValid,
    error: (issue) => `steps must be at least 2 for a calibration profile (got ${(issue.input as { steps: number }).steps})`,
  })
  .refine((req) => req.seed <= lastSeedMax(req.prompts.length), {
    path: ['seed'],
    when: fieldsValid,
    error: (issue) => {
      const req = issue.input as { seed: number; prompts: string[] };
      return `seed must be an integer between 0 and ${lastSeedMax(req.prompts.length)} (got ${req.seed})`;
    },
  });
export type ProfileStartRequest = z.output<typeof profileStartRequestSchema>;

/** The request of a call that takes no fields. */
export const emptyRequestSchema = (call: string) => requestObject(call, {}, { allowEmpty: true });

export const profilesListSchema = requestObject('profiles.list', { model: model().optional() }, { allowEmpty: true });
export const recordIdRequestSchema = (call: string) => requestObject(call, { id: recordId() }, { allowEmpty: false });
/** `profiles.import`: the profile file's text; its content is checked by parseCacheProfile on the back end. */
export const profileImportSchema = requestObject('profiles.import', { json: text(CACHE_PROFILE_LIMITS.importBytesMax, { nonEmpty: true }) }, { allowEmpty: false });
