/**
 * The `studio` CLI (and browser mode's server) as users run them, for tests: bundled by esbuild
 * from the current source with the options of scripts/build.mjs, into a private folder under
 * build/ (so the bundle resolves onnxruntime-node and finds the app root like build/cli.cjs
 * does), then spawned under plain Node with STUDIO_HOME in a folder the test chooses.
 * (Building the whole app needs the renderer; this builds only the node-side programs.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, tempDir } from './runtime-fixture';

/** The programs a test may bundle, by the name of their .cjs file. */
const ENTRIES = { cli: 'main/cli/index.ts', serve: 'main/server/serve.ts' } as const;
export type Program = keyof typeof ENTRIES;

const bundled: string[] = [];

/** Bundles `programs` into build/test-cli-<name>-<pid>/<program>.cjs; resolves to each one's path. */
export async function bundlePrograms<P extends Program>(name: string, programs: readonly P[]): Promise<Record<P, string>> {
  const outdir = path.join(REPO_ROOT, 'build', `test-cli-${name}-${process.pid}`);
  bundled.push(outdir);
  await build({
    entryPoints: Object.fromEntries(programs.map((p) => [p, path.join(REPO_ROOT, ENTRIES[p])])),
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    external: ['electron', 'onnxruntime-node', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
    // As scripts/build.mjs: vega-canvas's Node build holds a top-level await a CommonJS bundle cannot.
    alias: { 'vega-canvas': path.join(REPO_ROOT, 'node_modules/vega-canvas/build/vega-canvas.browser.js') },
    logLevel: 'warning',
  });
  return Object.fromEntries(programs.map((p) => [p, path.join(outdir, `${p}.cjs`)])) as Record<P, string>;
}

/** Bundles the CLI into build/test-cli-<name>-<pid>/cli.cjs; resolves to its path. */
export async function bundleCli(name: string): Promise<string> {
  return (await bundlePrograms(name, ['cli'])).cli;
}

/** Removes every bundle this test process made. */
export function removeCliBundles(): void {
  for (const dir of bundled.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The environment a spawned program runs in: this process's, with STUDIO_HOME set to `home`,
 * no STUDIO_APP_ROOT (the bundle finds the app root itself), then `env` on top (undefined removes).
 */
export function studioEnv(home: string, env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const full: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: home };
  delete full.STUDIO_APP_ROOT;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete full[key];
    else full[key] = value;
  }
  return full;
}

export interface RunOptions {
  home: string;
  args: readonly string[];
  /** Set (or, with undefined, removed) on top of studioEnv's. */
  env?: Record<string, string | undefined>;
  /** Default: a new empty temp folder. */
  cwd?: string;
  /** Kills the program after this many ms. Default 60 s. */
  timeout?: number;
  /** Written to the program's stdin. */
  input?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bundled program (`script`, e.g. from bundleCli) to its end. */
export function runStudio(script: string, { home, args, env, cwd, timeout = 60_000, input }: RunOptions): RunResult {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: cwd ?? tempDir(), env: studioEnv(home, env), encoding: 'utf8', timeout, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
