/** The matched-calls benchmark's summary as a fixed-width table for stdout: PSNR (dB) per method and budget. */
import type { MatchedPoint } from './run-matched-bench';

export function formatMatchedTable(points: readonly MatchedPoint[]): string {
  const methods = [...new Set(points.flatMap((p) => Object.keys(p.methods)))];
  const head = ['calls', 'fewer steps', ...methods];
  const cell = (x: { psnr: number; nfe: number } | null | undefined): string => (x == null ? '-' : `${x.psnr.toFixed(2)} (${Number.isInteger(x.nfe) ? x.nfe : x.nfe.toFixed(1)})`);
  const lines = points.map((p) => [String(p.calls), cell(p.baseline), ...methods.map((m) => cell(p.methods[m]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return ['PSNR dB against the uncached image (model calls in brackets)', fmt(head), ...lines.map(fmt)].join('\n');
}
