/**
 * The evaluation set's checks: each missing file is named with the "npm run models:train"
 * hint, malformed files are named with their line, and a classifier that breaks the
 * contract is refused when it is opened (a real ONNX file, run by onnxruntime-node).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVAL_FILES, loadEvalAssets } from '../../../main/eval/eval-assets';
import { EvalClassifier } from '../../../main/eval/eval-classifier';
import { loadRealImages } from '../../../main/eval/eval-images';
import { encodePng } from '../../../main/png/png-writer';
import { cleanupTempDirs } from '../../helpers/runtime-fixture';
import { CLASSES, solidImage, writeEvalSet } from './eval-set-fixture';

afterAll(cleanupTempDirs);

describe('loadEvalAssets', () => {
  it('parses a complete set', () => {
    const set = writeEvalSet();
    const assets = loadEvalAssets(set.dir);
    expect(assets.classes).toEqual(CLASSES);
    expect(assets.captions).toHaveLength(9);
    expect(assets.captions[8]).toMatchObject({ caption: 'a bright red square', subcategory: 'red-things', image: path.join(set.dir, 'images/0.png'), line: 9 });
    expect(assets.keywords['green-things']).toEqual(['green', 'leaf']);
  });

  it.each(Object.values(EVAL_FILES))('names a missing %s and how to build it', (rel) => {
    const set = writeEvalSet();
    fs.rmSync(path.join(set.dir, rel));
    expect(() => loadEvalAssets(set.dir)).toThrow(new RegExp(`missing in .*: ${rel.replace('.', '\\.')}\\. Run "npm run models:train"`));
  });

  it('names a missing folder', () => {
    expect(() => loadEvalAssets('/nonexistent/eval')).toThrow(/The evaluation folder \/nonexistent\/eval does not exist\. Run "npm run models:train"/);
  });

  it.each([
    ['captions.jsonl', '{"caption": "x", "subcategory": "red-things", "image": "images/0.png"}\nnot json\n', /captions\.jsonl line 2: not a JSON object/],
    ['captions.jsonl', '{"caption": "x", "subcategory": "purple-things", "image": "images/0.png"}\n', /line 1: subcategory "purple-things" is not one of the classifier's classes/],
    ['captions.jsonl', '{"caption": "x", "subcategory": "red-things", "image": "images/99.png"}\n', /line 1: image images\/99\.png does not exist/],
    ['captions.jsonl', '{"caption": "", "subcategory": "red-things", "image": "images/0.png"}\n', /line 1: needs string fields/],
    ['captions.jsonl', '\n\n', /captions\.jsonl: holds no captions/],
    ['classifier/classes.json', '["a", "a"]', /"a" is listed twice/],
    ['classifier/classes.json', '{}', /non-empty array of subcategory names/],
    ['subcategory-keywords.json', '{"red-things": "red"}', /"red-things" should map to an array of keywords/],
    ['subcategory-keywords.json', '{"pink-things": ["pink"]}', /subcategory "pink-things" is not one of the classifier's classes/],
  ])('refuses a malformed %s', (rel, content, message) => {
    const set = writeEvalSet();
    fs.writeFileSync(path.join(set.dir, rel), content);
    let err: unknown;
    try {
      loadEvalAssets(set.dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'MODEL_CORRUPT' });
    expect((err as Error).message).toMatch(message);
  });
});

describe('real images and the classifier contract', () => {
  it('deduplicates images named by several captions and refuses a wrong size', () => {
    const set = writeEvalSet();
    const assets = loadEvalAssets(set.dir);
    const real = loadRealImages(assets, 64, 64);
    expect(real.rgb).toHaveLength(8);
    expect(real.labels).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
    fs.writeFileSync(path.join(set.dir, 'images', '3.png'), encodePng(solidImage([1, 2, 3]).subarray(0, 32 * 32 * 3), 32, 32));
    expect(() => loadRealImages(assets, 64, 64)).toThrow(/3\.png is 32x32; the classifier takes 64x64/);
  });

  it('refuses a classifier whose logits do not match classes.json', async () => {
    const set = writeEvalSet();
    await expect(EvalClassifier.open(path.join(set.dir, EVAL_FILES.classifier), 'cpu', CLASSES.slice(0, 5))).rejects.toThrow(
      /classifier\/model\.onnx outputs 6 logits but classifier\/classes\.json lists 5 classes/,
    );
  });

  it('classifies across batch chunks exactly as one image at a time', async () => {
    const set = writeEvalSet();
    const classifier = await EvalClassifier.open(path.join(set.dir, EVAL_FILES.classifier), 'cpu', CLASSES);
    try {
      const images = Array.from({ length: 35 }, (_, i) => solidImage([(i * 7) % 256, (i * 53) % 256, (i * 101) % 256]));
      const all = await classifier.classify(images);
      expect(all.count).toBe(35);
      expect(all.logits).toHaveLength(35 * 6);
      expect(classifier.featureDim).toBe(3);
      const last = await classifier.classify([images[34] as Uint8Array]);
      expect(Array.from(all.features.subarray(34 * 3))).toEqual(Array.from(last.features));
      // A float32 mean over 4096 pixels: ~1e-5 from the exact value.
      expect(all.features[34 * 3]).toBeCloseTo(((34 * 7) % 256) / 127.5 - 1, 4);
    } finally {
      await classifier.dispose();
    }
  });
});
