/**
 * A small, real evaluation set written into a temp folder, for the eval tests:
 *
 *   classifier/model.onnx  a real ONNX graph run by onnxruntime-node:
 *                            features = GlobalAveragePool(images) flattened  [batch, 3] (channel means in [−1, 1])
 *                            logits   = features · W                          [batch, 6]
 *                          W's columns score red, green, blue, bright, dark and grey
 *                          (integer weights, stored as int64 and cast, since the test
 *                          builder writes int64 initializers only)
 *   classifier/classes.json, captions.jsonl (9 captions, two naming the same image),
 *   subcategory-keywords.json, images/0..7.png (64×64 solid colours, real PNGs), and on
 *   request (writeEmojiBank) an emoji bank of six solid-colour "emoji"
 *
 * The same arithmetic is exposed (channelMeans, logitsOf) so tests can predict what the
 * classifier must say about any image without running it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodePng } from '../../../main/png/png-writer';
import { toFloat16Array } from '../../../main/runtime/float16';
import { buildOnnxModel, ELEM } from '../../helpers/runtime-onnx-builder';
import { tempDir } from '../../helpers/runtime-fixture';

export const CLASSES = ['red-things', 'green-things', 'blue-things', 'bright-things', 'dark-things', 'grey-things'];

/** W[3][6], row = input channel (R, G, B), column = class. */
export const WEIGHTS: readonly (readonly number[])[] = [
  [2, -1, -1, 1, -1, 0],
  [-1, 2, -1, 1, -1, 0],
  [-1, -1, 2, 1, -1, 0],
];

export const KEYWORDS: Record<string, string[]> = {
  'red-things': ['red', 'crimson', 'apple'],
  'green-things': ['green', 'leaf'],
  'blue-things': ['blue', 'sky'],
  'bright-things': ['white', 'bright'],
  'dark-things': ['black', 'dark'],
  'grey-things': ['grey'],
};

/** Solid colour per image, and its class. */
const IMAGES: readonly { rgb: [number, number, number]; subcategory: string; caption: string }[] = [
  { rgb: [230, 20, 30], subcategory: 'red-things', caption: 'a red square' },
  { rgb: [200, 40, 10], subcategory: 'red-things', caption: 'a crimson tile' },
  { rgb: [15, 220, 25], subcategory: 'green-things', caption: 'a green square' },
  { rgb: [40, 190, 60], subcategory: 'green-things', caption: 'a green leaf' },
  { rgb: [10, 30, 240], subcategory: 'blue-things', caption: 'a blue square' },
  { rgb: [50, 60, 200], subcategory: 'blue-things', caption: 'blue sky' },
  { rgb: [250, 250, 245], subcategory: 'bright-things', caption: 'a white square' },
  { rgb: [5, 10, 8], subcategory: 'dark-things', caption: 'a black square' },
];

export function classifierModel(): Buffer {
  return buildOnnxModel({
    inputs: [{ name: 'images', type: 'float32', dims: ['batch', 3, 64, 64] }],
    outputs: [
      { name: 'logits', type: 'float32', dims: ['batch', CLASSES.length] },
      { name: 'features', type: 'float32', dims: ['batch', 3] },
    ],
    initializers: [{ name: 'w_int', type: 'int64', dims: [3, CLASSES.length], values: WEIGHTS.flat() }],
    nodes: [
      { op: 'GlobalAveragePool', inputs: ['images'], outputs: ['pooled'] },
      { op: 'Flatten', inputs: ['pooled'], outputs: ['features'] },
      { op: 'Cast', inputs: ['w_int'], outputs: ['w'], ints: { to: ELEM.float32 } },
      { op: 'MatMul', inputs: ['features', 'w'], outputs: ['logits'] },
    ],
  });
}

/** Channel means of an RGB8 image after the classifier's byte/127.5 − 1 scaling, in float64. */
export function channelMeans(rgb: Uint8Array): [number, number, number] {
  const sums = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) sums[i % 3] = (sums[i % 3] as number) + ((rgb[i] as number) / 127.5 - 1);
  const count = rgb.length / 3;
  return sums.map((s) => s / count) as [number, number, number];
}

