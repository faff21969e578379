import { describe, expect, it } from 'vitest';
import { CACHE_METHODS, defaultCacheConfig } from '../../../core/cache/cache-config';
import { validateCacheConfig } from '../../../core/cache';
import { unknownCacheKnob } from '../../../contract/cache';
import { validateCallRequest } from '../../../contract/validate';

const run = { model: 'emoji', steps: 20, cfg: 4 };

function problem(cache: unknown): string {
  try {
    validateCallRequest('cache.plan', { ...run, cache });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the request to be refused');
}

describe('unknown cache knobs are refused at the API, as unknown top-level fields are', () => {
  it.each([
    [{ method: 'teacache', treshold: 0.2 }, 'cache: teacache: unknown knob "treshold" (its knobs: threshold, coefficients, maxConsecutiveSkips)'],
    [{ method: 'fora', interval: 2, lambda: 0.3 }, 'cache: fora: unknown knob "lambda" (its knobs: interval)'],
    [{ method: 'none', threshold: 1 }, 'cache: none: unknown knob "threshold" (it takes none)'],
  ])('%j → %s', (cache, message) => {
    expect(problem(cache)).toBe(message);
  });

  it('on every call that takes a cache config', () => {
    const cache = { method: 'easycache', threshold: 0.1, warmup: 2 };
    expect(() => validateCallRequest('generate.start', { ...run, prompt: 'a cat', seed: 1, cache })).toThrow(/unknown knob "warmup"/);
  });

  it("every method's full default config, and a partial one, still pass", () => {
    for (const method of CACHE_METHODS) expect(unknownCacheKnob(defaultCacheConfig(method))).toBeUndefined();
    expect(validateCallRequest('cache.plan', { ...run, cache: { method: 'fora', interval: 2 } }).cache).toEqual({ method: 'fora', interval: 2 });
  });

  it("core's own parser still drops unknown fields, so stored reports and recipes keep loading", () => {
    expect(validateCacheConfig({ method: 'fora', interval: 2, retired: true })).toEqual({ method: 'fora', interval: 2 });
  });
});
