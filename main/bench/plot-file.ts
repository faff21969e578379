/**
 * `--plot FILE.svg` of the benchmark commands and `studio bench plot`: a report's chart written as
 * SVG (chart-svg.ts), atomically. Other extensions are refused up front, before a long run.
 */
import path from 'node:path';
import { writeFileAtomic } from '../generation/output-file';
import { benchChart } from './bench-charts';
import { benchChartSvg } from './chart-svg';

/** Why `file` cannot take a plot, or undefined when it can. */
export function plotFileProblem(file: string): string | undefined {
  return path.extname(file).toLowerCase() === '.svg' ? undefined : `the plot is written as SVG: give a file name ending in .svg (got ${path.basename(file)})`;
}

/** Writes the chart of `report` (any report kind bench-charts.ts reads) to `file`. */
export async function writeBenchPlot(file: string, report: unknown): Promise<void> {
  const svg = await benchChartSvg(benchChart(path.basename(file), report));
  writeFileAtomic(file, Buffer.from(svg, 'utf8'));
}
