/**
 * Benchmark reports as charts: every report shipped in docs/bench charts with one point per
 * measured setting (the reference left out), the Pareto front is exactly the non-dominated points,
 * a file that is no report is refused with the reason, and the SVG the CLI writes from the shared
 * spec holds one mark per point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { benchChartSpec, markParetoFront } from '../../../contract/bench-chart';
import { benchChart, benchReportKind } from '../../../main/bench/bench-charts';
import { benchChartSvg } from '../../../main/bench/chart-svg';
import { REPO_ROOT } from '../../helpers/runtime-fixture';

const DOCS = path.join(REPO_ROOT, 'docs', 'bench');
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(DOCS, name), 'utf8'));

describe('reports to points', () => {
  test('a cache sweep: one point per setting but the uncached reference, x the measured speed-up', () => {
    const report = read('cache-emoji.json') as { runs: { method: string; speedup: number; psnr: number }[] };
    const chart = benchChart('docs:cache-emoji.json', report);
    expect(chart).toMatchObject({ kind: 'cache', model: 'emoji', reference: 'the uncached run' });
    expect(chart.points).toHaveLength(report.runs.length - 1);
    const teacache = report.runs.find((r) => r.method === 'teacache')!;
    expect(chart.points).toContainEqual(expect.objectContaining({ series: 'teacache', speedup: teacache.speedup, psnr: teacache.psnr }));
  });

  test('matched calls, hybrid and quantization reports chart too, each against its own reference', () => {
    expect(benchChart('m', read('matched-emoji-validation.json'))).toMatchObject({ kind: 'matched', reference: 'the uncached run' });
    const hybrid = benchChart('h', read('hybrid-emoji.json'));
    expect(hybrid).toMatchObject({ kind: 'hybrid', model: 'emoji', reference: 'emoji alone' });
    expect(new Set(hybrid.points.map((p) => p.series))).toEqual(new Set(['large-first', 'small-first', 'emoji-small alone']));
    const quant = benchChart('q', read('quant-emoji.json'));
    expect(quant).toMatchObject({ kind: 'quant', reference: 'fp32' });
    expect(quant.points.some((p) => p.series === 'w8a8')).toBe(true);
  });

  test('every cache, matched, hybrid and quantization report in docs/bench charts; eval reports are no charts', () => {
    const names = fs.readdirSync(DOCS).filter((n) => n.endsWith('.json'));
    const benches = names.filter((n) => /^(cache|matched|hybrid|quant)-/.test(n));
    expect(benches.length).toBeGreaterThanOrEqual(8);
    for (const name of names.filter((n) => n.startsWith('eval-'))) expect(benchReportKind(read(name)), name).toBeUndefined();
    for (const name of benches) expect(benchChart(name, read(name)).points.length, name).toBeGreaterThan(0);
  });

  test('anything else is refused with the reason', () => {
    expect(() => benchChart('x', { hello: 1 })).toThrow(/not a benchmark report/);
    expect(() => benchChart('x', { runs: [{ method: 'fora' }] })).toThrow(/not a readable cache report/);
  });
});

describe('the Pareto front', () => {
  test('holds the points no other point beats in both speed-up and PSNR', () => {
    const points = markParetoFront([
      { series: 'a', setting: '1', speedup: 1.5, psnr: 40, modelCalls: null },
      { series: 'a', setting: '2', speedup: 2, psnr: 35, modelCalls: null },
      { series: 'b', setting: '3', speedup: 1.8, psnr: 30, modelCalls: null },
      { series: 'b', setting: '4', speedup: 3, psnr: 20, modelCalls: null },
      { series: 'b', setting: '5', speedup: 1.5, psnr: 39, modelCalls: null },
    ]);
    expect(points.filter((p) => p.pareto).map((p) => p.setting)).toEqual(['1', '2', '4']);
  });
});

describe('the SVG the CLI writes', () => {
  test('each chart in docs/bench is what studio bench plot draws from the report beside it', async () => {
    const svgs = fs.readdirSync(DOCS).filter((n) => n.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    for (const name of svgs) {
      const report = name.replace(/\.svg$/, '.json');
      const drawn = await benchChartSvg(benchChart(name, read(report)));
      expect(fs.readFileSync(path.join(DOCS, name), 'utf8'), `docs/bench/${name} is stale: run studio bench plot docs/bench/${report} --out docs/bench/${name} --force`).toBe(drawn);
    }
  });

  test('draws one symbol per point, from the same spec as the app, with no script', async () => {
    const chart = benchChart('docs:hybrid-emoji.json', read('hybrid-emoji.json'));
    const svg = await benchChartSvg(chart);
    expect(svg.startsWith('<svg')).toBe(true);
    const marks = svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/)?.[1] ?? '';
    expect(marks.match(/<path /g)).toHaveLength(chart.points.length);
    expect(svg).toContain(chart.title);
    expect(svg).not.toMatch(/<script/i);
    const spec = benchChartSpec(chart, { width: 10, height: 10, theme: 'light' }) as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(chart.points.length);
  });
});
