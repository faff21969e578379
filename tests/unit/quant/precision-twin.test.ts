/** The A/B twin lookup never pairs an int8 image with an fp32 one: the precision is part of the recipe's identity. */
import { describe, expect, test } from 'vitest';
import type { GenerateRequest, GenerationRecord, Recipe } from '../../../contract/api';
import { findFp32Twin, fp32Request } from '../../../renderer/src/lib/fp32-reference';
import { findUncachedTwin } from '../../../renderer/src/lib/uncached-reference';

const recipe = (over: Partial<Recipe>): Recipe =>
  ({ prompt: 'p', negativePrompt: '', steps: 20, cfg: 5, seed: 1, modelId: 'emoji', modelHash: 'h', provider: 'cpu', providerRequested: 'cpu', scheduler: 'S', schedulerConfig: {}, width: 64, height: 64, noise: 'n', appVersion: '1', ...over }) as Recipe;
const record = (id: number, r: Recipe): GenerationRecord => ({ id, recipe: r }) as GenerationRecord;
const int8 = { components: [{ role: 'denoiser', hash: 'd', variant: 'int8-w8a8', variantHash: 'v' }] } as Partial<Recipe>;

describe('precision in the A/B twin lookup', () => {
  test('a cached fp32 run pairs with the uncached fp32 run, not an int8 one', () => {
    const cached = record(3, recipe({ cache: { method: 'fora', interval: 2 } as Recipe['cache'] }));
    const fp32 = record(1, recipe({}));
    const quant = record(2, recipe(int8));
    expect(findUncachedTwin(cached, [fp32, quant])?.id).toBe(1);
  });

  test('a cached int8 + TCEC run pairs only with the same precision and compensation', () => {
    const tcec = { ...int8, compensation: { method: 'tcec' as const, strength: 0.5, calibrationId: 1 } };
    const cached = record(5, recipe({ ...tcec, cache: { method: 'fora', interval: 2 } as Recipe['cache'] }));
    expect(findUncachedTwin(cached, [record(1, recipe({})), record(2, recipe(int8))])).toBeNull();
    expect(findUncachedTwin(cached, [record(1, recipe({})), record(4, recipe(tcec))])?.id).toBe(4);
  });
});

describe('the fp32 twin of a quantized result', () => {
  test('is the same recipe, cache included, on the fp32 denoiser; the request drops only the variant and compensation', () => {
    const fora = { cache: { method: 'fora', interval: 2 } as Recipe['cache'] };
    const quant = record(7, recipe({ ...int8, ...fora, compensation: { method: 'tcec', strength: 1, calibrationId: 1 } }));
    expect(findFp32Twin(quant, [record(1, recipe({})), record(2, recipe(int8)), record(3, recipe(fora))])?.id).toBe(3);
    expect(findFp32Twin(quant, [record(1, recipe({})), record(2, recipe(int8))])).toBeNull();
    const sent = { prompt: 'p', negativePrompt: '', steps: 20, cfg: 5, seed: 1, model: 'emoji', provider: 'cpu', scheduler: 'default', cache: { method: 'fora', interval: 2 }, denoiserVariant: 'int8-w8a8', compensation: { method: 'tcec', strength: 1 } } as GenerateRequest;
    expect(fp32Request(quant.recipe, sent)).toEqual({ prompt: 'p', negativePrompt: '', steps: 20, cfg: 5, seed: 1, model: 'emoji', provider: 'cpu', scheduler: 'default', cache: { method: 'fora', interval: 2 } });
  });
});
