/** The page's reader of a stored file's recipe chunk, against the studio's own writers. */
import { describe, expect, it } from 'vitest';
import { encodeApng } from '../../../main/png/apng-writer';
import { encodePng, encodeRecipePng } from '../../../main/png/png-writer';
import { pngRecipeText } from '../../../renderer/src/lib/export/png-recipe-text';
import { recipe } from '../store/fixtures';

describe('pngRecipeText', () => {
  it('reads the studio-recipe chunk of a still and of a clip, UTF-8 intact', () => {
    const r = recipe({ prompt: 'snow ☃ café' });
    expect(JSON.parse(pngRecipeText(encodeRecipePng(new Uint8Array(12), 2, 2, r))!)).toEqual(r);
    const clip = encodeApng({ width: 2, height: 2, fps: 8, frames: [new Uint8Array(12), new Uint8Array(12).fill(9)] }, r);
    expect(JSON.parse(pngRecipeText(clip)!)).toEqual(r);
  });

  it('is undefined for a PNG without one', () => {
    expect(pngRecipeText(encodePng(new Uint8Array(12), 2, 2, [{ keyword: 'parameters', text: 'x' }]))).toBeUndefined();
  });
});
