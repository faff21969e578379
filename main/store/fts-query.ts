/**
 * Turns what a user typed into the search box into a safe SQLite FTS5 MATCH expression.
 *
 * Why: FTS5 has its own query language (`AND`, `OR`, `NEAR(`, `"`, `*`, `^`, column
 * filters), so passing user text through would raise syntax errors on input such as `"`
 * or `AND(` and let a word like `OR` change the meaning. Instead each whitespace-separated
 * word becomes a quoted phrase (inner `"` doubled), and the last one gets a prefix `*` so
 * results update while the user is still typing. Phrases are ANDed (FTS5's implicit
 * operator): `red ca` → `"red" "ca"*` matches "a red cat".
 */

/** A word the unicode61 tokenizer would index: it holds at least one letter or digit. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Returns the MATCH expression, or `undefined` when the text has no searchable word
 * (empty, or only punctuation), in which case the caller applies no filter.
 */
export function toFtsQuery(userText: string): string | undefined {
  const words = userText.split(/\s+/u).filter((w) => SEARCHABLE.test(w));
  if (words.length === 0) return undefined;
  const phrases = words.map((w) => `"${w.replaceAll('"', '""')}"`);
  return `${phrases.join(' ')}*`;
}
