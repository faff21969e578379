import { describe, expect, it } from 'vitest';
import { CACHE_METHODS, defaultCacheConfig, validateCacheConfig } from '../../../core/cache/cache-config';
import { CacheConfigError } from '../../../core/cache/cache-errors';

describe('cache config', () => {
  it('every default validates to itself', () => {
    for (const m of CACHE_METHODS) expect(validateCacheConfig(defaultCacheConfig(m))).toEqual(defaultCacheConfig(m));
  });

  it('fills absent fields with defaults', () => {
    expect(validateCacheConfig({ method: 'magcache', threshold: 0.1 })).toEqual({ method: 'magcache', threshold: 0.1, maxSkips: 5, warmupRatio: 0.2 });
    expect(validateCacheConfig({ method: 'ertacache', lambda: 0.2 })).toEqual({ method: 'ertacache', lambda: 0.2, timeAdjustment: true, rectification: 'channel', phiReference: 'velocity', signal: 'guided', reuseSet: 'placed' });
  });

  it('refuses out-of-range and mistyped fields with a clear message', () => {
    const bad = (c: unknown) => () => validateCacheConfig(c);
    expect(bad({ method: 'teacache', threshold: -0.1 })).toThrow(CacheConfigError);
    expect(bad({ method: 'teacache', threshold: -0.1 })).toThrow('teacache: "threshold" must be a number in [0, 3], got -0.1');
    expect(bad({ method: 'ertacache', lambda: 4 })).toThrow(/"lambda" must be a number in \[0, 3\], got 4/);
    expect(bad({ method: 'fora', interval: 2.5 })).toThrow(/"interval" must be an integer/);
    expect(bad({ method: 'magcache', warmupRatio: 1 })).toThrow(/warmupRatio/);
    expect(bad({ method: 'easycache', threshold: Number.NaN })).toThrow(/threshold/);
    expect(bad({ method: 'teacache', coefficients: [1, 2, 3] })).toThrow(/5 finite numbers/);
    expect(bad({ method: 'ertacache', rectification: 'pixel' })).toThrow(/rectification/);
    expect(bad({ method: 'ertacache', timeAdjustment: 'yes' })).toThrow(/timeAdjustment/);
    expect(bad({ method: 'ertacache', signal: 'both' })).toThrow(/"signal" must be "guided" or "branches"/);
    expect(bad({ method: 'ertacache', reuseSet: 'random' })).toThrow(/"reuseSet" must be "greedy", "placed" or "measured"/);
    expect(bad({ method: 'ertacache-forecast', priorGap: 0 })).toThrow(/ertacache-forecast: "priorGap" must be an integer in \[1, 1000\], got 0/);
    expect(bad({ method: 'linear', affine: 1 })).toThrow(/linear: "affine" must be true or false/);
    expect(bad({ method: 'deepcache' })).toThrow(/must be one of none, fora/);
    expect(bad(null)).toThrow(/object/);
  });
});