export function logitsOf(features: readonly number[]): number[] {
  return CLASSES.map((_, c) => features.reduce((s, f, k) => s + f * ((WEIGHTS[k] as number[])[c] as number), 0));
}

export function solidImage([r, g, b]: readonly number[]): Uint8Array {
  const rgb = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < rgb.length; i += 3) {
    rgb[i] = r as number;
    rgb[i + 1] = g as number;
    rgb[i + 2] = b as number;
  }
  return rgb;
}

export interface EvalSetFiles {
  dir: string;
  /** RGB of images/0..7.png. */
  realImages: Uint8Array[];
  /** The captions in file order (9: the last repeats image 0). */
  captions: { caption: string; subcategory: string; image: string }[];
}

/** Writes the whole evaluation set into a new temp folder. */
export function writeEvalSet(): EvalSetFiles {
  const dir = tempDir('studio-eval-set-');
  fs.mkdirSync(path.join(dir, 'classifier'));
  fs.mkdirSync(path.join(dir, 'images'));
  fs.writeFileSync(path.join(dir, 'classifier', 'model.onnx'), classifierModel());
  fs.writeFileSync(path.join(dir, 'classifier', 'classes.json'), JSON.stringify(CLASSES));
  fs.writeFileSync(path.join(dir, 'subcategory-keywords.json'), JSON.stringify(KEYWORDS));
  const realImages = IMAGES.map((img, i) => {
    const rgb = solidImage(img.rgb);
    fs.writeFileSync(path.join(dir, 'images', `${i}.png`), encodePng(rgb, 64, 64));
    return rgb;
  });
  const captions = IMAGES.map((img, i) => ({ caption: img.caption, subcategory: img.subcategory, image: `images/${i}.png` }));
  captions.push({ caption: 'a bright red square', subcategory: 'red-things', image: 'images/0.png' });
  fs.writeFileSync(path.join(dir, 'captions.jsonl'), `${captions.map((c) => JSON.stringify(c)).join('\n')}\n`);
  return { dir, realImages, captions };
}

/**
 * Emoji of the test bank: solid-colour "emoji" whose features are their channel means under
 * the test classifier (the first two are held out from training).
 */
export const BANK_EMOJI: readonly { hexcode: string; label: string; subgroup: string; heldOut: boolean; rgb: [number, number, number] }[] = [
  { hexcode: '1F7E6', label: 'blue square', subgroup: 'blue-things', heldOut: true, rgb: [30, 40, 230] },
  { hexcode: '2B1B', label: 'black large square', subgroup: 'dark-things', heldOut: true, rgb: [10, 10, 10] },
  { hexcode: '1F7E5', label: 'red square', subgroup: 'red-things', heldOut: false, rgb: [220, 30, 30] },
  { hexcode: '1F534', label: 'red circle', subgroup: 'red-things', heldOut: false, rgb: [180, 90, 90] },
  { hexcode: '1F7E9', label: 'green square', subgroup: 'green-things', heldOut: false, rgb: [30, 200, 40] },
  { hexcode: '2B1C', label: 'white large square', subgroup: 'bright-things', heldOut: false, rgb: [250, 250, 250] },
];

/**
 * Writes emoji-bank.json and emoji-bank.f16 into an evaluation set written by writeEvalSet:
 * one row per BANK_EMOJI, its channel means as half floats, tied to the test classifier.
 */
export function writeEmojiBank(dir: string): void {
  const features = BANK_EMOJI.flatMap((e) => channelMeans(solidImage(e.rgb)));
  const half = toFloat16Array(Float32Array.from(features));
  fs.writeFileSync(path.join(dir, 'emoji-bank.f16'), Buffer.from(half.buffer, half.byteOffset, half.byteLength));
  fs.writeFileSync(path.join(dir, 'emoji-bank.json'), JSON.stringify({
    classifierSha256: crypto.createHash('sha256').update(classifierModel()).digest('hex'),
    featureDim: 3,
    styles: ['flat'],
    emoji: BANK_EMOJI.map(({ hexcode, label, subgroup, heldOut }) => ({ hexcode, label, subgroup, heldOut })),
    rowEmoji: BANK_EMOJI.map((_, i) => i),
    rowStyle: BANK_EMOJI.map(() => 0),
  }));
}
