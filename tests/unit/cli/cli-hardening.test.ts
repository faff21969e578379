/**
 * The CLI and browser mode as users run them (bundled by esbuild like scripts/build.mjs, spawned
 * under plain Node): refusals of overwriting, terminal-safe history, an unreadable history row,
 * an unusable STUDIO_HOME and the provider probe, each with what the user sees on stdout/stderr.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord } from '../../../contract/api';
import { openStudioDb } from '../../../main/store/studio-db';
import { bundlePrograms, type Program, removeCliBundles, runStudio } from '../../helpers/cli-bundle';
import { cleanupTempDirs, listFilesDeep, REPO_ROOT, TINY_DIR, tempDir } from '../../helpers/runtime-fixture';
import { generation } from '../store/fixtures';

let programs: Record<Program, string>;

beforeAll(async () => {
  programs = await bundlePrograms('hardening', ['cli', 'serve']);
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const run = (program: Program, home: string, ...args: string[]) => runStudio(programs[program], { home, args });
const studio = (home: string, ...args: string[]) => run('cli', home, ...args);
const generateTiny = ['generate', '--prompt', 'a red apple', '--model', TINY_DIR, '--steps', '2', '--seed', '7'];

describe('--out never replaces a file unless --force', () => {
  test('an existing file is refused before the run, left as it was, and nothing is generated', () => {
    const home = tempDir('studio-cli-home-');
    const out = path.join(tempDir(), 'keep.png');
    fs.writeFileSync(out, 'my own picture');
    const r = studio(home, ...generateTiny, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`studio: error: --out ${out} already exists; pass --force to replace it, or choose another name`);
    expect(fs.readFileSync(out, 'utf8')).toBe('my own picture');
    expect(listFilesDeep(home)).toEqual([]);
  });

  test('with --force it is replaced by the image', () => {
    const home = tempDir('studio-cli-home-');
    const out = path.join(tempDir(), 'replace.png');
    fs.writeFileSync(out, 'old');
    const r = studio(home, ...generateTiny, '--out', out, '--force', '--json');
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout) as GenerationRecord;
    expect(fs.readFileSync(out)).toEqual(fs.readFileSync(record.outputPath));
  });

  test.each([
    ['bench plot', (out: string) => ['bench', 'plot', path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), '--out', out], 'chart.svg'],
    ['quantize export', (out: string) => ['quantize', 'export', '1', '--out', out], 'tables.json'],
  ])('%s refuses an existing file too', (_name, args, name) => {
    const out = path.join(tempDir(), name);
    fs.writeFileSync(out, 'mine');
    const r = studio(tempDir('studio-cli-home-'), ...args(out));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${out} already exists; pass --force`);
    expect(fs.readFileSync(out, 'utf8')).toBe('mine');
  });

  test('bench plot --force replaces it', () => {
    const out = path.join(tempDir(), 'chart.svg');
    fs.writeFileSync(out, 'mine');
    const r = studio(tempDir('studio-cli-home-'), 'bench', 'plot', path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), '--out', out, '--force');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<svg/);
  });

  test('profiles export refuses an existing file too', () => {
    const home = tempDir('studio-cli-home-');
    const out = path.join(tempDir(), 'profile.json');
    fs.writeFileSync(out, '{"mine": true}');
    const r = studio(home, 'profiles', 'export', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists; pass --force');
    expect(fs.readFileSync(out, 'utf8')).toBe('{"mine": true}');
  });
});

describe('studio history', () => {
  test('control characters in a prompt are shown escaped, never sent to the terminal', () => {
    const home = tempDir('studio-cli-home-');
    const db = openStudioDb(path.join(home, 'studio.db'));
    db.history.insert(generation({ seed: 1, prompt: 'red \u001b[31mapple\u001b[0m\rfake\u202eright\u0007' }));
    db.close();
    const r = studio(home, 'history');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('red \\u001b[31mapple\\u001b[0m\\u000dfake\\u202eright\\u0007');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  test('an unreadable row is skipped and reported on stderr; the other rows are listed', () => {
    const home = tempDir('studio-cli-home-');
    const db = openStudioDb(path.join(home, 'studio.db'));
    const [a, b, c] = [1, 2, 3].map((seed) => db.history.insert(generation({ seed, prompt: `apple ${seed}` })));
    db.close();
    const raw = new Database(path.join(home, 'studio.db'));
    raw.prepare('UPDATE generations SET recipe_json = ? WHERE id = ?').run('{"prompt": "apple', b?.id);
    raw.close();
    const r = studio(home, 'history', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as GenerationRecord[]).map((x) => x.id)).toEqual([c?.id, a?.id]);
    expect(r.stderr).toMatch(new RegExp(`studio: generation ${b?.id} in .*studio\\.db is unreadable .*skipped`));
  });
});

describe('a STUDIO_HOME that is a file', () => {
  test('the CLI says so with the path, as a STORE error, without a stack trace', () => {
    const home = path.join(tempDir(), 'home-file');
    fs.writeFileSync(home, 'x');
    const r = studio(home, 'history');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`studio: error [STORE]: The studio's data folder cannot be used: STUDIO_HOME (${home}) is a file, not a folder. Set STUDIO_HOME to a folder you can write, or fix this one.\n`);
  });

  test('browser mode says so in one line and exits', () => {
    const home = path.join(tempDir(), 'home-file');
    fs.writeFileSync(home, 'x');
    const r = run('serve', home, '--port', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`studio: The studio's data folder cannot be used: STUDIO_HOME (${home}) is a file, not a folder. Set STUDIO_HOME to a folder you can write, or fix this one.\n`);
  });
});

test('--provider auto runs without native provider warnings on stderr', () => {
  const r = studio(tempDir('studio-cli-home-'), ...generateTiny, '--provider', 'auto', '--json');
  expect(r.code).toBe(0);
  expect(r.stderr).not.toMatch(/Vulkan|Warning|BackendVk|dawn/i);
});
