/**
 * A labelled prompts file for `studio eval --prompts-file F`: tab-separated, a header line
 * first, then one prompt per line with the emoji and/or subgroup it asks for.
 *
 *   prompt <TAB> emoji <TAB> subgroup <TAB> held_out
 *   a red apple <TAB> 1F34E <TAB> food-fruit <TAB> 0
 *
 * Columns may come in any order; "prompt" and at least one of "emoji" and "subgroup" are
 * required, "held_out" (1/0, true/false, yes/no) is optional. An emoji is written as its code
 * points in hex ("1F34E", "1F1EF-1F1F5"; FE0F and "U+" are dropped) and must be in the
 * evaluation set's emoji bank; a subgroup must be one of the classifier's classes; when both
 * are given they must agree, and so must held_out with the bank. Cells are trimmed; empty
 * emoji or subgroup cells are allowed while the other is filled.
 *
 * A file is labelled when its first line holds a tab; free-text files (no tabs) keep keyword
 * inference. Every problem is an INVALID_REQUEST naming the file and line.
 */
import { StudioError } from '../../contract/errors';
import { normalizeHexcode, type EmojiBank } from './emoji-bank';
import type { PromptLine } from './prompts-file';

export const LABEL_COLUMNS = ['prompt', 'emoji', 'subgroup', 'held_out'] as const;
type Column = (typeof LABEL_COLUMNS)[number];

export interface LabelledPrompt {
  text: string;
  /** 1-based line in the file. */
  line: number;
  /** Bank hexcode of the intended emoji, or null when only a subgroup was given. */
  emoji: string | null;
  /** Intended subgroup (given, or the emoji's). */
  subgroup: string;
  /** Whether the emoji was left out of training; null when unknown. */
  heldOut: boolean | null;
}

export interface LabelVocabulary {
  /** The classifier's subgroups. */
  classes: readonly string[];
  /** Needed for an emoji column; null when the evaluation folder has no bank. */
  bank: EmojiBank | null;
}

function invalid(file: string, line: number, message: string): StudioError {
  return new StudioError('INVALID_REQUEST', `Prompts file ${file} line ${line}: ${message}.`, `${file}:${line}`);
}

/** True when the first non-blank line is a tab-separated header, i.e. the file is labelled. */
export function isLabelledFile(lines: readonly PromptLine[]): boolean {
  return lines[0]?.text.includes('\t') ?? false;
}

function parseHeader(file: string, header: PromptLine, vocab: LabelVocabulary): Column[] {
  const names = header.text.split('\t').map((c) => c.trim().toLowerCase());
  names.forEach((name, i) => {
    if (!(LABEL_COLUMNS as readonly string[]).includes(name)) {
      throw invalid(file, header.line, `header column ${i + 1} is "${name}"; the columns are ${LABEL_COLUMNS.join(', ')}`);
    }
    if (names.indexOf(name) !== i) throw invalid(file, header.line, `the header names column "${name}" twice`);
  });
  if (!names.includes('prompt')) throw invalid(file, header.line, 'the header has no "prompt" column');
  if (!names.includes('emoji') && !names.includes('subgroup')) throw invalid(file, header.line, 'the header needs an "emoji" or a "subgroup" column');
  if (names.includes('emoji') && vocab.bank === null) {
    throw invalid(file, header.line, 'there is an "emoji" column but the evaluation folder has no emoji bank (emoji-bank.json) to check emoji against');
  }
  return names as Column[];
}

function parseHeldOut(file: string, line: number, cell: string): boolean | null {
  const v = cell.toLowerCase();
  if (v === '') return null;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw invalid(file, line, `held_out is "${cell}"; write 1 or 0`);
}

function parseRow(file: string, p: PromptLine, columns: readonly Column[], headerLine: number, vocab: LabelVocabulary): LabelledPrompt {
  const cells = p.text.split('\t').map((c) => c.trim());
  if (cells.length !== columns.length) {
    throw invalid(file, p.line, `has ${cells.length} tab-separated column${cells.length === 1 ? '' : 's'}; the header (line ${headerLine}) has ${columns.length}: ${columns.join(', ')}`);
  }
  const cell = (c: Column): string => (columns.includes(c) ? (cells[columns.indexOf(c)] as string) : '');
  const text = cell('prompt');
  if (text === '') throw invalid(file, p.line, 'the prompt is empty');
  let emoji: string | null = null;
  let subgroup: string | null = null;
  let heldOut = parseHeldOut(file, p.line, cell('held_out'));
  if (cell('emoji') !== '') {
    const raw = cell('emoji');
    emoji = normalizeHexcode(raw);
    if (emoji === null) throw invalid(file, p.line, `emoji "${raw}" is not written as hex code points like 1F34E`);
    const bank = vocab.bank as EmojiBank;
    const index = bank.byHexcode.get(emoji);
    if (index === undefined) throw invalid(file, p.line, `emoji ${emoji} is not one of the ${bank.emoji.length} emoji of the evaluation set`);
    const known = bank.emoji[index] as EmojiBank['emoji'][number];
    if (heldOut !== null && heldOut !== known.heldOut) {
      throw invalid(file, p.line, `held_out is ${heldOut ? 1 : 0} but emoji ${emoji} (${known.label}) was ${known.heldOut ? 'held out from' : 'part of'} training`);
    }
    heldOut = known.heldOut;
    subgroup = known.subgroup;
  }
  const given = cell('subgroup');
  if (given !== '') {
    if (!vocab.classes.includes(given)) throw invalid(file, p.line, `subgroup "${given}" is not one of the classifier's ${vocab.classes.length} subgroups`);
    if (subgroup !== null && subgroup !== given) throw invalid(file, p.line, `emoji ${emoji} is in subgroup ${subgroup}, not ${given}`);
    subgroup = given;
  }
  if (subgroup === null) throw invalid(file, p.line, 'needs an emoji or a subgroup');
  return { text, line: p.line, emoji, subgroup, heldOut };
}

/**
 * The labelled prompts of a file whose first line is the header (see isLabelledFile).
 * @param lines the file's non-blank lines, from readPromptsFile
 * @throws StudioError INVALID_REQUEST naming the file and line
 */
export function parseLabelledPrompts(file: string, lines: readonly PromptLine[], vocab: LabelVocabulary): LabelledPrompt[] {
  const [header, ...rows] = lines;
  if (header === undefined) throw new StudioError('INVALID_REQUEST', `Prompts file ${file}: is empty.`, file);
  const columns = parseHeader(file, header, vocab);
  if (rows.length === 0) throw invalid(file, header.line, 'the header is followed by no prompts');
  return rows.map((p) => parseRow(file, p, columns, header.line, vocab));
}
