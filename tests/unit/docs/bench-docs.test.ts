/**
 * The benchmark docs are generated from the committed JSON reports (scripts/bench-docs.mjs);
 * these tests fail when a report changed and `npm run docs:bench` was not run, or when a
 * report does not describe the shipped models.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineHash } from '../../../main/runtime/model-hash';
import {
  BENCH_DIR,
  loadReports,
  matchedCalls,
  renderBenchReadme,
  renderReadmeSummary,
  REPO_ROOT,
  reuseSetOnlyTally,
  SUMMARY_END,
  SUMMARY_START,
  withSummary,
} from '../../../scripts/bench-docs.mjs';

const reports = loadReports();
const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

describe('docs/bench/README.md', () => {
  it('equals the markdown generated from the reports (run `npm run docs:bench` after changing them)', () => {
    expect(fs.readFileSync(path.join(BENCH_DIR, 'README.md'), 'utf8')).toBe(renderBenchReadme(reports));
  });

  it('is generated from every eval and cache report', () => {
    expect(reports.evals.length).toBeGreaterThanOrEqual(2);
    expect(reports.caches.length).toBeGreaterThanOrEqual(1);
    const doc = renderBenchReadme(reports);
    for (const { file } of [...reports.evals, ...reports.caches]) expect(doc).toContain(`(${file})`);
  });
});

describe('README.md summary', () => {
  it('holds exactly the generated summary between its markers', () => {
    expect(readme.split(SUMMARY_START).length).toBe(2);
    expect(readme).toBe(withSummary(readme, renderReadmeSummary(reports)));
  });

  it('names each model by the hash its reports measured', () => {
    for (const { report } of reports.evals) expect(readme).toMatch(new RegExp(`\`${report.model}\` v\\d+\\*\\* \\(sha256 \`${String(report.modelHash).slice(0, 8)}…\`\\)`));
  });

  it('core/cache/erta/ertacache.md quotes the current ablation tally', () => {
    const { better, points } = reuseSetOnlyTally(reports.caches);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'core', 'cache', 'erta', 'ertacache.md'), 'utf8')).toContain(`at ${better} of the ${points} matched-call points`);
  });

  it('withSummary refuses a README without the markers', () => {
    expect(() => withSummary('# no markers', 'x')).toThrow(/lacks the markers/);
    expect(withSummary(`a${SUMMARY_START}old${SUMMARY_END}b`, 'new')).toBe('anewb');
  });
});

describe('matched calls', () => {
  it('compares ERTACache with a peer within the slack and counts no peer above it', () => {
    const run = (method: string, nfe: number, psnr: number) => ({ method, variant: null, nfe, psnr });
    const points = matchedCalls({ runs: [run('none', 50, 100), run('ertacache', 13, 35), run('fora', 13, 34), run('teacache', 13.5, 36), run('magcache', 14, 40)] });
    expect(points).toEqual([{ nfe: 13, erta: run('ertacache', 13, 35), peer: run('teacache', 13.5, 36) }]);
  });
});

describe('the reports', () => {
  it('measured the shipped models: each report names the bundled folder hash', async () => {
    const hashes = new Map<string, string>();
    for (const { report } of [...reports.evals, ...reports.everydays, ...reports.caches, ...reports.videos]) {
      const id = String(report.model);
      if (!hashes.has(id)) hashes.set(id, await pipelineHash(path.join(REPO_ROOT, 'native-models', 'pipelines', id)));
      expect(report.modelHash, id).toBe(hashes.get(id));
    }
  });

  it('video reports (motion evaluation, cache benchmark on clips) are in the docs', () => {
    expect(reports.videos.map(({ report }) => report.kind === 'video')).toEqual(expect.arrayContaining([true, false]));
    const doc = renderBenchReadme(reports);
    for (const { file } of reports.videos) expect(doc).toContain(`(${file})`);
  });

  it('hybrid reports measured the shipped pair and are in the docs', async () => {
    expect(reports.hybrids.length).toBeGreaterThanOrEqual(1);
    const doc = renderBenchReadme(reports);
    for (const { file, report } of reports.hybrids) {
      for (const side of [report.large, report.small]) expect(side.hash, side.id).toBe(await pipelineHash(path.join(REPO_ROOT, 'native-models', 'pipelines', side.id)));
      expect(doc).toContain(`(${file})`);
    }
  });

  it('name no absolute path of the machine they ran on', () => {
    const absolute = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v !== null && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const file of fs.readdirSync(BENCH_DIR).filter((f) => f.endsWith('.json'))) {
      const found = strings(JSON.parse(fs.readFileSync(path.join(BENCH_DIR, file), 'utf8'))).filter((s) => absolute.test(s));
      expect(found, file).toEqual([]);
    }
  });
});
