/**
 * The reports the Benchmarks view offers (`bench.list`, `bench.chart`): those the studio ran as
 * jobs (bench_reports, ref 'run:<id>'), newest first, then the reports committed with the bundled
 * models in docs/bench/ (ref 'docs:<file>'; absent from a packaged app, which then lists none).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchReportEntry } from '../../contract/bench';
import type { BenchChart } from '../../contract/bench-chart';
import { StudioError } from '../../contract/errors';
import type { StudioDb } from '../store/studio-db';
import { benchChart, benchReportKind, benchReportModel } from './bench-charts';

/** Committed reports are small JSON files; a larger one is not a report this view reads. */
const DOCS_REPORT_BYTES_MAX = 16 * 1024 * 1024;
const DOCS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

export interface BenchLibrary {
  list(model?: string): BenchReportEntry[];
  chart(ref: string): BenchChart;
}

function readDocsReport(docsDir: string, name: string): unknown {
  if (!DOCS_NAME.test(name)) return undefined;
  const file = path.join(docsDir, name);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > DOCS_REPORT_BYTES_MAX) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function entry(ref: string, origin: BenchReportEntry['origin'], json: unknown, fallbackDate: string): BenchReportEntry | undefined {
  const kind = benchReportKind(json);
  const model = benchReportModel(json);
  if (kind === undefined || model === undefined) return undefined;
  try {
    const chart = benchChart(ref, json);
    const createdAt = (json as { createdAt?: unknown }).createdAt;
    return { ref, origin, kind, model, title: chart.title, createdAt: typeof createdAt === 'string' ? createdAt : fallbackDate };
  } catch {
    return undefined;
  }
}

export function benchLibrary(db: () => StudioDb, docsDir: string): BenchLibrary {
  const docsFiles = (): string[] => {
    try {
      return fs.readdirSync(docsDir).filter((n) => DOCS_NAME.test(n)).sort();
    } catch {
      return [];
    }
  };
  return {
    list(model) {
      const runs = db()
        .benchReports.list()
        .map((r) => entry(`run:${r.id}`, 'run', r.report, r.createdAt));
      const docs = docsFiles().map((name) => entry(`docs:${name}`, 'docs', readDocsReport(docsDir, name), ''));
      return [...runs, ...docs].filter((e): e is BenchReportEntry => e !== undefined && (model === undefined || e.model === model));
    },
    chart(ref) {
      const run = /^run:(\d+)$/.exec(ref);
      if (run) {
        const record = db().benchReports.get(Number(run[1]));
        if (!record) throw new StudioError('NOT_FOUND', `There is no stored benchmark report ${run[1]}.`, 'ref');
        return benchChart(ref, record.report);
      }
      const doc = /^docs:(.+)$/.exec(ref);
      const json = doc ? readDocsReport(docsDir, doc[1] as string) : undefined;
      if (json === undefined) throw new StudioError('NOT_FOUND', `There is no benchmark report "${ref}" (refs are run:<id> or docs:<file>.json from bench.list).`, 'ref');
      return benchChart(ref, json);
    },
  };
}
