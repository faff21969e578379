/**
 * A prompts file for `studio eval --prompts-file F`: UTF-8 text, one prompt per line;
 * blank lines are skipped, CRLF and a leading BOM are accepted. Anything else that is
 * wrong is an INVALID_REQUEST naming the file and, where it applies, the line: a missing
 * file, a folder, binary data (a NUL byte or invalid UTF-8), no prompts at all, a line
 * over LIMITS.promptCharsMax characters, or (checked once the model is loaded, by
 * checkPromptsFit) a line with more tokens than the model's text encoder takes.
 */
import fs from 'node:fs';
import { LIMITS } from '../../contract/api';
import { StudioError } from '../../contract/errors';

/** Larger files are refused before reading: 16 MiB is ~100k prompts. */
const MAX_BYTES = 16 * 1024 * 1024;

export interface PromptLine {
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

function invalid(file: string, message: string, line?: number): StudioError {
  return new StudioError('INVALID_REQUEST', `Prompts file ${file}${line === undefined ? '' : ` line ${line}`}: ${message}.`, line === undefined ? file : `${file}:${line}`);
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** The first byte offset where `bytes` is not valid UTF-8, or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes);
    return -1;
  } catch {
    // Narrow down by halves; the file is at most MAX_BYTES, so this stays cheap.
    let lo = 0;
    let hi = bytes.length;
    while (hi - lo > 4) {
      const mid = (lo + hi) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    return lo;
  }
}

/**
 * The non-blank lines of `file`, trimmed, with their line numbers.
 * @param keepTabs trim only other whitespace, so that the empty first or last cell of a
 *   tab-separated line survives (labelled-prompts.ts); a line of only tabs is still blank
 * @throws StudioError INVALID_REQUEST
 */
export function readPromptsFile(file: string, keepTabs = false): PromptLine[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw invalid(file, 'does not exist');
  }
  if (stat.isDirectory()) throw invalid(file, 'is a folder, not a text file');
  if (stat.size > MAX_BYTES) throw invalid(file, `is ${stat.size} bytes; at most ${MAX_BYTES} are read`);
  const bytes = fs.readFileSync(file);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw invalid(file, `is not a text file (a NUL byte at offset ${nul})`, lineOfByte(bytes, nul));
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) throw invalid(file, `is not UTF-8 text (invalid bytes near offset ${bad})`, lineOfByte(bytes, bad));
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const prompts: PromptLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const prompt = raw.trim();
    if (prompt === '') return;
    if (prompt.length > LIMITS.promptCharsMax) {
      throw invalid(file, `the prompt is ${prompt.length} characters; at most ${LIMITS.promptCharsMax} are allowed`, i + 1);
    }
    prompts.push({ text: keepTabs ? raw.replace(/^[^\S\t]+|[^\S\t]+$/g, '') : prompt, line: i + 1 });
  });
  if (prompts.length === 0) throw invalid(file, stat.size === 0 ? 'is empty' : 'has only blank lines; put one prompt per line');
  return prompts;
}

/**
 * Tokenizes every prompt before any image is made, so an over-long line fails the run at
 * once instead of after the lines before it were generated.
 * @param tokenize throws StudioError PROMPT_TOO_LONG for a prompt the model cannot take
 * @throws StudioError PROMPT_TOO_LONG naming the file and line
 */
export function checkPromptsFit(file: string, prompts: readonly PromptLine[], tokenize: (text: string) => unknown): void {
  for (const p of prompts) {
    try {
      tokenize(p.text);
    } catch (err) {
      if (err instanceof StudioError && err.code === 'PROMPT_TOO_LONG') {
        throw new StudioError('PROMPT_TOO_LONG', `Prompts file ${file} line ${p.line} is too long for this model: ${err.message}`, `${file}:${p.line}`);
      }
      throw err;
    }
  }
}
