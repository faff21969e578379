import { describe, expect, it } from 'vitest';
import { CALL_NAMES, LIMITS, type GenerateRequest } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { generateRequestSchema } from '../../../contract/request-schema';
import { validateCallRequest, validateGenerateRequest, validateHistoryQuery } from '../../../contract/validate';

const good: GenerateRequest = {
  prompt: 'a lighthouse at dusk',
  negativePrompt: 'blurry',
  steps: 20,
  cfg: 7.5,
  seed: 42,
  model: 'tiny-sd',
  provider: 'cpu',
  scheduler: 'euler',
};

/** Runs `fn`, expecting an INVALID_REQUEST about `field`; returns the message. */
function rejection(fn: () => unknown, field: string): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    const e = err as StudioError;
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.detail).toBe(field);
    return e.message;
  }
  throw new Error(`expected a rejection about ${field}`);
}

describe('validateGenerateRequest', () => {
  it('accepts a full request and returns a copy with only known fields', () => {
    const out = validateGenerateRequest({ ...good });
    expect(out).toEqual(good);
    expect(out).not.toBe(good);
  });

  it('fills defaults for negativePrompt, provider and scheduler', () => {
    const { negativePrompt: _n, provider: _p, scheduler: _s, ...rest } = good;
    expect(validateGenerateRequest(rest)).toEqual({ ...rest, negativePrompt: '', provider: 'auto', scheduler: 'default' });
  });

  it('rejects non-objects', () => {
    for (const bad of [undefined, null, 'x', 3, [good]]) {
      expect(rejection(() => validateGenerateRequest(bad), 'request')).toMatch(/must be a JSON object/);
    }
  });

  it('rejects unknown fields by name', () => {
    expect(rejection(() => validateGenerateRequest({ ...good, cfgScale: 3 }), 'cfgScale')).toMatch(/unknown field "cfgScale"/);
  });

  it('prompt: required, non-blank, at most promptCharsMax characters', () => {
    rejection(() => validateGenerateRequest({ ...good, prompt: undefined }), 'prompt');
    rejection(() => validateGenerateRequest({ ...good, prompt: 5 }), 'prompt');
    expect(rejection(() => validateGenerateRequest({ ...good, prompt: '  \n' }), 'prompt')).toBe('prompt must not be empty');
    const long = 'a'.repeat(LIMITS.promptCharsMax + 1);
    expect(rejection(() => validateGenerateRequest({ ...good, prompt: long }), 'prompt')).toBe(
      `prompt must be at most ${LIMITS.promptCharsMax} characters (got ${LIMITS.promptCharsMax + 1})`,
    );
    expect(validateGenerateRequest({ ...good, prompt: 'a'.repeat(LIMITS.promptCharsMax) }).prompt).toHaveLength(LIMITS.promptCharsMax);
  });

  it('negativePrompt: a string, empty allowed, length-limited', () => {
    expect(validateGenerateRequest({ ...good, negativePrompt: '' }).negativePrompt).toBe('');
    rejection(() => validateGenerateRequest({ ...good, negativePrompt: null }), 'negativePrompt');
    rejection(() => validateGenerateRequest({ ...good, negativePrompt: 'n'.repeat(LIMITS.promptCharsMax + 1) }), 'negativePrompt');
  });

  it('steps: an integer within LIMITS', () => {
    expect(validateGenerateRequest({ ...good, steps: LIMITS.stepsMin }).steps).toBe(LIMITS.stepsMin);
    expect(validateGenerateRequest({ ...good, steps: LIMITS.stepsMax }).steps).toBe(LIMITS.stepsMax);
    for (const bad of [0, LIMITS.stepsMax + 1, 2.5, '20', NaN, undefined]) {
      expect(rejection(() => validateGenerateRequest({ ...good, steps: bad }), 'steps')).toMatch(
        /^steps must be an integer between 1 and 1000 \(got .+\)$/,
      );
    }
  });

  it('cfg: a finite number within LIMITS', () => {
    expect(validateGenerateRequest({ ...good, cfg: 0 }).cfg).toBe(0);
    expect(validateGenerateRequest({ ...good, cfg: 30 }).cfg).toBe(30);
    for (const bad of [-0.1, 30.01, Infinity, NaN, '7']) {
      expect(rejection(() => validateGenerateRequest({ ...good, cfg: bad }), 'cfg')).toMatch(/^cfg must be a number between 0 and 30/);
    }
  });

  it('seed: an unsigned 32-bit integer, with the offending value quoted', () => {
    expect(validateGenerateRequest({ ...good, seed: 0 }).seed).toBe(0);
    expect(validateGenerateRequest({ ...good, seed: LIMITS.seedMax }).seed).toBe(LIMITS.seedMax);
    expect(rejection(() => validateGenerateRequest({ ...good, seed: 'abc' }), 'seed')).toBe(
      'seed must be an integer between 0 and 4294967295 (got "abc")',
    );
    expect(rejection(() => validateGenerateRequest({ ...good, seed: -1 }), 'seed')).toBe(
      'seed must be an integer between 0 and 4294967295 (got -1)',
    );
    rejection(() => validateGenerateRequest({ ...good, seed: LIMITS.seedMax + 1 }), 'seed');
    rejection(() => validateGenerateRequest({ ...good, seed: 1.5 }), 'seed');
    expect(rejection(() => validateGenerateRequest({ ...good, seed: undefined }), 'seed')).toMatch(/\(got nothing\)$/);
  });

  it('model: a non-empty string', () => {
    rejection(() => validateGenerateRequest({ ...good, model: '' }), 'model');
    rejection(() => validateGenerateRequest({ ...good, model: 7 }), 'model');
  });

  it('provider and scheduler: one of the listed names', () => {
    expect(rejection(() => validateGenerateRequest({ ...good, provider: 'tpu' }), 'provider')).toBe(
      'provider must be one of auto, cpu, webgpu, cuda, dml, coreml (got "tpu")',
    );
    expect(rejection(() => validateGenerateRequest({ ...good, scheduler: 'Euler' }), 'scheduler')).toMatch(
      /^scheduler must be one of default, ddim, euler, dpmpp-2m, flow-euler/,
    );
  });
});

