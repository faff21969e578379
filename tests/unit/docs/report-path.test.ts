import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportPath } from '../../../main/eval/eval-report';

describe('reportPath', () => {
  const root = path.resolve('/repo/checkout');

  it('records a file inside the root relative to it, with forward slashes', () => {
    expect(reportPath(path.join(root, 'native-models', 'eval'), root)).toBe('native-models/eval');
    expect(reportPath(root, root)).toBe('.');
  });

  it('records a file outside the root by its base name only', () => {
    expect(reportPath(path.resolve('/tmp/x/prompts.txt'), root)).toBe('prompts.txt');
    expect(reportPath(path.resolve('/repo/checkout-other/eval'), root)).toBe('eval');
  });
});
