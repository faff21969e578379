/**
 * The real-emoji feature bank of an evaluation set, for exact-emoji accuracy (optional; an
 * evaluation folder without it reports no exact-emoji figures):
 *
 *   emoji-bank.json   { classifierSha256, featureDim, styles[], emoji: [{hexcode, label,
 *                       subgroup, heldOut}], rowEmoji[], rowStyle[], leaveOneOut? }
 *   emoji-bank.f16    IEEE half floats, little-endian, [rows, featureDim] row-major: the
 *                     classifier's "features" output for each real emoji image
 *
 * Rows are every emoji with artwork, without skin-tone variants, in each artwork style
 * (Twemoji and Noto, 64×64 RGB on white, the training renders); `heldOut` marks emoji left
 * out of training. Features only mean something to the classifier that made them, so the
 * bank records that classifier's sha256 and is refused with another one.
 * Built by scripts/build-emoji-bank.mjs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { normalizeRows, type FeatureBank } from '../../core/eval/nearest-emoji';
import { fromFloat16Array } from '../runtime/float16';

export const EMOJI_BANK_FILES = { index: 'emoji-bank.json', features: 'emoji-bank.f16' } as const;

export const BANK_HINT = 'Rebuild it with "node scripts/build-emoji-bank.mjs".';

export interface BankEmoji {
  /** Code points in upper-case hex joined by "-", without FE0F: "1F34E", "1F1EF-1F1F5". */
  hexcode: string;
  label: string;
  subgroup: string;
  heldOut: boolean;
}

export interface EmojiBank {
  emoji: BankEmoji[];
  /** hexcode → index into `emoji`. */
  byHexcode: ReadonlyMap<string, number>;
  /** Rows normalised to unit length. */
  features: FeatureBank;
  /** The bank's own exact-emoji ceiling, when recorded. */
  leaveOneOut: BankCeiling | null;
}

/** The index file's contents before the features are attached. */
export interface EmojiBankIndex {
  classifierSha256: string;
  featureDim: number;
  styles: string[];
  emoji: BankEmoji[];
  rowEmoji: number[];
  rowStyle: number[];
  /** Exact-emoji top-1/top-5 of each real image against all the other images (see leaveOneOutAccuracy). */
  leaveOneOut?: BankCeiling;
}

export interface BankCeiling {
  top1: number;
  top5: number;
  counted: number;
}

/**
 * A code point sequence as the bank spells it: "U+1F34E", "1f34e", "2764 FE0F" → "1F34E",
 * "2764". Returns null when `text` is not hex code points.
 */
export function normalizeHexcode(text: string): string | null {
  const parts = text.trim().toUpperCase().split(/[\s-]+/).map((p) => p.replace(/^U\+/, ''));
  if (parts.length === 0 || !parts.every((p) => /^[0-9A-F]{4,6}$/.test(p))) return null;
  const kept = parts.filter((p) => p !== 'FE0F');
  return kept.length === 0 ? null : kept.join('-');
}

function corrupt(dir: string, rel: string, problem: string): StudioError {
  return new StudioError('MODEL_CORRUPT', `${path.join(dir, rel)}: ${problem}. ${BANK_HINT}`, rel);
}

