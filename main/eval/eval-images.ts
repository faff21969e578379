/**
 * The real evaluation images: every distinct image that captions.jsonl names (several
 * captions may describe one image), decoded to RGB with its subcategory. They are the
 * reference set of the Fréchet distance and the classifier's sanity check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { decodePng } from '../png/png-reader';
import { TRAIN_HINT, type EvalAssets } from './eval-assets';

export interface RealImages {
  /** Each width·height·3 bytes of RGB. */
  rgb: Uint8Array[];
  /** Index into EvalAssets.classes, per image. */
  labels: number[];
  /** Absolute paths, per image. */
  files: string[];
}

/**
 * Decodes the distinct real images, in order of first mention.
 * @throws StudioError MODEL_CORRUPT when an image is unreadable, of another size than
 *   width×height, or labelled with two subcategories
 */
export function loadRealImages(assets: EvalAssets, width: number, height: number): RealImages {
  const out: RealImages = { rgb: [], labels: [], files: [] };
  const seen = new Map<string, string>();
  for (const c of assets.captions) {
    const rel = path.relative(assets.dir, c.image);
    const earlier = seen.get(c.image);
    if (earlier !== undefined) {
      if (earlier !== c.subcategory) {
        throw new StudioError('MODEL_CORRUPT', `captions.jsonl line ${c.line}: ${rel} is labelled "${c.subcategory}" here but "${earlier}" earlier. ${TRAIN_HINT}`, rel);
      }
      continue;
    }
    seen.set(c.image, c.subcategory);
    let decoded: ReturnType<typeof decodePng>;
    try {
      decoded = decodePng(fs.readFileSync(c.image));
    } catch (err) {
      throw new StudioError('MODEL_CORRUPT', `Evaluation image ${c.image} cannot be read: ${err instanceof Error ? err.message : String(err)} ${TRAIN_HINT}`, rel);
    }
    if (decoded.width !== width || decoded.height !== height) {
      throw new StudioError('MODEL_CORRUPT', `Evaluation image ${c.image} is ${decoded.width}x${decoded.height}; the classifier takes ${width}x${height}.`, rel);
    }
    out.rgb.push(decoded.rgb);
    out.labels.push(assets.classes.indexOf(c.subcategory));
    out.files.push(c.image);
  }
  return out;
}
