/** The forecasting methods' configs: defaults filled, and every knob out of range refused with its range. */
import { describe, expect, it } from 'vitest';
import { CacheConfigError } from '../../../core/cache/cache-errors';
import { validateCacheConfig } from '../../../core/cache/cache-config';

describe('forecasting cache configs', () => {
  it('fill the defaults', () => {
    expect(validateCacheConfig({ method: 'taylorseer' })).toMatchObject({ method: 'taylorseer', order: expect.any(Number), interval: expect.any(Number), warmup: expect.any(Number) });
    expect(validateCacheConfig({ method: 'linear', calls: 10 })).toMatchObject({ method: 'linear', calls: 10, history: expect.any(Number), schedule: expect.stringMatching(/uniform|placed/) });
    expect(validateCacheConfig({ method: 'ertacache-forecast', calls: 8 })).toMatchObject({ method: 'ertacache-forecast', calls: 8, timeAdjustment: expect.any(Boolean) });
  });

  it.each([
    [{ method: 'taylorseer', order: 3 }, 'taylorseer: "order" must be an integer in [1, 2], got 3'],
    [{ method: 'taylorseer', order: 0 }, 'taylorseer: "order" must be an integer in [1, 2], got 0'],
    [{ method: 'taylorseer', interval: 0 }, 'taylorseer: "interval" must be an integer in [1, 100], got 0'],
    [{ method: 'taylorseer', interval: 2.5 }, 'taylorseer: "interval" must be an integer in [1, 100], got 2.5'],
    [{ method: 'taylorseer', target: 'features' }, 'taylorseer: "target" must be "output" or "residual", got "features"'],
    [{ method: 'linear', history: 5 }, 'linear: "history" must be an integer in [1, 4], got 5'],
    [{ method: 'linear', history: 0 }, 'linear: "history" must be an integer in [1, 4], got 0'],
    [{ method: 'linear', calls: 1 }, 'linear: "calls" must be an integer in [2, 1000], got 1'],
    [{ method: 'linear', ridge: -1 }, 'linear: "ridge" must be a number in [0, 10], got -1'],
    [{ method: 'linear', schedule: 'random' }, 'linear: "schedule" must be "uniform", "spread" or "placed", got "random"'],
    [{ method: 'ertacache-forecast', fallbackBand: 0.5 }, 'ertacache-forecast: "fallbackBand" must be a number in [1, 100], got 0.5'],
    [{ method: 'ertacache-forecast', timeAdjustment: 'yes' }, 'ertacache-forecast: "timeAdjustment" must be true or false, got "yes"'],
  ])('%j is refused: %s', (input, message) => {
    expect(() => validateCacheConfig(input)).toThrow(CacheConfigError);
    expect(() => validateCacheConfig(input)).toThrow(message);
  });
});
