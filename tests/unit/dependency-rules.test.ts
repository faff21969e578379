/**
 * The layer rules of .dependency-cruiser.cjs: each rule fires on a small fixture tree that
 * mimics the repository's layout, and the real tree breaks none of them. dependency-cruiser is
 * run through its API with the same rule set and options `npm run lint:deps` uses.
 * Node globals such as `process` in core/ and contract/ are not imports: core/tsconfig.json
 * (`types: []`) rejects them at typecheck.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const config = createRequire(__filename)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const PRODUCT_FOLDERS = ['core', 'contract', 'main', 'preload', 'renderer/src'];

/** `rule: from → to` for each violation, sorted. */
async function violations(baseDir: string, folders: string[]): Promise<string[]> {
  const { tsConfig: _tsConfig, ...options } = config.options ?? {};
  const output = await cruise(folders, { ...options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden ?? [] } });
  const result = output.output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

const fixtureDirs: string[] = [];
afterAll(() => fixtureDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes `files` (repository-relative path → source) into a fresh folder that sees the repository's node_modules. */
function fixtureTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dependency-rules-'));
  fixtureDirs.push(dir);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

/** The names of the rules `files` break. */
async function rulesBroken(files: Record<string, string>): Promise<string[]> {
  const dir = fixtureTree(files);
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0] as string))];
  return [...new Set((await violations(dir, folders)).map((v) => v.slice(0, v.indexOf(':'))))].sort();
}

const LEAF = { 'core/leaf.ts': 'export const leaf = 1;\n' };

describe('dependency rules', () => {
  it('a fixture that keeps the layers breaks no rule', async () => {
    expect(
      await rulesBroken({
        ...LEAF,
        'core/uses-zod.ts': "import { z } from 'zod';\nimport { leaf } from './leaf';\nexport const n = z.number().parse(leaf);\n",
        'contract/api.ts': "import { leaf } from '../core/leaf';\nexport const api = leaf;\n",
        'main/runtime/ort-runner.ts': "import * as ort from 'onnxruntime-node';\nimport fs from 'node:fs';\nexport const x = [ort, fs];\n",
        'renderer/src/app.ts': "import { mount } from 'svelte';\nimport { api } from '../../contract/api';\nexport const y = [mount, api];\n",
      }),
    ).toEqual([]);
  });

  it('core importing a node built-in, a Node-only package or another layer', async () => {
    expect(await rulesBroken({ ...LEAF, 'core/reads.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" })).toEqual(['core-no-node-builtins']);
    expect(await rulesBroken({ ...LEAF, 'core/native.ts': "import Database from 'better-sqlite3';\nexport const d = Database;\n" })).toEqual(['core-no-node-packages']);
    expect(await rulesBroken({ ...LEAF, 'contract/api.ts': 'export const api = 1;\n', 'core/up.ts': "import type { api } from '../contract/api';\nexport type A = typeof api;\n" })).toEqual(['core-only-core']);
  });

  it('contract importing main', async () => {
    expect(await rulesBroken({ 'main/thing.ts': 'export const t = 1;\n', 'contract/api.ts': "import { t } from '../main/thing';\nexport const api = t;\n" })).toEqual(['contract-only-contract-core']);
  });

  it('onnxruntime-node imported outside main/runtime/ort-runner.ts', async () => {
    expect(await rulesBroken({ 'main/pipeline/step.ts': "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n" })).toEqual(['onnxruntime-only-in-ort-runner']);
  });

  it('the renderer importing main, a node built-in or a Node-only package', async () => {
    const main = { 'main/service.ts': 'export const s = 1;\n' };
    expect(await rulesBroken({ ...main, 'renderer/src/app.ts': "import { s } from '../../main/service';\nexport const a = s;\n" })).toEqual(['renderer-only-contract-core']);
    expect(await rulesBroken({ 'renderer/src/app.ts': "import path from 'node:path';\nexport const a = path;\n" })).toEqual(['renderer-no-node-builtins']);
    expect(await rulesBroken({ 'renderer/src/app.ts': "import { WebSocket } from 'ws';\nexport const a = WebSocket;\n" })).toEqual(['renderer-no-node-packages']);
  });

  it('a runtime import cycle between modules, and a cycle between folders even through type-only imports', async () => {
    expect(
      await rulesBroken({
        'main/a/one.ts': "import { two } from './two';\nexport const one = () => two;\n",
        'main/a/two.ts': "import { one } from './one';\nexport const two = () => one;\n",
      }),
    ).toEqual(['no-circular']);
    expect(
      await rulesBroken({
        'main/a/one.ts': "import type { Two } from '../b/two';\nexport type One = { two?: Two };\n",
        'main/b/two.ts': "import type { One } from '../a/one';\nexport type Two = { one?: One };\n",
      }),
    ).toEqual(['no-folder-cycles']);
  });

  it('an import that does not resolve', async () => {
    expect(await rulesBroken({ 'main/a.ts': "import { gone } from './gone';\nexport const a = gone;\n" })).toEqual(['no-unresolvable']);
  });

  it('the repository breaks no rule', async () => {
    expect(await violations(ROOT, PRODUCT_FOLDERS)).toEqual([]);
  });
});
