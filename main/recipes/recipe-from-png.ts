/**
 * The settings a PNG carries, as a generate request: behind `recipe.fromPng` (a PNG dropped
 * onto or opened in the app) and `studio generate --from FILE.png`.
 *
 * - A PNG this studio made has a `studio-recipe` chunk holding the Recipe, and with it the
 *   request exactly as it was sent (scheduler override, cache, hybrid and quantization
 *   settings included); re-running that request gives the same pixels. Recipes written before
 *   requests were kept give their resolved fields.
 * - A PNG from A1111 (or anything writing its `parameters` text) gives prompt, negative
 *   prompt, steps, CFG, seed and sampler; its model is used when one of that id is installed.
 *
 * The bytes come from the user, so everything is checked: a file that is not a PNG, one with
 * no settings, a sampler this studio does not run or a value out of range is an
 * INVALID_REQUEST saying which; nothing here throws anything else.
 */
import { SCHEDULER_NAMES, type GenerateRequest, type ModelInfo, type Recipe, type SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import type { RecipeImport } from '../../contract/recipe-import';
import { validateGenerateRequest } from '../../contract/validate';
import { lookupSchedulerClass } from '../../core/sampler/scheduler-families';
import { parseA1111Parameters, type A1111Parameters } from '../png/a1111-parameters';
import { readPngText } from '../png/png-reader';
import { PARAMETERS_KEYWORD, RECIPE_KEYWORD } from '../png/png-writer';

/** What the reader needs of the model registry. */
export interface ModelLookup {
  resolve(idOrDir: string): ModelInfo;
  defaultModel(): ModelInfo;
}

/** A1111 sampler names the studio runs, and the scheduler each becomes (ddpm-family models). */
const A1111_SAMPLERS: Readonly<Record<string, SchedulerName>> = {
  DDIM: 'ddim',
  Euler: 'euler',
  'DPM++ 2M': 'dpmpp-2m',
  'DPM++ 2M Karras': 'dpmpp-2m',
};

function invalid(message: string): StudioError {
  return new StudioError('INVALID_REQUEST', message, 'png');
}

/** The request a PNG's settings make, or INVALID_REQUEST saying why there is none. */
export function recipeFromPng(png: Uint8Array, models: ModelLookup): RecipeImport {
  const text = readPngText(png);
  const recipeJson = text[RECIPE_KEYWORD];
  if (recipeJson !== undefined) return fromStudioRecipe(recipeJson, models);
  const parameters = text[PARAMETERS_KEYWORD];
  if (parameters !== undefined) return fromA1111(parseA1111Parameters(parameters), models);
  throw invalid(`This PNG carries no settings: it has neither a "${RECIPE_KEYWORD}" chunk (Diffusion Studio) nor a "${PARAMETERS_KEYWORD}" chunk (A1111).`);
}

function fromStudioRecipe(json: string, models: ModelLookup): RecipeImport {
  let recipe: Partial<Recipe>;
  try {
    recipe = JSON.parse(json) as Partial<Recipe>;
  } catch (err) {
    throw invalid(`The PNG's "${RECIPE_KEYWORD}" chunk is not valid JSON (${(err as Error).message}).`);
  }
  if (typeof recipe !== 'object' || recipe === null) throw invalid(`The PNG's "${RECIPE_KEYWORD}" chunk is not a recipe object.`);
  const notes: string[] = [];
  // The request as sent is the exact re-run; older recipes give their resolved fields.
  const raw: Record<string, unknown> = recipe.request !== undefined
    ? { ...recipe.request }
    : {
        prompt: recipe.prompt,
        negativePrompt: recipe.negativePrompt,
        steps: recipe.steps,
        cfg: recipe.cfg,
        seed: recipe.seed,
        model: recipe.modelId,
        provider: recipe.providerRequested,
        scheduler: 'default',
        ...(recipe.cache !== undefined ? { cache: recipe.cache } : {}),
      };
  if (recipe.request === undefined) notes.push('This image was made before recipes kept the request: the scheduler is the model\'s own.');
  const model = typeof raw.model === 'string' ? raw.model : '';
  const known = installedModel(model, models);
  if (!known) {
    notes.push(`Its model "${model}"${recipe.modelHash ? ` (${recipe.modelHash.slice(0, 10)})` : ''} is not installed here.`);
    raw.model = models.defaultModel().id;
  }
  return { source: 'studio', request: checked(raw), modelKnown: known, notes };
}

function fromA1111(params: A1111Parameters, models: ModelLookup): RecipeImport {
  if (params.prompt.trim() === '') throw invalid(`The PNG's "${PARAMETERS_KEYWORD}" text has no prompt.`);
  const notes: string[] = [];
  const known = params.model !== undefined && installedModel(params.model, models);
  if (params.model !== undefined && !known) notes.push(`Its model "${params.model}" is not installed here.`);
  const model = known ? models.resolve(params.model as string) : models.defaultModel();
  const raw: Record<string, unknown> = {
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    model: model.id,
    provider: 'auto',
    scheduler: a1111Scheduler(params.sampler, model),
  };
  for (const key of ['steps', 'cfg', 'seed'] as const) {
    if (params[key] === undefined) notes.push(`It gives no ${key === 'cfg' ? 'CFG scale' : key}.`);
    else raw[key] = params[key];
  }
  if (params.settings['Schedule type'] !== undefined && params.settings['Schedule type'] !== 'Automatic') {
    notes.push(`Its schedule type "${params.settings['Schedule type']}" is not one the studio has; the model's own spacing is used.`);
  }
  if (params.width !== undefined && (params.width !== model.width || params.height !== model.height)) {
    notes.push(`It is ${params.width}×${params.height}; ${model.id} makes ${model.width}×${model.height} images.`);
  }
  // What the text leaves out comes from the model's recommended settings (seed 0).
  const { steps, cfg } = model.recommended;
  return { source: 'a1111', request: checked(raw, { steps, cfg, seed: 0 }), modelKnown: known, notes };
}

/** The studio scheduler for an A1111 sampler name, on this model's family. */
function a1111Scheduler(sampler: string | undefined, model: ModelInfo): SchedulerName {
  if (sampler === undefined) return 'default';
  const flow = lookupSchedulerClass(model.scheduler)?.family === 'flow';
  const name = A1111_SAMPLERS[sampler];
  const runs = Object.keys(A1111_SAMPLERS).join(', ');
  if (name === undefined) throw invalid(`The image's sampler "${sampler}" is not one this studio runs (${runs}).`);
  if (flow) {
    // A flow-matching model runs only the flow-match Euler step.
    if (name !== 'euler') throw invalid(`The image's sampler "${sampler}" cannot run ${model.id}, a flow-matching model; only Euler can.`);
    return 'flow-euler';
  }
  return (SCHEDULER_NAMES as readonly string[]).includes(name) ? name : 'default';
}

function installedModel(idOrDir: string, models: ModelLookup): boolean {
  if (idOrDir === '') return false;
  try {
    models.resolve(idOrDir);
    return true;
  } catch {
    return false;
  }
}

/** The request through the same schema as generate.start, missing fields from `fallback`. */
function checked(raw: Record<string, unknown>, fallback: Record<string, unknown> = {}): GenerateRequest {
  try {
    return validateGenerateRequest({ ...fallback, ...raw });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(`The image's settings do not fit this studio: ${reason}`);
  }
}
