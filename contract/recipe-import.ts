/**
 * recipe.fromPng: the settings a PNG carries, read on the back end and handed back as a
 * request the form can take. A PNG made by this studio holds the full request in its
 * `studio-recipe` chunk; one made by A1111 (or a tool writing its format) holds a
 * `parameters` text, from which prompt, negative prompt, steps, CFG, seed and sampler are read.
 *
 * Pure TypeScript (zod has no node or DOM dependency), like the rest of contract/.
 */
import { z } from 'zod';
import type { GenerateRequest } from './request-schema';

/**
 * Largest PNG accepted, in bytes. A recipe lives in small text chunks, but they come with
 * the image; 8 MiB takes a 2048×2048 PNG from another tool.
 */
export const RECIPE_PNG_BYTES_MAX = 8 * 1024 * 1024;
/** The same cap as base64 text (4 characters per 3 bytes, padded). */
export const RECIPE_PNG_BASE64_MAX = Math.ceil(RECIPE_PNG_BYTES_MAX / 3) * 4;

export interface RecipeFromPngRequest {
  /** The file's bytes, base64 (standard alphabet, padded). */
  png: string;
}

export interface RecipeImport {
  /** Which chunk the settings came from. */
  source: 'studio' | 'a1111';
  /** The settings as a request; `model` is an installed model id when `modelKnown`. */
  request: GenerateRequest;
  /** Whether `request.model` names a model this studio has. */
  modelKnown: boolean;
  /** What could not be carried over, in words (e.g. a model that is not installed). */
  notes: string[];
}

export const recipeFromPngSchema = z
  .object({
    png: z
      .string()
      .max(RECIPE_PNG_BASE64_MAX, `png must be at most ${RECIPE_PNG_BYTES_MAX / (1024 * 1024)} MiB`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'png must be the file as base64 text'),
  })
  .strict();
