/**
 * `studio eval` through the CLI's main(), in process, on the tiny fixture pipeline and the
 * test evaluation set: the JSON report file, the stdout summary, free-text prompts with
 * excluded ones, nothing written to STUDIO_HOME (no history), and exit codes for errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/cli/cli-main';
import type { EvalReport } from '../../../main/eval/eval-report';
import { cleanupTempDirs, listFilesDeep, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';
import { writeEmojiBank, writeEvalSet } from './eval-set-fixture';

const set = writeEvalSet();
const banked = writeEvalSet();
writeEmojiBank(banked.dir);
const home = tempDir('studio-eval-home-');
const out = tempDir('studio-eval-out-');
const savedHome = process.env.STUDIO_HOME;

beforeAll(() => {
  process.env.STUDIO_HOME = home;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.STUDIO_HOME;
  else process.env.STUDIO_HOME = savedHome;
  cleanupTempDirs();
});

async function studio(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('studio eval', () => {
  it('writes the report for free-text prompts, excluding those without a clear subcategory', async () => {
    const prompts = path.join(out, 'prompts.txt');
    fs.writeFileSync(prompts, 'a red apple\n\nbright sky\nan abstract painting\n');
    const json = path.join(out, 'report.json');
    const r = await studio('eval', '--model', TINY_DIR, '--eval-dir', set.dir, '--prompts-file', prompts, '--steps', '2', '--seed', '3', '--provider', 'cpu', '--json', json);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as EvalReport;
    // Both files lie outside the working directory, so the report names them by base name only.
    // CFG left out: tiny's recommended 5 (native-models/pipelines/recommended-settings.json).
    expect(report).toMatchObject({ steps: 2, cfg: 5, n: 3, seeds: { base: 3 }, promptsFile: 'prompts.txt', evalDir: path.basename(set.dir), provider: 'cpu' });
    expect(report.items.map((it) => [it.prompt, it.intended, it.reason, it.seed])).toEqual([
      ['a red apple', 'red-things', undefined, 3],
      ['bright sky', null, 'ambiguous: blue-things, bright-things', 4],
      ['an abstract painting', null, 'no subcategory keyword in prompt', 5],
    ]);
    expect(report.promptAccuracy.counted).toBe(1);
    expect(report.promptAccuracy.excluded).toBe(2);
    expect(report.promptAccuracy.excludedBecause).toEqual({ 'ambiguous between subcategories': 1, 'no subcategory keyword in prompt': 1 });
    expect(report.labels).toBe('keywords');
    // The test evaluation set has no emoji bank: no exact-emoji figures, no held-out split.
    expect(report.exactEmoji).toBeNull();
    expect(report.heldOutAccuracy).toBeNull();
    expect(report.promptAccuracy.top1).toBe(report.items[0]?.top5[0] === 'red-things' ? 1 : 0);
    expect(report.classifierOnReal).toEqual({ top1: 1, top5: 1, n: 8 });
    expect(typeof report.frechetDistance).toBe('number');
    expect(Date.parse(report.createdAt)).not.toBeNaN();
    expect(r.stdout).toMatch(/^prompt accuracy: +top-1 (0\.0% \[0\.0–79\.3|100\.0% \[20\.7–100\.0)% at 95%\], top-5 (0\.0% \[0\.0–79\.3|100\.0% \[20\.7–100\.0)% at 95%\] \(1 counted, 2 excluded: 1 ambiguous between subcategories, 1 no subcategory keyword in prompt\)$/m);
    expect(r.stdout).toMatch(/^Fréchet distance: +\d+\.\d{4} \(classifier features, 3 generated vs 8 real\)$/m);
    expect(r.stdout).toMatch(/^seconds per image: +median \d+\.\d{3}, mean \d+\.\d{3} \(generation only\)$/m);
    expect(r.stdout).toContain(`report:             ${json}`);
    // Evaluation images are not saved and not recorded in history.
    expect(listFilesDeep(home)).toEqual([]);
  });

  it('scores a labelled prompts file against its own labels, with exact emoji from the bank', async () => {
    const prompts = path.join(out, 'labelled.tsv');
    fs.writeFileSync(prompts, 'prompt\temoji\tsubgroup\theld_out\na blue square\t1F7E6\t\t1\na red square\t1F7E5\tred-things\t0\nsomething green\t\tgreen-things\t\n');
    const json = path.join(out, 'labelled.json');
    const r = await studio('eval', '--model', TINY_DIR, '--eval-dir', banked.dir, '--prompts-file', prompts, '--steps', '2', '--provider', 'cpu', '--json', json);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as EvalReport;
    expect(report.labels).toBe('file');
    // No keyword inference: "something green" has no keyword yet counts, under its label.
    expect(report.items.map((it) => [it.prompt, it.intended, it.emoji, it.heldOut])).toEqual([
      ['a blue square', 'blue-things', '1F7E6', true],
      ['a red square', 'red-things', '1F7E5', false],
      ['something green', 'green-things', undefined, undefined],
    ]);
    expect(report.promptAccuracy).toMatchObject({ counted: 3, excluded: 0, excludedBecause: {} });
    expect(report.heldOutAccuracy?.heldOut.counted).toBe(1);
    expect(report.heldOutAccuracy?.seen.counted).toBe(1);
    const hexcodes = ['1F7E6', '2B1B', '1F7E5', '1F534', '1F7E9', '2B1C'];
    for (const it of report.items) {
      expect(it.nearestEmoji).toHaveLength(5);
      expect(it.nearestEmoji?.every((h) => hexcodes.includes(h))).toBe(true);
    }
    const named = report.items.filter((it) => it.emoji !== undefined);
    const hit = (k: number): number => named.filter((it) => it.nearestEmoji?.slice(0, k).includes(it.emoji as string)).length / named.length;
    expect(report.exactEmoji).toMatchObject({ bank: { emoji: 6, images: 6 }, all: { counted: 2, top1: hit(1), top5: hit(5) } });
    expect(report.exactEmoji?.heldOut.counted).toBe(1);
    expect(report.exactEmoji?.seen.counted).toBe(1);
    expect(r.stdout).toMatch(/^exact emoji: +top-1 \d+\.\d% \[[\d.]+–[\d.]+% at 95%\], top-5 \d+\.\d% \[[\d.]+–[\d.]+% at 95%\] \(2 counted, nearest of 6 real emoji\)$/m);
    expect(r.stdout).toMatch(/^by training: +held-out emoji top-1 \d+\.\d%, top-5 \d+\.\d% \(1\); trained emoji top-1 \d+\.\d%, top-5 \d+\.\d% \(1\)$/m);
  });

  it('names the line of a labelled prompts file with an unknown emoji', async () => {
    const prompts = path.join(out, 'unknown.tsv');
    fs.writeFileSync(prompts, 'prompt\temoji\na blue square\t1F7E6\na rocket\t1F680\n');
    const r = await studio('eval', '--model', TINY_DIR, '--eval-dir', banked.dir, '--prompts-file', prompts, '--steps', '2', '--json', path.join(out, 'z.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^studio: error \[INVALID_REQUEST\]: Prompts file .*unknown\.tsv line 3: emoji 1F680 is not one of the 6 emoji of the evaluation set\./);
    expect(fs.existsSync(path.join(out, 'z.json'))).toBe(false);
  });

  it('names the prompts-file line that is too long for the model', async () => {
    const prompts = path.join(out, 'long.txt');
    fs.writeFileSync(prompts, `a red apple\n${'apple '.repeat(40)}\n`);
    const r = await studio('eval', '--model', TINY_DIR, '--eval-dir', set.dir, '--prompts-file', prompts, '--json', path.join(out, 'x.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^studio: error \[PROMPT_TOO_LONG\]: Prompts file .*long\.txt line 2 is too long for this model: Prompt is \d+ tokens; this model accepts at most 32\./);
    expect(fs.existsSync(path.join(out, 'x.json'))).toBe(false);
  });

  it('says which eval asset is missing and how to build it', async () => {
    const empty = tempDir('studio-eval-empty-');
    const r = await studio('eval', '--model', TINY_DIR, '--eval-dir', empty, '--json', path.join(out, 'y.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('studio: error [MODEL_NOT_FOUND]: Evaluation assets missing in');
    expect(r.stderr).toContain('classifier/model.onnx, classifier/classes.json, captions.jsonl, subcategory-keywords.json. Run "npm run models:train"');
  });

  it('is a usage error without --json or with a bad number, and has help', async () => {
    expect((await studio('eval', '--eval-dir', set.dir)).stderr).toMatch(/^studio: error: --json is required/);
    expect((await studio('eval', '--n', '0', '--json', 'r.json')).stderr).toMatch(/--n must be an integer 1\.\.100000 \(got "0"\)/);
    expect((await studio('eval', '--n', '0', '--json', 'r.json')).code).toBe(2);
    const noFolder = await studio('eval', '--eval-dir', set.dir, '--json', path.join(out, 'missing', 'r.json'));
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toMatch(/\[INVALID_REQUEST\]: --json .*r\.json: the folder .*missing does not exist/);
    const help = await studio('eval', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('not recorded in history');
    expect(help.stdout).toContain("--steps N           denoising steps 1..1000 (default: the model's recommended, else 30)");
  });
});
