/**
 * What the app tells its users points to things they can do in the app: no text in the renderer
 * names a CLI command (an earlier message asked "Is `studio serve` still running?", a command
 * that does not exist). Comments may name commands; strings and markup may not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../../helpers/runtime-fixture';

const CLI_COMMAND = /\b(studio|npx studio|npm run) (serve|generate|profile|profiles|quantize|bench|eval|models|history|export-triton|serve-model)\b/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|svelte)$/.test(entry.name) ? [file] : [];
  });
}

/** Lines that are not comments (// …, /* … *\/ blocks, <!-- … -->). */
function codeLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    let rest = raw;
    if (inBlock) {
      const end = rest.indexOf('*/');
      if (end === -1) return;
      rest = rest.slice(end + 2);
      inBlock = false;
    }
    rest = rest.replace(/<!--.*?-->/g, '').replace(/\/\*.*?\*\//g, '');
    const open = rest.indexOf('/*');
    if (open !== -1) {
      inBlock = true;
      rest = rest.slice(0, open);
    }
    rest = rest.replace(/(^|\s)\/\/.*$/, '');
    if (rest.trim() !== '') out.push({ line: i + 1, text: rest });
  });
  return out;
}

test('no renderer string or markup names a CLI command', () => {
  const found = sourceFiles(path.join(REPO_ROOT, 'renderer', 'src')).flatMap((file) =>
    codeLines(fs.readFileSync(file, 'utf8'))
      .filter((l) => CLI_COMMAND.test(l.text))
      .map((l) => `${path.relative(REPO_ROOT, file)}:${l.line}: ${l.text.trim()}`),
  );
  expect(found).toEqual([]);
});

test('the check sees a command in a string, not in a comment', () => {
  expect(codeLines("const m = 'Is `studio serve` still running?';").some((l) => CLI_COMMAND.test(l.text))).toBe(true);
  expect(codeLines('/** shared with `studio profile` */\n// run studio generate').some((l) => CLI_COMMAND.test(l.text))).toBe(false);
});
