/** Types of scripts/bench-docs.mjs for the unit test that imports it. */
export interface LoadedReport {
  file: string;
  /** The parsed JSON report (EvalReport or BenchReport). */
  report: any;
}
export interface Reports {
  evals: LoadedReport[];
  /** Labelled everyday-prompt evaluations (everyday-*.json). */
  everydays: LoadedReport[];
  caches: LoadedReport[];
  /** Matched-calls cache reports (matched-*.json), untuned first. */
  matched: LoadedReport[];
  /** Hybrid-inference reports (hybrid-*.json). */
  hybrids: LoadedReport[];
  /** Quantization reports (quant-*.json). */
  quants: LoadedReport[];
  /** A video model's motion evaluation and clip cache benchmark (video-*.json). */
  videos: LoadedReport[];
}
export const REPO_ROOT: string;
export const BENCH_DIR: string;
export const SUMMARY_START: string;
export const SUMMARY_END: string;
export const MATCH_SLACK_CALLS: number;
export function loadReports(dir?: string): Reports;
export function matchedCalls(report: unknown): { nfe: number; erta: any; peer: any }[];
export function matchedTally(caches: LoadedReport[]): { wins: number; points: number };
export function reuseSetOnlyTally(caches: LoadedReport[]): { better: number; points: number };
export function matchedTargets(report: unknown): { forecastBeatsReuse: { wins: number; points: number }; ertaForecastBeatsParents: { wins: number; points: number }; fourXAtThirty: number; maxOverheadPct: number };
export function renderBenchReadme(reports: Reports): string;
export function renderReadmeSummary(reports: Reports): string;
export function withSummary(text: string, block: string): string;
