/**
 * The motion evaluation set of a video model (default <evalDir>/motion, written by the model's
 * export), checked and parsed before any model is loaded:
 *
 *   classifier.onnx     clips float32 [batch, 3, 8, 64, 64] in [−1, 1] → logits [batch, M], features [batch, 128]
 *   classes.json        the M motions in logit order: [{"key": "spin-cw", "phrases": ["spinning clockwise", …]}, …]
 *   prompts.jsonl       held-out prompts: {"prompt", "hexcode", "subcategory", "motion", "set"} per line,
 *                       prompt = "<emoji label> <one of the motion's phrases>"
 *   real-features.f32   float32 little-endian [N, D]: the classifier's features of the real held-out
 *                       clips (after the VAE round trip), held-out emoji rows first, then held-out pairs
 *   metrics.json        the classifier's own accuracy on those real clips per set (the ceiling), N, D
 *
 * Every problem names the file (and line) at fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../contract/errors';
import { assetReader } from './asset-files';

export const MOTION_FILES = {
  classifier: 'classifier.onnx',
  classes: 'classes.json',
  prompts: 'prompts.jsonl',
  realFeatures: 'real-features.f32',
  metrics: 'metrics.json',
} as const;

/** The two held-out sets, in the order their real features are stored. */
export const MOTION_SETS = ['held-out emoji', 'held-out pair'] as const;
export type MotionSet = (typeof MOTION_SETS)[number];
/** metrics.json's name for each set. */
const METRICS_KEY: Record<MotionSet, 'eval_emoji' | 'eval_pairs'> = { 'held-out emoji': 'eval_emoji', 'held-out pair': 'eval_pairs' };

const HINT = 'The motion evaluation set is written by the video model\'s export (native-models/export_motion.py); point --eval-dir at a folder holding motion/.';

export interface MotionClass {
  key: string;
  phrases: string[];
}

export interface MotionPrompt {
  prompt: string;
  /** The prompt without its motion phrase: the emoji's label. */
  label: string;
  hexcode: string;
  /** The image classifier's class of the emoji. */
  subcategory: string;
  /** Index into MotionAssets.classes. */
  motion: number;
  set: MotionSet;
  /** 1-based line in prompts.jsonl. */
  line: number;
}

export interface MotionAssets {
  dir: string;
  classifierPath: string;
  classes: MotionClass[];
  prompts: MotionPrompt[];
  /** Real clips' features, [count, dim] row-major, and the rows of each set. */
  real: { data: Float32Array; count: number; dim: number; rows: Record<MotionSet, { start: number; count: number }> };
  /** The classifier on the real clips of each set: the ceiling of motion accuracy. */
  ceiling: Record<MotionSet, { top1: number; top5: number; clips: number }>;
}

const classesSchema = z.array(z.object({ key: z.string().min(1), phrases: z.array(z.string().min(1)).min(1) })).min(1);
const promptSchema = z.object({
  prompt: z.string().min(1),
  hexcode: z.string().min(1),
  subcategory: z.string().min(1),
  motion: z.string().min(1),
  set: z.enum(MOTION_SETS),
});
const accuracySchema = z.object({ top1: z.number().min(0).max(1), top5: z.number().min(0).max(1), clips: z.int().min(1) });
const metricsSchema = z.object({
  classifier_accuracy_on_real_clips: z.object({ eval_emoji: accuracySchema, eval_pairs: accuracySchema }),
  feature_dim: z.int().min(1),
  real_clips: z.int().min(1),
});

const { corrupt, json: readJson, jsonLines } = assetReader(HINT);

function parsed<T>(schema: z.ZodType<T>, value: unknown, dir: string, rel: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw corrupt(dir, rel, `${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is malformed'}`);
  }
  return r.data;
}


/** The emoji label of `prompt`: the prompt less its trailing motion phrase. */
function labelOf(prompt: string, motion: MotionClass): string | undefined {
  const phrase = motion.phrases.find((p) => prompt.endsWith(` ${p}`));
  return phrase === undefined ? undefined : prompt.slice(0, prompt.length - phrase.length - 1).trim();
}

function parsePrompts(dir: string, classes: readonly MotionClass[]): MotionPrompt[] {
  const rel = MOTION_FILES.prompts;
  const out: MotionPrompt[] = [];
  for (const { row, line, where } of jsonLines(dir, rel)) {
    const p = parsed(promptSchema, row, dir, where);
    const motion = classes.findIndex((c) => c.key === p.motion);
    if (motion < 0) throw corrupt(dir, where, `motion "${p.motion}" is not in ${MOTION_FILES.classes}`);
    const label = labelOf(p.prompt, classes[motion] as MotionClass);
    if (label === undefined || label === '') throw corrupt(dir, where, `prompt "${p.prompt}" does not end with a phrase of motion ${p.motion}`);
    out.push({ prompt: p.prompt, label, hexcode: p.hexcode, subcategory: p.subcategory, motion, set: p.set, line });
  }
  if (out.length === 0) throw corrupt(dir, rel, 'holds no prompts');
  return out;
}

/**
 * Checks and parses the motion evaluation set in `dir`.
 * @throws StudioError MODEL_NOT_FOUND (folder or file missing) | MODEL_CORRUPT (malformed)
 */
export function loadMotionAssets(dir: string): MotionAssets {
  const root = path.resolve(dir);
  const missing = Object.values(MOTION_FILES).filter((rel) => !fs.existsSync(path.join(root, rel)));
  if (missing.length > 0) {
    throw new StudioError('MODEL_NOT_FOUND', `Motion evaluation asset${missing.length > 1 ? 's' : ''} missing in ${root}: ${missing.join(', ')}. ${HINT}`, missing[0]);
  }
  const classes = parsed(classesSchema, readJson(root, MOTION_FILES.classes), root, MOTION_FILES.classes);
  const metrics = parsed(metricsSchema, readJson(root, MOTION_FILES.metrics), root, MOTION_FILES.metrics);
  const dim = metrics.feature_dim;
  const bytes = fs.readFileSync(path.join(root, MOTION_FILES.realFeatures));
  if (bytes.length !== metrics.real_clips * dim * 4) {
    throw corrupt(root, MOTION_FILES.realFeatures, `holds ${bytes.length} bytes; ${MOTION_FILES.metrics} says ${metrics.real_clips} clips × ${dim} float32 = ${metrics.real_clips * dim * 4}`);
  }
  const data = new Float32Array(metrics.real_clips * dim);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
  if (!data.every(Number.isFinite)) throw corrupt(root, MOTION_FILES.realFeatures, 'holds a non-finite value');
  const acc = metrics.classifier_accuracy_on_real_clips;
  const emojiClips = acc.eval_emoji.clips;
  if (emojiClips + acc.eval_pairs.clips !== metrics.real_clips) {
    throw corrupt(root, MOTION_FILES.metrics, `the sets' clips (${emojiClips} + ${acc.eval_pairs.clips}) do not add up to real_clips ${metrics.real_clips}`);
  }
  const ceiling = Object.fromEntries(MOTION_SETS.map((s) => [s, acc[METRICS_KEY[s]]])) as MotionAssets['ceiling'];
  return {
    dir: root,
    classifierPath: path.join(root, MOTION_FILES.classifier),
    classes,
    prompts: parsePrompts(root, classes),
    real: { data, count: metrics.real_clips, dim, rows: { 'held-out emoji': { start: 0, count: emojiClips }, 'held-out pair': { start: emojiClips, count: acc.eval_pairs.clips } } },
    ceiling,
  };
}
