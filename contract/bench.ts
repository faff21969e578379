/**
 * Benchmarks in the app: the requests a `bench` job takes (a hybrid K sweep or the cache
 * benchmark), the reports it stores, and the list the Benchmarks view charts (reports the studio
 * ran, plus the reports committed with the bundled models).
 *
 * Pure TypeScript, like contract/api.ts.
 */
import type { BenchChartKind } from './bench-chart';
import type { CacheBenchRecord, CacheBenchRequest } from './cache-bench';
import type { BenchRecord, HybridBenchRequest } from './hybrid-bench';

export type BenchRequest = HybridBenchRequest | CacheBenchRequest;

/** A stored benchmark report of any kind (bench_reports, migration 0006). */
export type StoredBenchRecord = BenchRecord | CacheBenchRecord;

/** One report the Benchmarks view can chart (`bench.list`). */
export interface BenchReportEntry {
  /** 'run:<id>' for a report the studio ran and stored, 'docs:<file>' for a committed one. */
  ref: string;
  origin: 'run' | 'docs';
  kind: BenchChartKind;
  /** The model the report measured (the large model of a hybrid pair). */
  model: string;
  title: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** Longest report reference accepted by `bench.chart`. */
export const BENCH_REF_MAX = 200;
