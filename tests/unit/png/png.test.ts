import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { Recipe } from '../../../contract/api';
import { formatA1111Parameters, parseA1111Parameters } from '../../../main/png/a1111-parameters';
import { crc32, encodeChunk, PNG_SIGNATURE } from '../../../main/png/png-chunks';
import { decodePng, readPngChunks, readPngText } from '../../../main/png/png-reader';
import { encodePng, encodeRecipePng } from '../../../main/png/png-writer';

const recipe: Recipe = {
  prompt: 'a red apple, studio light',
  negativePrompt: 'blurry',
  steps: 20,
  cfg: 7.5,
  seed: 4294967295,
  modelId: 'tiny',
  modelHash: '0281611f9c0123456789abcdef0123456789abcdef0123456789abcdef012345',
  provider: 'cpu',
  providerRequested: 'auto',
  scheduler: 'DDIMScheduler',
  schedulerConfig: { _class_name: 'DDIMScheduler', num_train_timesteps: 1000 },
  width: 5,
  height: 3,
  noise: 'philox4x32-10/box-muller/v1',
  appVersion: '0.1.0',
};

/** A gradient with sharp edges, so every PNG filter type gets chosen somewhere. */
function testImage(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37 + ((i / 7) | 0) * 11) & 0xff;
  return rgb;
}

describe('PNG encode/decode', () => {
  test('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('pixels round-trip exactly', () => {
    for (const [w, h] of [[1, 1], [5, 3], [64, 64], [33, 17]] as const) {
      const rgb = testImage(w, h);
      const decoded = decodePng(encodePng(rgb, w, h));
      expect([decoded.width, decoded.height]).toEqual([w, h]);
      expect(Buffer.from(decoded.rgb).equals(Buffer.from(rgb))).toBe(true);
    }
  });

  test('zlib can read our IDAT and rows start with valid filter bytes', () => {
    const png = encodePng(testImage(16, 16), 16, 16);
    const idat = readPngChunks(png).find((c) => c.type === 'IDAT');
    const raw = zlib.inflateSync(idat!.data);
    expect(raw.length).toBe(16 * (16 * 3 + 1));
    for (let y = 0; y < 16; y++) expect(raw[y * 49]).toBeLessThanOrEqual(4);
  });

  test('wrong sizes are refused', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/has 10 bytes; 2x2 needs 12/);
    expect(() => encodePng(new Uint8Array(0), 0, 1)).toThrow(/positive integers/);
  });

  test('a corrupted or truncated file is a clear INVALID_REQUEST', () => {
    const png = Buffer.from(encodePng(testImage(4, 4), 4, 4));
    expect(() => decodePng(png.subarray(0, png.length - 20))).toThrow(/truncated/);
    const flipped = Buffer.from(png);
    flipped[45] = (flipped[45] as number) ^ 0xff; // inside the IDAT data (signature 8 + IHDR 25 + IDAT header 8 = 41)
    expect(() => readPngChunks(flipped)).toThrow(/bad CRC/);
    expect(() => readPngChunks(Buffer.from('GIF89a'))).toThrow(/signature/);
  });
});

describe('text chunks', () => {
  test('recipe PNGs carry A1111 parameters (tEXt) and the recipe JSON (iTXt)', () => {
    const png = encodeRecipePng(testImage(5, 3), 5, 3, recipe);
    const chunks = readPngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
    const text = readPngText(png);
    expect(text.parameters).toBe(
      'a red apple, studio light\nNegative prompt: blurry\nSteps: 20, Sampler: DDIM, CFG scale: 7.5, Seed: 4294967295, Size: 5x3, Model hash: 0281611f9c, Model: tiny',
    );
    expect(JSON.parse(text['studio-recipe']!)).toEqual(recipe);
  });

  test('non-Latin-1 parameters go in iTXt with the same keyword, and round-trip', () => {
    const unicode = { ...recipe, prompt: '夜の猫 🐈, neon', negativePrompt: '' };
    const png = encodeRecipePng(testImage(5, 3), 5, 3, unicode);
    expect(readPngChunks(png).map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'iTXt', 'IDAT', 'IEND']);
    const text = readPngText(png);
    expect(text.parameters?.split('\n')[0]).toBe('夜の猫 🐈, neon');
    expect(text.parameters).not.toContain('Negative prompt');
    expect(JSON.parse(text['studio-recipe']!).prompt).toBe('夜の猫 🐈, neon');
  });

  test('Latin-1 accents stay in tEXt', () => {
    const png = encodeRecipePng(testImage(5, 3), 5, 3, { ...recipe, prompt: 'crème brûlée' });
    expect(readPngChunks(png)[1]?.type).toBe('tEXt');
    expect(readPngText(png).parameters?.startsWith('crème brûlée\n')).toBe(true);
  });

  test('compressed iTXt and zTXt written by other tools are read', () => {
    const itxt = encodeChunk('iTXt', Buffer.concat([Buffer.from('Comment\0\x01\x00en\0\0', 'latin1'), zlib.deflateSync(Buffer.from('héllo ✓', 'utf8'))]));
    const ztxt = encodeChunk('zTXt', Buffer.concat([Buffer.from('Author\0\x00', 'latin1'), zlib.deflateSync(Buffer.from('Zoë', 'latin1'))]));
    const base = encodePng(testImage(1, 1), 1, 1);
    const png = Buffer.concat([base.subarray(0, 33), itxt, ztxt, base.subarray(33)]);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readPngText(png)).toEqual({ Comment: 'héllo ✓', Author: 'Zoë' });
  });
});

describe('A1111 parameters', () => {
  test('a cached run names its cache setting; an uncached one does not', () => {
    const cached = formatA1111Parameters({ ...recipe, cache: { method: 'fora', interval: 2 } });
    expect(parseA1111Parameters(cached).settings['Cache']).toBe('fora interval=2');
    expect(formatA1111Parameters(recipe)).not.toContain('Cache:');
    expect(formatA1111Parameters({ ...recipe, cache: { method: 'none' } })).not.toContain('Cache:');
  });

  test('values with commas or colons are quoted, and parse back', () => {
    const text = formatA1111Parameters({ ...recipe, modelId: '/models/sd, v1:5', prompt: 'line one\nline two' });
    expect(text.split('\n').at(-1)).toContain('Model: "/models/sd, v1:5"');
    const parsed = parseA1111Parameters(text);
    expect(parsed).toMatchObject({
      prompt: 'line one\nline two',
      negativePrompt: 'blurry',
      steps: 20,
      cfg: 7.5,
      seed: 4294967295,
      width: 5,
      height: 3,
      sampler: 'DDIM',
      modelHash: '0281611f9c',
      model: '/models/sd, v1:5',
    });
  });

  test('parses a text written by A1111 itself', () => {
    const a1111 =
      'masterpiece, 1girl\nNegative prompt: lowres, bad anatomy\nSteps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 3531371016, Size: 512x768, Model hash: 7f96a1a9ca, Model: anything-v5, Version: v1.9.4';
    const p = parseA1111Parameters(a1111);
    expect(p).toMatchObject({ prompt: 'masterpiece, 1girl', negativePrompt: 'lowres, bad anatomy', steps: 28, cfg: 7, seed: 3531371016, width: 512, height: 768, sampler: 'DPM++ 2M' });
    expect(p.settings['Schedule type']).toBe('Karras');
  });

  test('a prompt with no settings line is all prompt', () => {
    expect(parseA1111Parameters('just a prompt')).toEqual({ prompt: 'just a prompt', negativePrompt: '', settings: {} });
  });
});
