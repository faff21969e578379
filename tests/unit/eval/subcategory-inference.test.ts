/**
 * Inferring a free-text prompt's intended subcategory: unique best match, ties reported
 * as ambiguous, no match reported as such, plural stripping and multi-word keywords.
 */
import { describe, expect, it } from 'vitest';
import { inferSubcategory, NO_KEYWORD_REASON, wordForms, wordsOf } from '../../../core/eval/subcategory-inference';

const KEYWORDS = {
  'food-fruit': ['apple', 'banana', 'cherry', 'peach'],
  'cat-face': ['cat', 'face', 'kitty'],
  'face-smiling': ['smiling', 'face', 'grin'],
  'food-prepared': ['hot dog', 'pizza', 'box'],
  'animal-mammal': ['dog', 'horse'],
};

describe('inferSubcategory', () => {
  it('picks the unique best subcategory', () => {
    expect(inferSubcategory('a red apple', KEYWORDS)).toEqual({ intended: 'food-fruit', score: 1, matched: ['apple'] });
    expect(inferSubcategory('Kitty cat face', KEYWORDS)).toMatchObject({ intended: 'cat-face', score: 3 });
  });

  it('reports a tie between the best as ambiguous instead of guessing', () => {
    expect(inferSubcategory('smiling cat face', KEYWORDS)).toEqual({ intended: null, reason: 'ambiguous: cat-face, face-smiling' });
  });

  it('reports a prompt without any keyword', () => {
    expect(inferSubcategory('an abstract painting', KEYWORDS)).toEqual({ intended: null, reason: NO_KEYWORD_REASON });
    expect(inferSubcategory('', KEYWORDS)).toEqual({ intended: null, reason: NO_KEYWORD_REASON });
  });

  it('strips simple plurals on both sides', () => {
    expect(inferSubcategory('three apples', KEYWORDS)).toMatchObject({ intended: 'food-fruit' });
    expect(inferSubcategory('cherries and peaches', KEYWORDS)).toMatchObject({ intended: 'food-fruit', score: 2 });
    expect(inferSubcategory('wild horses', KEYWORDS)).toMatchObject({ intended: 'animal-mammal' });
    expect(inferSubcategory('pizza boxes', KEYWORDS)).toMatchObject({ intended: 'food-prepared', score: 2 });
  });

  it('matches multi-word keywords only as consecutive words', () => {
    expect(inferSubcategory('a hot dog with pizza', KEYWORDS)).toMatchObject({ intended: 'food-prepared', matched: ['hot dog', 'pizza'] });
    // "dog" alone is a mammal; "hot … dog" apart is not the food.
    expect(inferSubcategory('a hot sleepy dog', KEYWORDS)).toMatchObject({ intended: 'animal-mammal' });
  });

  it('counts a keyword once however often it appears, and needs whole words', () => {
    expect(inferSubcategory('apple apple apple cat', KEYWORDS)).toEqual({ intended: null, reason: 'ambiguous: food-fruit, cat-face' });
    expect(inferSubcategory('pineapple', KEYWORDS)).toEqual({ intended: null, reason: NO_KEYWORD_REASON });
  });
});

describe('wordsOf / wordForms', () => {
  it('splits on non-letters and lowercases', () => {
    expect(wordsOf('A Red-Apple, 2 CATS!')).toEqual(['a', 'red', 'apple', '2', 'cats']);
  });

  it('keeps short words and double-s endings whole', () => {
    expect(wordForms('bus')).toEqual(['bus']);
    expect(wordForms('glass')).toEqual(['glass']);
    expect(wordForms('berries')).toEqual(['berries', 'berry', 'berri', 'berrie']);
  });
});
