/**
 * Prompts files: what is read (non-blank lines, trimmed, CRLF and BOM accepted) and the
 * errors, each naming the file and, where there is one, the line. The token check uses
 * the tiny fixture's real CLIP tokenizer (32 tokens).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { checkPromptsFit, readPromptsFile } from '../../../main/eval/prompts-file';
import { checkPipelineLayout } from '../../../main/runtime/pipeline-layout';
import { loadTokenizer } from '../../../main/runtime/text-encoder';
import { cleanupTempDirs, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

const dir = tempDir('studio-prompts-');
afterAll(cleanupTempDirs);

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function errorOf(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a StudioError');
}

describe('readPromptsFile', () => {
  it('reads one trimmed prompt per non-blank line with its line number', () => {
    const f = file('ok.txt', '\uFEFFa red apple\r\n\r\n  smiling cat face  \nthird\n');
    expect(readPromptsFile(f)).toEqual([
      { text: 'a red apple', line: 1 },
      { text: 'smiling cat face', line: 3 },
      { text: 'third', line: 4 },
    ]);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'nope.txt'), /nope\.txt: does not exist/],
    ['a folder', () => dir, /is a folder/],
    ['an empty file', () => file('empty.txt', ''), /empty\.txt: is empty/],
    ['only blank lines', () => file('blank.txt', '\n  \n\t\n'), /has only blank lines/],
    ['a NUL byte', () => file('bin.txt', Buffer.from('ok\nfine\nbad\u0000line\n')), /bin\.txt line 3: is not a text file \(a NUL byte at offset 11\)/],
    ['invalid UTF-8', () => file('latin1.txt', Buffer.from([0x6f, 0x6b, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a])), /latin1\.txt line 2: is not UTF-8 text/],
    ['a PNG', () => file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), /image\.png line 3: is not a text file \(a NUL byte at offset 8\)/],
    ['a line over 2000 characters', () => file('long.txt', `fine\n${'x'.repeat(2001)}\n`), /long\.txt line 2: the prompt is 2001 characters; at most 2000/],
  ])('refuses %s', (_what, make, message) => {
    const err = errorOf(() => readPromptsFile(make()));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(message);
  });
});

describe('checkPromptsFit', () => {
  const tokenizer = loadTokenizer(checkPipelineLayout(TINY_DIR));
  const tokenize = (text: string): Int32Array => {
    // The same conversion PromptEncoder.tokenize does, on the fixture's 32-token limit.
    try {
      return tokenizer.encodePadded(text, 32);
    } catch (err) {
      throw new StudioError('PROMPT_TOO_LONG', err instanceof Error ? err.message : String(err));
    }
  };

  it('passes prompts that fit and names the first line that does not', () => {
    const prompts = [
      { text: 'a red apple', line: 1 },
      { text: 'a b c d e', line: 2 },
      { text: 'a '.repeat(40).trim(), line: 5 },
    ];
    expect(() => checkPromptsFit('p.txt', prompts.slice(0, 2), tokenize)).not.toThrow();
    const err = errorOf(() => checkPromptsFit('p.txt', prompts, tokenize));
    expect(err.code).toBe('PROMPT_TOO_LONG');
    expect(err.message).toMatch(/^Prompts file p\.txt line 5 is too long for this model/);
    expect(err.detail).toBe('p.txt:5');
  });
});
