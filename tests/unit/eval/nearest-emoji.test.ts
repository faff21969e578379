/**
 * Exact-emoji ranking on tiny hand-made feature banks (cosine similarity, an emoji's best
 * row, ties to the lower index), exact-emoji accuracy through topKAccuracy, the bank's
 * leave-one-out ceiling, and the bank
 * files: loaded, refused for another classifier, refused when half missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { leaveOneOutAccuracy, nearestEmoji, nearestEmojiRows, normalizeRows, type FeatureBank } from '../../../core/eval/nearest-emoji';
import { topKAccuracy } from '../../../core/eval/top-k';
import { loadEvalAssets } from '../../../main/eval/eval-assets';
import { loadEmojiBank } from '../../../main/eval/emoji-bank';
import { cleanupTempDirs } from '../../helpers/runtime-fixture';
import { BANK_EMOJI, channelMeans, solidImage, writeEmojiBank, writeEvalSet } from './eval-set-fixture';

afterAll(cleanupTempDirs);

/** 4 emoji in 2-D: emoji 2 has two rows (two styles), one along +x. */
function bank(): FeatureBank {
  const rows = [
    [1, 0.1], // emoji 0
    [0, 1], // emoji 1
    [-1, 0], // emoji 2, style a
    [1, 0], // emoji 2, style b: exactly +x
    [0, -1], // emoji 3
  ];
  return { features: normalizeRows(Float32Array.from(rows.flat()), 2), dim: 2, rowEmoji: [0, 1, 2, 2, 3], emojiCount: 4 };
}

describe('nearestEmoji', () => {
  it('ranks emoji by their best row\'s cosine similarity, best first', () => {
    expect(nearestEmoji([1, 0], bank(), 4)).toEqual([2, 0, 1, 3]);
    expect(nearestEmoji([0, 1], bank(), 2)).toEqual([1, 0]);
    expect(nearestEmoji([-1, -1], bank(), 2)).toEqual([2, 3]);
  });

  it('ignores the query\'s length: scaled features give the same ranking', () => {
    expect(nearestEmoji([50, 5], bank(), 4)).toEqual(nearestEmoji([1, 0.1], bank(), 4));
  });

  it('breaks ties by the lower emoji index and caps k at the emoji count', () => {
    // A zero query is equally like every emoji: index order.
    expect(nearestEmoji([0, 0], bank(), 10)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a query of the wrong size or with a non-finite value', () => {
    expect(() => nearestEmoji([1, 0, 0], bank(), 1)).toThrow(/query has 3 features; the bank has 2/);
    expect(() => nearestEmoji([Number.NaN, 0], bank(), 1)).toThrow(/feature 0 is NaN/);
  });

  it('ranks every row of a feature matrix, and top-k accuracy counts the hits', () => {
    const rankings = nearestEmojiRows(Float32Array.from([1, 0, 0, 1, 0.1, -1]), 3, bank(), 5);
    expect(rankings.map((r) => r[0])).toEqual([2, 1, 3]);
    // Intended: 0 (second at best), 1 (first), none (excluded).
    expect(topKAccuracy(rankings, [0, 1, null])).toEqual({ top1: 0.5, top5: 1, counted: 2, excluded: 1 });
  });
});

describe('leaveOneOutAccuracy', () => {
  it('scores each image against the others, counting only emoji with a second image', () => {
    // Emoji 2's two styles point opposite ways; emoji 0, 1 and 3 have one image each.
    expect(leaveOneOutAccuracy(bank())).toEqual({ top1: 0, top5: 1, counted: 2 });
    const twins: FeatureBank = {
      features: normalizeRows(Float32Array.from([1, 0, 0.95, 0.05, 0, 1, 0.05, 0.95, -1, 0]), 2),
      dim: 2,
      rowEmoji: [0, 0, 1, 1, 2],
      emojiCount: 3,
    };
    expect(leaveOneOutAccuracy(twins)).toEqual({ top1: 1, top5: 1, counted: 4 });
  });
});

describe('loadEmojiBank', () => {
  it('is null without bank files and loads the bank tied to the classifier', () => {
    const set = writeEvalSet();
    const assets = loadEvalAssets(set.dir);
    expect(loadEmojiBank(set.dir, assets.classes, assets.classifierPath)).toBeNull();
    writeEmojiBank(set.dir);
    const loaded = loadEmojiBank(set.dir, assets.classes, assets.classifierPath);
    expect(loaded?.emoji.map((e) => e.hexcode)).toEqual(BANK_EMOJI.map((e) => e.hexcode));
    expect(loaded?.byHexcode.get('1F7E5')).toBe(2);
    expect(loaded?.leaveOneOut).toBeNull();
    // A solid red image's nearest emoji is the red square, then the red circle.
    const red = channelMeans(solidImage([230, 20, 30]));
    expect(nearestEmoji(red, loaded?.features as FeatureBank, 2)).toEqual([2, 3]);
  });

  it('refuses a bank made with another classifier, or half a bank', () => {
    const set = writeEvalSet();
    writeEmojiBank(set.dir);
    const assets = loadEvalAssets(set.dir);
    const index = path.join(set.dir, 'emoji-bank.json');
    const json = JSON.parse(fs.readFileSync(index, 'utf8')) as { classifierSha256: string };
    fs.writeFileSync(index, JSON.stringify({ ...json, classifierSha256: '0'.repeat(64) }));
    const err = (() => {
      try {
        loadEmojiBank(set.dir, assets.classes, assets.classifierPath);
      } catch (e) {
        return e as StudioError;
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('MODEL_CORRUPT');
    expect(err.message).toMatch(/emoji-bank\.json: was built with the classifier sha256 0000000000…, not the present one .* Rebuild it with "node scripts\/build-emoji-bank\.mjs"/);
    fs.rmSync(path.join(set.dir, 'emoji-bank.f16'));
    expect(() => loadEmojiBank(set.dir, assets.classes, assets.classifierPath)).toThrow(/emoji-bank\.f16: is missing while the other half of the emoji bank is present/);
  });
});
