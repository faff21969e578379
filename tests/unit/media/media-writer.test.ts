import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outputPathFor, stageFile } from '../../../main/generation/output-file';
import { mediaTypeFor } from '../../../main/media/media-types';
import { PNG_MEDIA_WRITER } from '../../../main/media/png-media-writer';
import { RECIPE_KEYWORD } from '../../../main/png/png-writer';
import { readPngText } from '../../../main/png/png-reader';
import { recipe } from '../store/fixtures';

/** The Recipe JSON a PNG carries. */
const readRecipe = (png: Uint8Array): unknown => JSON.parse(readPngText(png)[RECIPE_KEYWORD] ?? 'null');

const frame = (width: number, height: number, value = 128) => ({ rgb: new Uint8Array(width * height * 3).fill(value), width, height });

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('PNG media writer', () => {
  it('declares its type and writes a PNG that carries the recipe', () => {
    expect(PNG_MEDIA_WRITER.mimeType).toBe('image/png');
    expect(mediaTypeFor(PNG_MEDIA_WRITER.extension)).toBe(PNG_MEDIA_WRITER.mimeType);
    const r = recipe({ width: 4, height: 2 });
    const bytes = PNG_MEDIA_WRITER.encode([frame(4, 2)], r);
    expect(Buffer.from(bytes.subarray(0, 8))).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(readRecipe(bytes)).toEqual(r);
  });

  it('refuses no frames, several frames and a frame of the wrong byte length', () => {
    expect(() => PNG_MEDIA_WRITER.encode([], recipe())).toThrow(/1 to 1 frames \(got 0\)/);
    expect(() => PNG_MEDIA_WRITER.encode([frame(2, 2), frame(2, 2)], recipe())).toThrow(/got 2/);
    expect(() => PNG_MEDIA_WRITER.encode([{ rgb: new Uint8Array(5), width: 2, height: 2 }], recipe())).toThrow(/12 bytes/);
  });
});

describe('a writer with the staged file write', () => {
  it('names the output with the writer extension, under the UTC day folder', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-media-'));
    const when = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    const file = outputPathFor(dir, when, 9, PNG_MEDIA_WRITER.extension);
    expect(file).toBe(path.join(dir, '2025-01-02', '20250102-030405-006-9.png'));
    expect(outputPathFor(dir, when, 9, 'webm')).toBe(path.join(dir, '2025-01-02', '20250102-030405-006-9.webm'));
    const staged = stageFile(file, PNG_MEDIA_WRITER.encode([frame(2, 2)], recipe()));
    staged.commit();
    expect(readRecipe(fs.readFileSync(file))).toEqual(recipe());
  });
});

describe('mediaTypeFor', () => {
  it('maps media extensions case-insensitively and anything else to octet-stream', () => {
    expect(mediaTypeFor('/a/b/c.PNG')).toBe('image/png');
    expect(mediaTypeFor('clip.webm')).toBe('video/webm');
    expect(mediaTypeFor('clip.mp4')).toBe('video/mp4');
    expect(mediaTypeFor('notes.html')).toBe('application/octet-stream');
    expect(mediaTypeFor('no-extension')).toBe('application/octet-stream');
  });
});
