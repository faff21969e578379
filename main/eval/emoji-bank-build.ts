/**
 * Builds an evaluation folder's real-emoji feature bank (emoji-bank.json + emoji-bank.f16,
 * see emoji-bank.ts) from the emoji dataset that native-models/build_emoji_dataset.py writes:
 *
 *   images_{train,eval}.npy   uint8 [N, 64, 64, 3], RGB on white (Twemoji and Noto artwork)
 *   meta_{train,eval}.json    per image: hexcode, style, label, subgroup
 *
 * Every image whose emoji is not a skin-tone variant becomes one row; the eval split's
 * emoji are the held-out ones. Features come from the folder's own classifier through
 * EvalClassifier, so real and generated images are packed identically. The bank's own
 * leave-one-out accuracy (each image against all the others) is stored with it: how well
 * these features can tell one emoji from all others at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EVAL_FILES, loadEvalAssets } from './eval-assets';
import { EvalClassifier } from './eval-classifier';
import { leaveOneOutAccuracy, normalizeRows } from '../../core/eval/nearest-emoji';
import { EMOJI_BANK_FILES, fileSha256, normalizeHexcode, type BankEmoji, type EmojiBankIndex } from './emoji-bank';
import { fromFloat16Array, toFloat16Array } from '../runtime/float16';

interface MetaRow {
  hexcode: string;
  style: string;
  label: string;
  subgroup: string;
}

const SKIN_TONES = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];

/** A variant with a skin-tone modifier after its base code point (the modifiers alone are emoji too). */
function isSkinToneVariant(hexcode: string): boolean {
  return hexcode.split('-').slice(1).some((p) => SKIN_TONES.includes(p));
}

/** The uint8 array of a NumPy .npy file (format 1.0–3.0, C order) and its shape. */
export function readNpyUint8(file: string): { data: Uint8Array; shape: number[] } {
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${file} is not a .npy file`);
  const major = bytes[6] as number;
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLen).toString('latin1');
  if (!/'descr':\s*'\|u1'/.test(header) || /'fortran_order':\s*True/.test(header)) throw new Error(`${file}: expected C-order uint8, header ${header.trim()}`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + start + headerLen, shape.reduce((a, b) => a * b, 1));
  return { data, shape };
}

/**
 * Writes the bank into `evalDir` from the dataset in `datasetDir`; returns its size.
 * Both files are written to temporary names first and renamed, so a failed run leaves the old bank.
 */
export async function buildEmojiBank(evalDir: string, datasetDir: string): Promise<{ emoji: number; rows: number; heldOut: number }> {
  const assets = loadEvalAssets(evalDir);
  const classifier = await EvalClassifier.open(assets.classifierPath, 'cpu', assets.classes);
  const emoji: BankEmoji[] = [];
  const byHex = new Map<string, number>();
  const styles: string[] = [];
  const rowEmoji: number[] = [];
  const rowStyle: number[] = [];
  const images: Uint8Array[] = [];
  try {
    for (const split of ['train', 'eval']) {
      const meta = JSON.parse(fs.readFileSync(path.join(datasetDir, `meta_${split}.json`), 'utf8')) as MetaRow[];
      const { data, shape } = readNpyUint8(path.join(datasetDir, `images_${split}.npy`));
      const [n, h, w, c] = shape;
      if (n !== meta.length || h !== classifier.height || w !== classifier.width || c !== 3) {
        throw new Error(`images_${split}.npy is [${shape.join(', ')}]; expected [${meta.length}, ${classifier.height}, ${classifier.width}, 3]`);
      }
      const size = h * w * 3;
      meta.forEach((m, i) => {
        const hexcode = normalizeHexcode(m.hexcode);
        if (hexcode === null) throw new Error(`meta_${split}.json row ${i}: bad hexcode ${m.hexcode}`);
        if (isSkinToneVariant(hexcode)) return;
        if (!byHex.has(hexcode)) {
          byHex.set(hexcode, emoji.length);
          emoji.push({ hexcode, label: m.label, subgroup: m.subgroup, heldOut: split === 'eval' });
        }
        if (!styles.includes(m.style)) styles.push(m.style);
        rowEmoji.push(byHex.get(hexcode) as number);
        rowStyle.push(styles.indexOf(m.style));
        images.push(data.slice(i * size, (i + 1) * size));
      });
    }
    const out = await classifier.classify(images);
    const dim = out.features.length / out.count;
    const half = toFloat16Array(out.features);
    // The ceiling of exact-emoji accuracy, measured on the stored (half-precision) features.
    const leaveOneOut = leaveOneOutAccuracy({ features: normalizeRows(fromFloat16Array(half), dim), dim, rowEmoji, emojiCount: emoji.length });    const index: EmojiBankIndex & { about: string } = {
      about: 'Classifier features of real emoji images for exact-emoji accuracy: main/eval/emoji-bank.ts; built by scripts/build-emoji-bank.mjs.',
      classifierSha256: fileSha256(path.join(assets.dir, EVAL_FILES.classifier)),
      featureDim: dim,
      styles,
      emoji,
      rowEmoji,
      rowStyle,
      leaveOneOut,
    };
    const featuresFile = path.join(assets.dir, EMOJI_BANK_FILES.features);
    const indexFile = path.join(assets.dir, EMOJI_BANK_FILES.index);
    fs.writeFileSync(`${featuresFile}.tmp`, Buffer.from(half.buffer, half.byteOffset, half.byteLength));
    fs.writeFileSync(`${indexFile}.tmp`, `${JSON.stringify(index)}\n`);
    fs.renameSync(`${featuresFile}.tmp`, featuresFile);
    fs.renameSync(`${indexFile}.tmp`, indexFile);
    return { emoji: emoji.length, rows: rowEmoji.length, heldOut: emoji.filter((e) => e.heldOut).length };
  } finally {
    await classifier.dispose();
  }
}
