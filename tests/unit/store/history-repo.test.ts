import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../contract/api';
import { toFtsQuery } from '../../../main/store/fts-query';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { generation, tempDir, TIMINGS } from './fixtures';

let dir: string;
let db: StudioDb;
beforeEach(() => {
  dir = tempDir();
  db = openStudioDb(path.join(dir, 'studio.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const prompts = (records: { recipe: { prompt: string } }[]) => records.map((r) => r.recipe.prompt);

describe('history repo', () => {
  it('round-trips a generation through insert, get and list', () => {
    const g = generation({ prompt: 'a red fox', seed: 7, schedulerConfig: { nested: { a: [1, 2] } } });
    const saved = db.history.insert(g);
    expect(saved.id).toBeGreaterThan(0);
    expect(saved).toEqual({ id: saved.id, ...g });
    expect(db.history.get(saved.id)).toEqual(saved);
    expect(db.history.list({})).toEqual([saved]);
    expect(db.history.get(saved.id)?.timings).toEqual(TIMINGS);
  });

  it('returns undefined for an unknown id', () => {
    expect(db.history.get(12345)).toBeUndefined();
  });

  it('keeps the seed exact up to 2^32-1', () => {
    const saved = db.history.insert(generation({ seed: LIMITS.seedMax }));
    expect(db.history.get(saved.id)?.recipe.seed).toBe(LIMITS.seedMax);
  });

  it('lists newest first with limit and keyset pagination', () => {
    const ids = ['one', 'two', 'three', 'four', 'five'].map((p) => db.history.insert(generation({ prompt: p })).id);
    expect(prompts(db.history.list({}))).toEqual(['five', 'four', 'three', 'two', 'one']);
    const page1 = db.history.list({ limit: 2 });
    expect(prompts(page1)).toEqual(['five', 'four']);
    const page2 = db.history.list({ limit: 2, before: page1[1]!.id });
    expect(prompts(page2)).toEqual(['three', 'two']);
    expect(prompts(db.history.list({ before: ids[0]! }))).toEqual([]);
  });

  it('caps limit at LIMITS.historyPageMax', () => {
    for (let i = 0; i <= LIMITS.historyPageMax; i++) db.history.insert(generation({ seed: i }));
    expect(db.history.list({ limit: LIMITS.historyPageMax * 10 })).toHaveLength(LIMITS.historyPageMax);
    expect(db.history.list({})).toHaveLength(100);
  });

  describe('search', () => {
    beforeEach(() => {
      db.history.insert(generation({ prompt: 'a red cat on a sofa', negativePrompt: 'blurry' }));
      db.history.insert(generation({ prompt: 'a blue dog in the snow', negativePrompt: 'cartoon' }));
      db.history.insert(generation({ prompt: 'Café terrace at night, Van Gogh', negativePrompt: '' }));
      db.history.insert(generation({ prompt: 'red "quoted" AND(weird) OR NOT stuff*', negativePrompt: '' }));
    });

    it('matches whole words, case-insensitively, newest first', () => {
      expect(prompts(db.history.list({ search: 'RED' }))).toEqual([
        'red "quoted" AND(weird) OR NOT stuff*',
        'a red cat on a sofa',
      ]);
    });

    it('requires every word (AND) and prefix-matches the last one', () => {
      expect(prompts(db.history.list({ search: 'red ca' }))).toEqual(['a red cat on a sofa']);
      expect(prompts(db.history.list({ search: 'sno' }))).toEqual(['a blue dog in the snow']);
      expect(db.history.list({ search: 'red dog' })).toEqual([]);
    });

    it('searches the negative prompt too', () => {
      expect(prompts(db.history.list({ search: 'cartoon' }))).toEqual(['a blue dog in the snow']);
    });

    it('ignores diacritics', () => {
      expect(prompts(db.history.list({ search: 'cafe' }))).toHaveLength(1);
      expect(prompts(db.history.list({ search: 'café' }))).toHaveLength(1);
    });

    it('treats FTS5 operators in user text as plain words', () => {
      expect(prompts(db.history.list({ search: 'AND(weird)' }))).toEqual(['red "quoted" AND(weird) OR NOT stuff*']);
      expect(prompts(db.history.list({ search: 'NOT' }))).toEqual(['red "quoted" AND(weird) OR NOT stuff*']);
    });

    it('never raises a syntax error on hostile input', () => {
      const nasty = ['"', '""', 'AND(', '*', 'OR', 'NEAR(a b', 'prompt:red', '^red', '-red', "'; DROP TABLE generations; --", '\u0000', '(((', 'a"b', '  ', '🐱', 'red*', '{prompt}:x', 'a + b'];
      for (const search of nasty) {
        expect(() => db.history.list({ search })).not.toThrow();
      }
      expect(db.history.list({})).toHaveLength(4);
    });

    it('applies no filter when the text has no searchable word', () => {
      expect(db.history.list({ search: '' })).toHaveLength(4);
      expect(db.history.list({ search: '* " (' })).toHaveLength(4);
    });

    it('combines search with pagination', () => {
      const all = db.history.list({ search: 'red' });
      expect(prompts(db.history.list({ search: 'red', before: all[0]!.id }))).toEqual(['a red cat on a sofa']);
      expect(prompts(db.history.list({ search: 'red', limit: 1 }))).toEqual([all[0]!.recipe.prompt]);
    });
  });
});

describe('toFtsQuery', () => {
  it('quotes every word, doubles inner quotes and prefixes the last', () => {
    expect(toFtsQuery('red cat')).toBe('"red" "cat"*');
    expect(toFtsQuery('say "hi"')).toBe('"say" """hi"""*');
    expect(toFtsQuery('  spaced\tout\n')).toBe('"spaced" "out"*');
  });

  it('drops words without letters or digits', () => {
    expect(toFtsQuery('* red (')).toBe('"red"*');
    expect(toFtsQuery('"')).toBeUndefined();
    expect(toFtsQuery('')).toBeUndefined();
  });
});
