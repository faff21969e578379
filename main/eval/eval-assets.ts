/**
 * The evaluation set on disk (default <appRoot>/native-models/eval, built by
 * `npm run models:train`), checked and parsed before any model is loaded:
 *
 *   classifier/model.onnx        images float32 [batch, 3, 64, 64] in [−1, 1] → logits [batch, C], features [batch, F]
 *   classifier/classes.json      the C subcategory names, in logit order
 *   captions.jsonl               one {"caption", "subcategory", "image": "images/<n>.png"} per line
 *   subcategory-keywords.json    {subcategory: [keyword, …]} for free-text prompts
 *   images/*.png                 the real evaluation images, 64×64 RGB
 *
 * Every problem names the file (and line) at fault: a missing file says that
 * `npm run models:train` builds the set; a malformed one is MODEL_CORRUPT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { assetReader } from './asset-files';
import type { SubcategoryKeywords } from '../../core/eval/subcategory-inference';

/** Asset paths relative to the evaluation folder. */
export const EVAL_FILES = {
  classifier: 'classifier/model.onnx',
  classes: 'classifier/classes.json',
  captions: 'captions.jsonl',
  keywords: 'subcategory-keywords.json',
} as const;

export const TRAIN_HINT = 'Run "npm run models:train" to build the evaluation set (or point --eval-dir at one).';

export interface EvalCaption {
  caption: string;
  subcategory: string;
  /** Absolute path of the real image. */
  image: string;
  /** 1-based line in captions.jsonl. */
  line: number;
}

export interface EvalAssets {
  dir: string;
  classifierPath: string;
  /** Subcategory names in logit order. */
  classes: string[];
  captions: EvalCaption[];
  keywords: SubcategoryKeywords;
}

const { corrupt, json: readJson, jsonLines } = assetReader(TRAIN_HINT);

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function parseClasses(dir: string): string[] {
  const raw = readJson(dir, EVAL_FILES.classes);
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every(nonEmptyString)) {
    throw corrupt(dir, EVAL_FILES.classes, 'should be a non-empty array of subcategory names');
  }
  const dup = raw.find((name, i) => raw.indexOf(name) !== i);
  if (dup !== undefined) throw corrupt(dir, EVAL_FILES.classes, `"${dup}" is listed twice`);
  return raw;
}

function parseKeywords(dir: string, classes: readonly string[]): SubcategoryKeywords {
  const raw = readJson(dir, EVAL_FILES.keywords);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw corrupt(dir, EVAL_FILES.keywords, 'should be an object {subcategory: [keywords…]}');
  }
  const out: Record<string, string[]> = {};
  for (const [name, words] of Object.entries(raw as Record<string, unknown>)) {
    if (!classes.includes(name)) throw corrupt(dir, EVAL_FILES.keywords, `subcategory "${name}" is not one of the classifier's classes`);
    if (!Array.isArray(words) || !words.every(nonEmptyString)) throw corrupt(dir, EVAL_FILES.keywords, `"${name}" should map to an array of keywords`);
    out[name] = words;
  }
  return out;
}

function parseCaptions(dir: string, classes: readonly string[]): EvalCaption[] {
  const rel = EVAL_FILES.captions;
  const captions: EvalCaption[] = [];
  for (const { row, line, where } of jsonLines(dir, rel)) {
    const { caption, subcategory, image } = (row ?? {}) as Record<string, unknown>;
    if (!nonEmptyString(caption) || !nonEmptyString(subcategory) || !nonEmptyString(image)) {
      throw corrupt(dir, where, 'needs string fields "caption", "subcategory" and "image"');
    }
    if (!classes.includes(subcategory)) throw corrupt(dir, where, `subcategory "${subcategory}" is not one of the classifier's classes`);
    const file = path.resolve(dir, image);
    if (!fs.existsSync(file)) throw corrupt(dir, where, `image ${image} does not exist`);
    captions.push({ caption, subcategory, image: file, line });
  }
  if (captions.length === 0) throw corrupt(dir, rel, 'holds no captions');
  return captions;
}

/**
 * Checks and parses the evaluation set in `dir` (images are only checked to exist here;
 * eval-images.ts decodes them).
 * @throws StudioError MODEL_NOT_FOUND (folder or file missing) | MODEL_CORRUPT (malformed)
 */
export function loadEvalAssets(dir: string): EvalAssets {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new StudioError('MODEL_NOT_FOUND', `The evaluation folder ${root} does not exist. ${TRAIN_HINT}`, root);
  }
  const missing = Object.values(EVAL_FILES).filter((rel) => !fs.existsSync(path.join(root, rel)));
  if (missing.length > 0) {
    throw new StudioError('MODEL_NOT_FOUND', `Evaluation asset${missing.length > 1 ? 's' : ''} missing in ${root}: ${missing.join(', ')}. ${TRAIN_HINT}`, missing[0]);
  }
  const classes = parseClasses(root);
  return {
    dir: root,
    classifierPath: path.join(root, EVAL_FILES.classifier),
    classes,
    captions: parseCaptions(root, classes),
    keywords: parseKeywords(root, classes),
  };
}
