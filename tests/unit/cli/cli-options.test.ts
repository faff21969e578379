import { describe, expect, test } from 'vitest';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from '../../../main/cli/cli-options';
import { parseGenerateArgs } from '../../../main/cli/generate-command';
import { formatProgress } from '../../../main/cli/progress-bar';

describe('option values', () => {
  test('integers: plain decimal in range only', () => {
    expect(integerOption('steps', '20', 1, 1000, 5)).toBe(20);
    expect(integerOption('steps', undefined, 1, 1000, 5)).toBe(5);
    expect(integerOption('seed', '4294967295', 0, 4294967295, 0)).toBe(4294967295);
    for (const bad of ['abc', '', ' ', '1.5', '1e3', '0x10', '12abc', '4294967296', '-1']) {
      expect(() => integerOption('seed', bad, 0, 4294967295, 0)).toThrow(UsageError);
    }
    expect(() => integerOption('seed', 'abc', 0, 4294967295, 0)).toThrow('--seed must be an integer 0..4294967295 (got "abc")');
  });

  test('numbers: decimals in range', () => {
    expect(numberOption('cfg', '7.5', 0, 30, 5)).toBe(7.5);
    expect(numberOption('cfg', '.5', 0, 30, 5)).toBe(0.5);
    expect(() => numberOption('cfg', '31', 0, 30, 5)).toThrow('--cfg must be a number 0..30 (got "31")');
    expect(() => numberOption('cfg', 'NaN', 0, 30, 5)).toThrow(UsageError);
    expect(() => numberOption('cfg', 'Infinity', 0, 30, 5)).toThrow(UsageError);
  });

  test('choices and required text', () => {
    expect(choiceOption('provider', undefined, ['auto', 'cpu'] as const, 'auto')).toBe('auto');
    expect(() => choiceOption('provider', 'gpu', ['auto', 'cpu'] as const, 'auto')).toThrow('--provider must be one of auto, cpu (got "gpu")');
    expect(() => requiredText('prompt', undefined)).toThrow('--prompt is required');
    expect(() => requiredText('prompt', '   ')).toThrow('--prompt must not be empty');
  });
});

describe('generate arguments', () => {
  test('defaults: generic 30 steps, cfg 5 (no recommended settings given), auto provider, default scheduler, default model, random seed', () => {
    const p = parseGenerateArgs(['--prompt', 'hi'], () => 'tiny');
    expect(p.request).toMatchObject({ prompt: 'hi', negativePrompt: '', steps: 30, cfg: 5, model: 'tiny', provider: 'auto', scheduler: 'default' });
    expect(p.randomSeed).toBe(true);
    expect(Number.isInteger(p.request.seed) && p.request.seed >= 0 && p.request.seed <= 0xffffffff).toBe(true);
    expect(p.json).toBe(false);
  });

  test('--seed -1 draws a random seed, as leaving it out does; other negatives are refused', () => {
    const p = parseGenerateArgs(['--prompt', 'hi', '--seed', '-1'], () => 'tiny');
    expect(p.randomSeed).toBe(true);
    expect(p.request.seed).toBeGreaterThanOrEqual(0);
    expect(() => parseGenerateArgs(['--prompt', 'hi', '--seed', '-2'], () => 'tiny')).toThrow(/seed/);
  });

  test("the hybrid flags build the request's hybrid field; LARGE replaces --model", () => {
    const p = parseGenerateArgs(['--prompt', 'hi', '--hybrid', 'emoji:20,emoji-small', '--order', 'small-first', '--tiny-vae', '--remote', 'http://127.0.0.1:8000/v2/models/emoji-transformer', '--remote-fallback', 'local'], () => 'tiny');
    expect(p.request.model).toBe('emoji');
    expect(p.request.hybrid).toEqual({ small: 'emoji-small', largeSteps: 20, order: 'small-first', tinyVae: true, remote: { url: 'http://127.0.0.1:8000/v2/models/emoji-transformer', fallback: 'local' } });
    expect(() => parseGenerateArgs(['--prompt', 'hi', '--hybrid', 'emoji-20'], () => 'tiny')).toThrow(/LARGE:K,SMALL/);
    expect(() => parseGenerateArgs(['--prompt', 'hi', '--order', 'small-first'], () => 'tiny')).toThrow(/needs --hybrid/);
    expect(() => parseGenerateArgs(['--prompt', 'hi', '--model', 'tiny', '--hybrid', 'emoji:2,emoji-small'], () => 'tiny')).toThrow(/different large models/);
  });

  test('every option is read', () => {
    const p = parseGenerateArgs(
      ['--prompt', 'p', '--negative', 'n', '--steps', '3', '--cfg', '1.5', '--seed', '0', '--model', '/x', '--provider', 'cpu', '--scheduler', 'euler', '--out', 'o.png', '--json'],
      () => 'unused',
    );
    expect(p.request).toEqual({ prompt: 'p', negativePrompt: 'n', steps: 3, cfg: 1.5, seed: 0, model: '/x', provider: 'cpu', scheduler: 'euler' });
    expect(p).toMatchObject({ randomSeed: false, out: 'o.png', json: true });
  });
});

test('the progress bar text', () => {
  expect(formatProgress('denoise', 12, 20, 1300)).toBe('[############........] 12/20 denoise 1.3s');
  expect(formatProgress('load', 0, 20, 40)).toBe('[....................] 0/20 load 0.0s');
  expect(formatProgress('decode', 20, 20, 2000)).toBe('[####################] 20/20 decode 2.0s');
});
