/**
 * A generation's `preview` flag at the boundary (contract/request-schema.ts): true or false,
 * absent when not sent, and anything else refused with a message that names the field.
 */
import { describe, expect, it } from 'vitest';
import { validateGenerateRequest } from '../../../contract/validate';

const base = { prompt: 'red heart', steps: 10, cfg: 4, seed: 1, model: 'emoji' };

describe('generate.start preview', () => {
  it('takes true and false, and stays absent when not sent', () => {
    expect(validateGenerateRequest({ ...base, preview: true }).preview).toBe(true);
    expect(validateGenerateRequest({ ...base, preview: false }).preview).toBe(false);
    expect('preview' in validateGenerateRequest(base)).toBe(false);
  });

  it('refuses anything else as INVALID_REQUEST naming the field', () => {
    for (const bad of ['yes', 1, null, {}]) {
      expect(() => validateGenerateRequest({ ...base, preview: bad })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', message: expect.stringContaining('preview') }));
    }
  });
});
