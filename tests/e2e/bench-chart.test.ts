// Benchmarks in Chromium: a small cache benchmark run from the Benchmarks view as a job (progress,
// then its report), drawn as a chart with one mark per measured setting under the page's strict
// CSP; hovering a point names its setting; a report shipped with the bundled models charts too;
// a benchmark can be cancelled.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BenchReportEntry } from '../../contract/bench';
import type { BenchChart } from '../../contract/bench-chart';
import type { JobSummary } from '../../contract/jobs';
import { REPO_ROOT } from '../helpers/runtime-fixture';
import { StudioSession } from './harness/session';
import { byTestId, waitForModels } from './harness/ui';

let session: StudioSession;

/** The point marks vega drew in the open chart (legend symbols are another role). */
const pointMarks = (page: Page) => byTestId(page, 'bench-chart').locator('g.mark-symbol.role-mark path');

beforeAll(async () => {
  session = await StudioSession.start();
  await waitForModels(session.page);
  await byTestId(session.page, 'tab-bench').click();
});
afterAll(async () => {
  await session?.close();
});

test('a cache benchmark run from the view is charted with one mark per setting', async () => {
  const { page } = session;
  // The view opens on the default model (the suite's is `tiny`).
  await expect.poll(() => byTestId(page, 'bench-model').inputValue()).toBe('tiny');
  await byTestId(page, 'bench-steps').fill('6');
  await byTestId(page, 'bench-start').click();
  await byTestId(page, 'bench-progress').waitFor();
  const chart = page.locator('[data-testid="bench-chart"][data-ref^="run:"]');
  await chart.waitFor({ timeout: 120_000 });
  const ref = (await chart.getAttribute('data-ref')) as string;
  const expected = await session.api<BenchChart>('bench.chart', { ref });
  expect(expected.kind).toBe('cache');
  expect(expected.points.length).toBeGreaterThan(5);
  expect(expected.points.some((p) => p.pareto)).toBe(true);
  await expect.poll(() => pointMarks(page).count(), { timeout: 20_000 }).toBe(expected.points.length);
  expect(Number(await chart.getAttribute('data-points'))).toBe(expected.points.length);

  const listed = await session.api<BenchReportEntry[]>('bench.list', { model: 'tiny' });
  expect(listed[0]).toMatchObject({ ref, origin: 'run', kind: 'cache', model: 'tiny' });
  await page.locator(`[data-testid="bench-report"][data-ref="${ref}"]`).waitFor();

  await pointMarks(page).first().hover({ force: true });
  await byTestId(page, 'bench-tooltip').waitFor();
  const tip = (await byTestId(page, 'bench-tooltip').textContent()) ?? '';
  expect(tip).toContain('setting');
  expect(expected.points.some((p) => tip.includes(p.setting))).toBe(true);
  // vega ran with its expression interpreter: the CSP refused no eval.
  expect(session.problems).toEqual([]);
});

test('a report shipped with a bundled model charts every one of its points', async () => {
  const { page } = session;
  await byTestId(page, 'bench-model').selectOption('emoji');
  const docs = page.locator('[data-testid="bench-report"][data-ref="docs:cache-emoji.json"]');
  await docs.click();
  await page.locator('[data-testid="bench-chart"][data-ref="docs:cache-emoji.json"]').waitFor();
  const expected = await session.api<BenchChart>('bench.chart', { ref: 'docs:cache-emoji.json' });
  // Every cached setting of the report; the uncached reference is the chart's origin, not a point.
  const report = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'bench', 'cache-emoji.json'), 'utf8')) as { runs: { method: string }[] };
  const settings = report.runs.filter((run) => run.method !== 'none').length;
  expect(settings).toBeGreaterThan(10);
  expect(expected.points).toHaveLength(settings);
  await expect.poll(() => pointMarks(page).count(), { timeout: 20_000 }).toBe(settings);
  // At 1024×700 the chart and the report list scroll inside the view; the document never does.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.mouse.wheel(0, 2000);
  expect(await page.evaluate(() => [(globalThis as any).document.documentElement.scrollHeight, (globalThis as any).innerHeight, (globalThis as any).scrollY])).toEqual([700, 700, 0]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(session.problems).toEqual([]);
});

test('a hybrid benchmark with the partner the view offers is charted too', async () => {
  const { page } = session;
  await byTestId(page, 'bench-model').selectOption('emoji');
  await byTestId(page, 'bench-kind-hybrid').check();
  await expect.poll(() => byTestId(page, 'bench-small').inputValue()).toBe('emoji-small');
  await byTestId(page, 'bench-steps').fill('6');
  await byTestId(page, 'bench-n').fill('1');
  await byTestId(page, 'bench-large-steps').fill('3');
  await byTestId(page, 'bench-start').click();
  const chart = page.locator('[data-testid="bench-chart"][data-ref^="run:"]');
  await chart.waitFor({ timeout: 120_000 });
  const expected = await session.api<BenchChart>('bench.chart', { ref: (await chart.getAttribute('data-ref')) as string });
  // K = 3 in both orders and emoji-small alone; emoji alone is the reference.
  expect(expected).toMatchObject({ kind: 'hybrid', model: 'emoji', reference: 'emoji alone' });
  expect(expected.points.map((p) => p.series).sort()).toEqual(['emoji-small alone', 'large-first', 'small-first']);
  await expect.poll(() => pointMarks(page).count(), { timeout: 20_000 }).toBe(3);
  await byTestId(page, 'bench-kind-cache').check();
  expect(session.problems).toEqual([]);
});

test('Cancel stops a running benchmark and stores no report', async () => {
  const { page } = session;
  await byTestId(page, 'bench-model').selectOption('tiny');
  const before = (await session.api<BenchReportEntry[]>('bench.list', { model: 'tiny' })).length;
  await byTestId(page, 'bench-steps').fill('40');
  await byTestId(page, 'bench-n').fill('8');
  await byTestId(page, 'bench-start').click();
  await expect.poll(() => byTestId(page, 'bench-progress').textContent(), { timeout: 60_000 }).toMatch(/[1-9]\d*\/\d+ images/);
  await byTestId(page, 'bench-cancel').click();
  await expect.poll(async () => (await session.api<JobSummary[]>('jobs.list', {})).find((j) => j.kind === 'bench')?.state, { timeout: 30_000 }).toBe('cancelled');
  expect((await session.api<BenchReportEntry[]>('bench.list', { model: 'tiny' })).length).toBe(before);
  await expect(session.api('bench.start', { kind: 'cache', model: 'tiny', steps: 6, cfg: 4, n: 40 })).rejects.toThrow(/n must be at most 32/);
});
