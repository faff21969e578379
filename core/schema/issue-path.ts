/**
 * The path of a zod issue as a reader writes it: ['stats', 'cond', 'prompts', 1, 'inputL1']
 * becomes 'stats.cond.prompts[1].inputL1', so an error message names the field the way the
 * JSON (or the request) spells it.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}
