// `cache.recommend` is checked where it enters like every call: a run target and a budget of
// model calls, the scheduler defaulted, unknown or missing fields refused with the field named.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { validateCallRequest } from '../../../contract/validate';

const run = { model: 'emoji', steps: 50, cfg: 5 };

function refusal(raw: unknown): StudioError {
  try {
    validateCallRequest('cache.recommend', raw);
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe('cache.recommend request', () => {
  it('takes a run target and a budget, with the scheduler defaulted', () => {
    expect(validateCallRequest('cache.recommend', { ...run, calls: 13 })).toEqual({ ...run, scheduler: 'default', calls: 13 });
    expect(validateCallRequest('cache.recommend', { ...run, scheduler: 'euler', calls: 6 }).scheduler).toBe('euler');
  });

  it.each([
    [{ ...run }, 'calls'],
    [{ ...run, calls: 1 }, 'calls'],
    [{ ...run, calls: 12.5 }, 'calls'],
    [{ ...run, calls: '13' }, 'calls'],
    [{ ...run, steps: 0, calls: 13 }, 'steps'],
    [{ ...run, cfg: 31, calls: 13 }, 'cfg'],
    [{ steps: 50, cfg: 5, calls: 13 }, 'model'],
  ])('%j is refused on %s', (raw, field) => {
    const err = refusal(raw);
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.detail).toBe(field);
  });

  it('refuses an unknown field', () => {
    expect(refusal({ ...run, calls: 13, budget: 13 }).code).toBe('INVALID_REQUEST');
  });
});
