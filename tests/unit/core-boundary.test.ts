/**
 * core/ and contract/ must stay pure TypeScript (they run in main, preload and the renderer):
 * no node built-ins, electron, native add-ons or process globals. tsconfig's `types: []` catches
 * most of this at typecheck; this scan also catches imports that would resolve through
 * node_modules and plain `require(` / `process.` uses.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const FORBIDDEN_MODULES = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'electron', 'onnxruntime-node', 'onnxruntime-web', 'better-sqlite3', 'ws'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Module specifiers of import/export-from statements, dynamic import() and require(). */
function importedModules(source: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((p) => Array.from(source.matchAll(p), (m) => m[1] as string));
}

/** Violations in one file's source, as human-readable strings. */
function boundaryViolations(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const problems: string[] = [];
  for (const spec of importedModules(code)) {
    const bare = spec.replace(/^node:/, '');
    if (spec.startsWith('node:') || FORBIDDEN_MODULES.some((m) => bare === m || bare.startsWith(`${m}/`))) problems.push(`imports ${spec}`);
  }
  if (/\bprocess\s*\./.test(code)) problems.push('uses process.');
  if (/\brequire\s*\(/.test(code)) problems.push('uses require(');
  return problems;
}

describe('core/ and contract/ boundary', () => {
  const files = ['core', 'contract'].flatMap((d) => tsFiles(join(ROOT, d)));

  it('finds the sources it checks', () => {
    expect(files.some((f) => f.endsWith(join('core', 'sampler', 'create-scheduler.ts')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('contract', 'api.ts')))).toBe(true);
  });

  it('no file imports node built-ins, electron, onnxruntime or better-sqlite3, or uses process./require(', () => {
    const violations = files.flatMap((f) => boundaryViolations(readFileSync(f, 'utf8')).map((v) => `${relative(ROOT, f)}: ${v}`));
    expect(violations).toEqual([]);
  });

  it('the scan itself flags each forbidden pattern', () => {
    expect(boundaryViolations("import { readFileSync } from 'node:fs';")).toEqual(['imports node:fs']);
    expect(boundaryViolations("import * as path from 'path';")).toEqual(['imports path']);
    expect(boundaryViolations("import { app } from 'electron';")).toEqual(['imports electron']);
    expect(boundaryViolations("import ort from 'onnxruntime-node';")).toEqual(['imports onnxruntime-node']);
    expect(boundaryViolations("export { default } from 'better-sqlite3';")).toEqual(['imports better-sqlite3']);
    expect(boundaryViolations("const m = await import('fs/promises');")).toEqual(['imports fs/promises']);
    expect(boundaryViolations("const fs = require('fs');")).toEqual(['imports fs', 'uses require(']);
    expect(boundaryViolations('const home = process.env.HOME;')).toEqual(['uses process.']);
    expect(boundaryViolations("import { x } from './local';\n// process.env in a comment is fine")).toEqual([]);
  });
});