describe('validateGenerateRequest: optional sampler fields', () => {
  it('eta: a number in [0, 1], absent by default', () => {
    expect(validateGenerateRequest(good).eta).toBeUndefined();
    expect(validateGenerateRequest({ ...good, eta: 0.5 }).eta).toBe(0.5);
    expect(rejection(() => validateGenerateRequest({ ...good, eta: 1.5 }), 'eta')).toBe('eta must be a number between 0 and 1 (got 1.5)');
  });

  it('denoiserVariant: a folder name, never a path', () => {
    expect(validateGenerateRequest({ ...good, denoiserVariant: 'int8-w8a8' }).denoiserVariant).toBe('int8-w8a8');
    for (const bad of ['../x', 'a/b', '.hidden', '']) rejection(() => validateGenerateRequest({ ...good, denoiserVariant: bad }), 'denoiserVariant');
  });

  it('reports an unknown field before the fields it leaves missing', () => {
    const { cfg: _cfg, ...rest } = good;
    // The list names every field of the schema, in its order.
    const known = Object.keys((generateRequestSchema as unknown as { shape: object }).shape).join(', ');
    expect(rejection(() => validateGenerateRequest({ ...rest, cfgScale: 3 }), 'cfgScale')).toBe(`generate.start request has an unknown field "cfgScale" (known fields: ${known})`);
    expect(known.startsWith('prompt, negativePrompt, steps, cfg, seed, model, provider, scheduler, cache')).toBe(true);
  });
});

describe('validateHistoryQuery', () => {
  it('accepts nothing, {} and every optional field', () => {
    expect(validateHistoryQuery(undefined)).toEqual({});
    expect(validateHistoryQuery({})).toEqual({});
    expect(validateHistoryQuery({ search: 'cat', limit: 10, before: 99 })).toEqual({ search: 'cat', limit: 10, before: 99 });
  });

  it('rejects out-of-range limit and before, non-string search', () => {
    rejection(() => validateHistoryQuery({ limit: 0 }), 'limit');
    rejection(() => validateHistoryQuery({ limit: LIMITS.historyPageMax + 1 }), 'limit');
    rejection(() => validateHistoryQuery({ before: 0 }), 'before');
    rejection(() => validateHistoryQuery({ search: 3 }), 'search');
  });
});

describe('validateCallRequest', () => {
  it('has a validator for every call name', () => {
    for (const name of CALL_NAMES) {
      // Each call rejects a non-object request, which proves its validator ran.
      expect(() => validateCallRequest(name, 'not an object')).toThrow(StudioError);
    }
  });

  it('accepts empty requests for the no-argument calls', () => {
    for (const name of ['app.info', 'models.list', 'providers.list'] as const) {
      expect(validateCallRequest(name, undefined)).toEqual({});
      expect(validateCallRequest(name, {})).toEqual({});
      rejection(() => validateCallRequest(name, { extra: 1 }), 'extra');
    }
  });

  it('dispatches generate.start, the job calls and history.get', () => {
    expect(validateCallRequest('generate.start', good)).toEqual(good);
    expect(validateCallRequest('jobs.cancel', { jobId: 'abc' })).toEqual({ jobId: 'abc' });
    expect(rejection(() => validateCallRequest('jobs.cancel', { jobId: '' }), 'jobId')).toBe('jobId must not be empty');
    expect(rejection(() => validateCallRequest('jobs.retry', { jobId: 'abc', force: true }), 'force')).toBe('jobs.retry request has an unknown field "force"');
    expect(validateCallRequest('jobs.retry', { jobId: 'abc' })).toEqual({ jobId: 'abc' });
    expect(validateCallRequest('jobs.list', undefined)).toEqual({});
    expect(validateCallRequest('jobs.list', { limit: 5, state: 'queued' })).toEqual({ limit: 5, state: 'queued' });
    rejection(() => validateCallRequest('jobs.list', { limit: 0 }), 'limit');
    expect(rejection(() => validateCallRequest('jobs.list', { state: 'paused' }), 'state')).toMatch(/^state must be one of queued, .* \(got "paused"\)$/);
    expect(validateCallRequest('history.get', { id: 3 })).toEqual({ id: 3 });
    rejection(() => validateCallRequest('history.get', { id: '3' }), 'id');
    rejection(() => validateCallRequest('history.get', {}), 'id');
  });

  it('rejects an unknown call name as INVALID_REQUEST', () => {
    const message = rejection(() => validateCallRequest('app.delete' as never, {}), 'call');
    expect(message).toMatch(/^Unknown call "app.delete" \(known calls: app.info, /);
  });
});
