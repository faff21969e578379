/**
 * The committed everyday-prompt evaluation reports (docs/bench/everyday-*.json), whose
 * figures the README quotes: each measured a shipped model (its folder's sha256 today) on
 * every line of a committed labelled prompts file, and its exact-emoji counts add up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../../main/eval/eval-report';
import { readPromptsFile } from '../../../main/eval/prompts-file';
import { pipelineHash } from '../../../main/runtime/model-hash';

const ROOT = path.join(__dirname, '..', '..', '..');
const BENCH = path.join(ROOT, 'docs', 'bench');
const reports = fs.readdirSync(BENCH).filter((f) => f.startsWith('everyday-') && f.endsWith('.json'));

describe('everyday-prompt reports', () => {
  it('exist for both bundled models', () => {
    expect(reports).toEqual(expect.arrayContaining(['everyday-emoji.json', 'everyday-emoji-small.json']));
  });

  it.each(reports)('%s measured the shipped model on the whole labelled file', async (file) => {
    const r = JSON.parse(fs.readFileSync(path.join(BENCH, file), 'utf8')) as EvalReport;
    expect(r.modelHash).toBe(await pipelineHash(path.join(ROOT, 'native-models', 'pipelines', r.model)));
    expect(r.labels).toBe('file');
    expect(r.promptsFile).toMatch(/^native-models\/eval\/everyday-[a-z-]+\.tsv$/);
    const lines = readPromptsFile(path.join(ROOT, r.promptsFile as string), true);
    expect(r.n).toBe(lines.length - 1);
    expect(r.items.map((it) => it.prompt)).toEqual(lines.slice(1).map((l) => l.text.split('\t')[0]));
    const e = r.exactEmoji;
    expect(e?.all.counted).toBe(r.n);
    expect((e?.heldOut.counted ?? 0) + (e?.seen.counted ?? 0)).toBe(r.n);
    const hits = r.items.filter((it) => it.nearestEmoji?.slice(0, 5).includes(it.emoji as string)).length;
    expect(e?.all.top5).toBeCloseTo(hits / r.n, 12);
  });
});