function checkIndex(dir: string, raw: unknown, classes: readonly string[]): EmojiBankIndex {
  const rel = EMOJI_BANK_FILES.index;
  const r = (raw ?? {}) as Partial<Record<keyof EmojiBankIndex, unknown>>;
  if (typeof r.classifierSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.classifierSha256)) throw corrupt(dir, rel, '"classifierSha256" should be a sha256 in hex');
  if (!Number.isInteger(r.featureDim) || (r.featureDim as number) < 1) throw corrupt(dir, rel, '"featureDim" should be a positive integer');
  if (!Array.isArray(r.styles) || !r.styles.every((s) => typeof s === 'string')) throw corrupt(dir, rel, '"styles" should be an array of names');
  if (!Array.isArray(r.emoji) || r.emoji.length === 0) throw corrupt(dir, rel, '"emoji" should be a non-empty array');
  const seen = new Set<string>();
  r.emoji.forEach((e: Partial<BankEmoji>, i) => {
    const hex = typeof e?.hexcode === 'string' ? normalizeHexcode(e.hexcode) : null;
    if (hex === null || hex !== e.hexcode) throw corrupt(dir, rel, `emoji ${i} has no valid "hexcode"`);
    if (seen.has(hex)) throw corrupt(dir, rel, `emoji ${hex} is listed twice`);
    seen.add(hex);
    if (typeof e.label !== 'string' || typeof e.heldOut !== 'boolean') throw corrupt(dir, rel, `emoji ${hex} needs a "label" and a boolean "heldOut"`);
    if (typeof e.subgroup !== 'string' || !classes.includes(e.subgroup)) throw corrupt(dir, rel, `emoji ${hex} has subgroup "${String(e.subgroup)}", not one of the classifier's classes`);
  });
  const emojiCount = r.emoji.length;
  const styleCount = r.styles.length;
  const indices = (v: unknown, below: number): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x < below);
  if (!indices(r.rowEmoji, emojiCount)) throw corrupt(dir, rel, `"rowEmoji" should list an emoji index 0..${emojiCount - 1} per row`);
  if (!indices(r.rowStyle, styleCount) || r.rowStyle.length !== r.rowEmoji.length) throw corrupt(dir, rel, '"rowStyle" should list a style index per row');
  if (r.leaveOneOut !== undefined) {
    const c = r.leaveOneOut as Partial<BankCeiling>;
    const fraction = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;
    if (!fraction(c.top1) || !fraction(c.top5) || !Number.isInteger(c.counted)) throw corrupt(dir, rel, '"leaveOneOut" should be {top1, top5, counted}');
  }
  return r as EmojiBankIndex;
}

/** sha256 of a file, hex. */
export function fileSha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * The bank in `dir`, or null when the folder has none.
 * @param classifierPath the classifier the evaluation runs; the bank must have been built with it
 * @throws StudioError MODEL_CORRUPT (malformed, half present, or built for another classifier)
 */
export function loadEmojiBank(dir: string, classes: readonly string[], classifierPath: string): EmojiBank | null {
  const indexFile = path.join(dir, EMOJI_BANK_FILES.index);
  const featuresFile = path.join(dir, EMOJI_BANK_FILES.features);
  const present = [indexFile, featuresFile].filter((f) => fs.existsSync(f));
  if (present.length === 0) return null;
  if (present.length === 1) {
    const missing = present[0] === indexFile ? EMOJI_BANK_FILES.features : EMOJI_BANK_FILES.index;
    throw corrupt(dir, missing, 'is missing while the other half of the emoji bank is present');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  } catch (err) {
    throw corrupt(dir, EMOJI_BANK_FILES.index, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const index = checkIndex(dir, raw, classes);
  const actual = fileSha256(classifierPath);
  if (actual !== index.classifierSha256) {
    throw corrupt(dir, EMOJI_BANK_FILES.index, `was built with the classifier sha256 ${index.classifierSha256.slice(0, 10)}…, not the present one (${actual.slice(0, 10)}…)`);
  }
  const bytes = fs.readFileSync(featuresFile);
  const expected = index.rowEmoji.length * index.featureDim * 2;
  if (bytes.length !== expected) {
    throw corrupt(dir, EMOJI_BANK_FILES.features, `is ${bytes.length} bytes; ${index.rowEmoji.length} rows of ${index.featureDim} half floats are ${expected}`);
  }
  const bits = new Uint16Array(index.rowEmoji.length * index.featureDim);
  for (let i = 0; i < bits.length; i++) bits[i] = bytes.readUInt16LE(i * 2);
  const features = fromFloat16Array(bits);
  if (features.some((v) => !Number.isFinite(v))) throw corrupt(dir, EMOJI_BANK_FILES.features, 'holds a value that is not finite');
  return {
    emoji: index.emoji,
    byHexcode: new Map(index.emoji.map((e, i) => [e.hexcode, i])),
    features: { features: normalizeRows(features, index.featureDim), dim: index.featureDim, rowEmoji: index.rowEmoji, emojiCount: index.emoji.length },
    leaveOneOut: index.leaveOneOut ?? null,
  };
}
