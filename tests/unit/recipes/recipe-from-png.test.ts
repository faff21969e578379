/**
 * recipe.fromPng's reader on real PNG bytes and the real model registry: what each kind of PNG
 * gives, what it cannot carry over, and the clear refusals; and the call's request check.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { GenerateRequest, Recipe } from '../../../contract/api';
import { RECIPE_PNG_BASE64_MAX } from '../../../contract/recipe-import';
import { validateCallRequest } from '../../../contract/validate';
import { ModelRegistry } from '../../../main/models/model-registry';
import { encodePng, encodeRecipePng } from '../../../main/png/png-writer';
import { recipeFromPng } from '../../../main/recipes/recipe-from-png';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

const registry = new ModelRegistry({ userDir: tempDir('studio-recipes-models-'), bundledDir: BUNDLED_PIPELINES });
afterAll(cleanupTempDirs);

const pixel = new Uint8Array(3);
const a1111 = (text: string) => encodePng(pixel, 1, 1, [{ keyword: 'parameters', text }]);
const studioPng = (recipe: Partial<Recipe>) => encodePng(pixel, 1, 1, [{ keyword: 'studio-recipe', text: JSON.stringify(recipe), international: true }]);

const request: GenerateRequest = { prompt: 'red heart', negativePrompt: 'blur', steps: 12, cfg: 4, seed: 9, model: 'emoji', provider: 'cpu', scheduler: 'flow-euler', cache: { method: 'fora', interval: 3 } };

describe('recipe.fromPng', () => {
  test('a studio PNG gives back the request exactly as it was sent', () => {
    const recipe = { prompt: 'red heart', modelId: 'emoji', modelHash: 'ab'.repeat(32), request } as Recipe;
    const png = encodeRecipePng(pixel, 1, 1, recipe);
    expect(recipeFromPng(png, registry)).toEqual({ source: 'studio', request, modelKnown: true, notes: [] });
  });

  test('an older studio recipe without its request gives its resolved fields and says the scheduler is the model\'s own', () => {
    const imported = recipeFromPng(studioPng({ prompt: 'a', negativePrompt: '', steps: 5, cfg: 2, seed: 3, modelId: 'emoji', providerRequested: 'auto' }), registry);
    expect(imported.request).toMatchObject({ prompt: 'a', steps: 5, cfg: 2, seed: 3, model: 'emoji', scheduler: 'default' });
    expect(imported.notes.join(' ')).toMatch(/scheduler is the model's own/);
  });

  test('a model that is not installed: the default model, and a note naming the missing one', () => {
    const imported = recipeFromPng(studioPng({ modelId: 'gone', modelHash: '1234567890abcdef', request: { ...request, model: 'gone' } }), registry);
    expect(imported.modelKnown).toBe(false);
    expect(imported.request.model).toBe(registry.defaultModel().id);
    expect(imported.notes).toEqual(['Its model "gone" (1234567890) is not installed here.']);
  });

  test('A1111: Euler on a flow-matching model is its flow-match Euler; what the text leaves out comes from the model', () => {
    const imported = recipeFromPng(a1111('a cat\nSampler: Euler, Model: emoji, Size: 64x64'), registry);
    const emoji = registry.resolve('emoji');
    expect(imported.request).toMatchObject({ prompt: 'a cat', negativePrompt: '', scheduler: 'flow-euler', model: 'emoji', steps: emoji.recommended.steps, cfg: emoji.recommended.cfg, seed: 0 });
    expect(imported.notes).toEqual(['It gives no steps.', 'It gives no CFG scale.', 'It gives no seed.']);
  });

  test('A1111: DPM++ 2M Karras on a DDPM model runs as DPM-Solver++ 2M; another size is noted', () => {
    const imported = recipeFromPng(a1111('a dog\nSteps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 5, Size: 512x768, Model: tiny'), registry);
    expect(imported.request).toMatchObject({ scheduler: 'dpmpp-2m', steps: 30, cfg: 7, seed: 5, model: 'tiny' });
    expect(imported.notes).toEqual(['It is 512×768; tiny makes 64×64 images.']);
  });

  test.each([
    [a1111('a cat\nSteps: 5, Sampler: DDIM, CFG scale: 3, Seed: 1, Model: emoji'), /"DDIM" cannot run emoji, a flow-matching model/],
    [a1111('a cat\nSteps: 5, Sampler: Heun, CFG scale: 3, Seed: 1'), /"Heun" is not one this studio runs \(DDIM, Euler, DPM\+\+ 2M, DPM\+\+ 2M Karras\)/],
    [a1111('a cat\nSteps: 5000, Sampler: DDIM, CFG scale: 3, Seed: 1, Model: tiny'), /settings do not fit this studio: steps must be/],
    [a1111('\nSteps: 5, Sampler: DDIM, CFG scale: 3'), /has no prompt/],
    [studioPng({ request: { ...request, cache: { method: 'fora', bogus: 1 } } as unknown as GenerateRequest }), /settings do not fit this studio/],
    [encodePng(pixel, 1, 1, [{ keyword: 'studio-recipe', text: '{not json', international: true }]), /not valid JSON/],
    [encodePng(pixel, 1, 1), /carries no settings/],
    [new TextEncoder().encode('GIF89a'), /Not a readable PNG: the PNG signature is missing/],
  ])('refuses with INVALID_REQUEST: %#', (png, message) => {
    let thrown: unknown;
    try {
      recipeFromPng(png, registry);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(message) });
  });

  test('the call takes base64 text up to the size cap, nothing else', () => {
    expect(validateCallRequest('recipe.fromPng', { png: 'iVBORw0KGgo=' })).toEqual({ png: 'iVBORw0KGgo=' });
    expect(() => validateCallRequest('recipe.fromPng', { png: 'not base64!' })).toThrow(/png must be the file as base64 text/);
    expect(() => validateCallRequest('recipe.fromPng', { png: 'A'.repeat(RECIPE_PNG_BASE64_MAX + 4) })).toThrow(/png must be at most 8 MiB/);
    expect(() => validateCallRequest('recipe.fromPng', { png: '', extra: 1 })).toThrow(/extra/);
  });
});
