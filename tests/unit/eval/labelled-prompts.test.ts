/**
 * Labelled prompts files (prompt, emoji, subgroup, held_out): what a good file gives, and
 * each bad input failing with the line it is on. The bank here is a small hand-made one;
 * the last test checks the committed everyday prompt set against the real bank and classes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { exclusionCounts, labelledItems, promptItems } from '../../../main/eval/eval-items';
import { loadEvalAssets } from '../../../main/eval/eval-assets';
import { loadEmojiBank, normalizeHexcode, type EmojiBank } from '../../../main/eval/emoji-bank';
import { isLabelledFile, parseLabelledPrompts, type LabelVocabulary } from '../../../main/eval/labelled-prompts';
import { readPromptsFile } from '../../../main/eval/prompts-file';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

const dir = tempDir('studio-labelled-');
afterAll(cleanupTempDirs);

const EMOJI = [
  { hexcode: '1F34E', label: 'red apple', subgroup: 'food-fruit', heldOut: false },
  { hexcode: '1F355', label: 'pizza', subgroup: 'food-prepared', heldOut: true },
  { hexcode: '1F1EF-1F1F5', label: 'flag, Japan', subgroup: 'country-flag', heldOut: false },
];
const bank: EmojiBank = {
  emoji: EMOJI,
  byHexcode: new Map(EMOJI.map((e, i) => [e.hexcode, i])),
  features: { features: new Float32Array(3), dim: 1, rowEmoji: [0, 1, 2], emojiCount: 3 },
  leaveOneOut: null,
};
const vocab: LabelVocabulary = { classes: ['food-fruit', 'food-prepared', 'food-sweet', 'country-flag'], bank };

function parse(name: string, content: string, v: LabelVocabulary = vocab) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return parseLabelledPrompts(f, readPromptsFile(f, true), v);
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

describe('parseLabelledPrompts', () => {
  it('reads prompts with their emoji, subgroup and held-out flag, in any column order', () => {
    const prompts = parse('good.tsv', [
      'emoji\tprompt\tsubgroup\theld_out',
      '1F34E\ta red apple\tfood-fruit\t0',
      '',
      'u+1f355\tslice of pizza\t\tyes',
      '1F1EF-FE0F-1F1F5\tflag of Japan\tcountry-flag\t',
      '\ta cupcake\tfood-sweet\t1',
    ].join('\r\n'));
    expect(prompts).toEqual([
      { text: 'a red apple', line: 2, emoji: '1F34E', subgroup: 'food-fruit', heldOut: false },
      { text: 'slice of pizza', line: 4, emoji: '1F355', subgroup: 'food-prepared', heldOut: true },
      { text: 'flag of Japan', line: 5, emoji: '1F1EF-1F1F5', subgroup: 'country-flag', heldOut: false },
      { text: 'a cupcake', line: 6, emoji: null, subgroup: 'food-sweet', heldOut: true },
    ]);
    expect(labelledItems(prompts, 2, 10)).toEqual([
      { prompt: 'a red apple', intended: 'food-fruit', emoji: '1F34E', heldOut: false, seed: 10 },
      { prompt: 'slice of pizza', intended: 'food-prepared', emoji: '1F355', heldOut: true, seed: 11 },
    ]);
  });

  it('takes a subgroup-only file without an emoji bank', () => {
    expect(parse('subgroups.tsv', 'prompt\tsubgroup\na cake\tfood-sweet\n', { ...vocab, bank: null })).toEqual([
      { text: 'a cake', line: 2, emoji: null, subgroup: 'food-sweet', heldOut: null },
    ]);
  });

  it.each([
    ['an unknown emoji', 'prompt\temoji\nan apple\t1F34E\na rocket\t1F680\n', /bad\.tsv line 3: emoji 1F680 is not one of the 3 emoji of the evaluation set/],
    ['an unknown subgroup', 'prompt\tsubgroup\nan apple\tfood-fruit\nsoup\tfood-soup\n', /bad\.tsv line 3: subgroup "food-soup" is not one of the classifier's 4 subgroups/],
    ['a malformed emoji', 'prompt\temoji\napple\tapple\n', /bad\.tsv line 2: emoji "apple" is not written as hex code points like 1F34E/],
    ['a malformed held_out', 'prompt\temoji\theld_out\napple\t1F34E\tmaybe\n', /bad\.tsv line 2: held_out is "maybe"; write 1 or 0/],
    ['a missing column', 'prompt\temoji\tsubgroup\napple\t1F34E\tfood-fruit\npizza\t1F355\n', /bad\.tsv line 3: has 2 tab-separated columns; the header \(line 1\) has 3: prompt, emoji, subgroup/],
    ['an extra column', 'prompt\temoji\napple\t1F34E\tfood-fruit\n', /bad\.tsv line 2: has 3 tab-separated columns; the header \(line 1\) has 2/],
    ['a line without tabs', 'prompt\temoji\napple\t1F34E\njust words\n', /bad\.tsv line 3: has 1 tab-separated column; the header/],
    ['an empty prompt', 'prompt\temoji\n\t1F34E\n', /bad\.tsv line 2: the prompt is empty/],
    ['a row with neither label', 'prompt\temoji\tsubgroup\napple\t\t\n', /bad\.tsv line 2: needs an emoji or a subgroup/],
    ['a row cut short', 'prompt\temoji\tsubgroup\napple\t1F34E\n', /bad\.tsv line 2: has 2 tab-separated columns; the header \(line 1\) has 3/],
    ['an emoji in another subgroup', 'prompt\temoji\tsubgroup\napple\t1F34E\tfood-sweet\n', /bad\.tsv line 2: emoji 1F34E is in subgroup food-fruit, not food-sweet/],
    ['a wrong held_out', 'prompt\temoji\theld_out\npizza\t1F355\t0\n', /bad\.tsv line 2: held_out is 0 but emoji 1F355 \(pizza\) was held out from training/],
    ['a header without prompt', 'text\temoji\napple\t1F34E\n', /bad\.tsv line 1: header column 1 is "text"; the columns are prompt, emoji, subgroup, held_out/],
    ['a header without labels', 'prompt\theld_out\napple\t1\n', /bad\.tsv line 1: the header needs an "emoji" or a "subgroup" column/],
    ['a repeated column', 'prompt\temoji\temoji\napple\t1F34E\t1F34E\n', /bad\.tsv line 1: the header names column "emoji" twice/],
    ['a header alone', '\nprompt\temoji\n\n', /bad\.tsv line 2: the header is followed by no prompts/],
  ])('refuses %s, naming the line', (_what, content, message) => {
    const err = errorOf(() => parse('bad.tsv', content));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(message);
  });

  it('refuses an emoji column when the evaluation folder has no bank', () => {
    const err = errorOf(() => parse('nobank.tsv', 'prompt\temoji\napple\t1F34E\n', { ...vocab, bank: null }));
    expect(err.message).toMatch(/nobank\.tsv line 1: there is an "emoji" column but the evaluation folder has no emoji bank/);
  });
});

describe('isLabelledFile and normalizeHexcode', () => {
  it('calls a file labelled when its first line holds a tab', () => {
    expect(isLabelledFile([{ text: 'prompt\temoji', line: 1 }, { text: 'a', line: 2 }])).toBe(true);
    expect(isLabelledFile([{ text: 'a red apple', line: 1 }])).toBe(false);
  });

  it('spells code points as the bank does', () => {
    expect(normalizeHexcode('u+1f34e')).toBe('1F34E');
    expect(normalizeHexcode('2764 FE0F')).toBe('2764');
    expect(normalizeHexcode('1F1EF-1F1F5')).toBe('1F1EF-1F1F5');
    expect(normalizeHexcode('FE0F')).toBeNull();
    expect(normalizeHexcode('apple')).toBeNull();
    expect(normalizeHexcode('123')).toBeNull();
  });
});

describe('free-text exclusions', () => {
  it('counts the excluded prompts per kind of reason', () => {
    const keywords = { 'food-fruit': ['apple'], 'food-sweet': ['cake'], 'food-prepared': ['pizza', 'slice'], 'event': ['birthday'] };
    const lines = ['a red apple', 'a birthday cake', 'crying face', 'a lion face', 'an apple pie slice'].map((text, i) => ({ text, line: i + 1 }));
    const items = promptItems(lines, undefined, 0, keywords);
    expect(items.map((it) => it.intended)).toEqual(['food-fruit', null, null, null, null]);
    expect(exclusionCounts(items)).toEqual({ 'ambiguous between subcategories': 2, 'no subcategory keyword in prompt': 2 });
  });
});

describe('the committed everyday prompt set', () => {
  it('parses against the real bank and classes: at least 300 prompts, some about held-out emoji', () => {
    const evalDir = path.join(__dirname, '..', '..', '..', 'native-models', 'eval');
    const assets = loadEvalAssets(evalDir);
    const realBank = loadEmojiBank(evalDir, assets.classes, assets.classifierPath);
    expect(realBank).not.toBeNull();
    const file = path.join(evalDir, 'everyday-prompts.tsv');
    const lines = readPromptsFile(file, true);
    expect(lines[0]?.text).toBe('prompt\temoji\tsubgroup\theld_out');
    const prompts = parseLabelledPrompts(file, lines, { classes: assets.classes, bank: realBank });
    expect(prompts.length).toBeGreaterThanOrEqual(300);
    expect(new Set(prompts.map((p) => p.text)).size).toBe(prompts.length);
    expect(prompts.every((p) => p.emoji !== null && p.heldOut !== null)).toBe(true);
    expect(prompts.filter((p) => p.heldOut).length).toBeGreaterThanOrEqual(50);
    // The diagnostic file names the same emoji once each, by their own names.
    const namesFile = path.join(evalDir, 'everyday-emoji-names.tsv');
    const names = parseLabelledPrompts(namesFile, readPromptsFile(namesFile, true), { classes: assets.classes, bank: realBank });
    expect(names.map((p) => p.emoji)).toEqual([...new Set(prompts.map((p) => p.emoji))]);
  });
});
