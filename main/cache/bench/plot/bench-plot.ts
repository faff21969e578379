/**
 * The cache benchmark's chart: mean PSNR against the uncached image (y, dB) versus measured
 * speedup of the denoise loop (x), one colour and marker per method, as a PNG. Runs whose images
 * were identical to the uncached ones (PSNR at the cap) are drawn at the top of the y axis.
 */
import { encodePng } from '../../../png/png-writer';
import { PSNR_CAP_DB, type BenchRun } from '../bench-report';
import type { Marker, Rgb } from './raster';
import { renderScatterPlot, type PlotSeries } from './scatter-plot';

const STYLE: Record<string, { color: Rgb; marker: Marker }> = {
  fora: { color: [214, 39, 40], marker: 'square' },
  teacache: { color: [31, 119, 180], marker: 'circle' },
  magcache: { color: [44, 160, 44], marker: 'triangle' },
  easycache: { color: [255, 127, 14], marker: 'diamond' },
  ertacache: { color: [148, 103, 189], marker: 'cross' },
};

/** PNG bytes of the chart for `runs` (the uncached reference row is left out: it is the origin of both axes). */
export function benchPlotPng(runs: readonly BenchRun[], title: string): Buffer {
  const cached = runs.filter((r) => r.method !== 'none' && r.variant === null); // ablation rows stay in the table only
  const finite = cached.map((r) => r.psnr).filter((p) => p < PSNR_CAP_DB);
  const top = finite.length > 0 ? Math.max(...finite) + 1 : PSNR_CAP_DB;
  const series: PlotSeries[] = Object.entries(STYLE)
    .map(([method, style]) => ({
      label: method,
      ...style,
      points: cached.filter((r) => r.method === method).map((r) => ({ x: r.speedup, y: Math.min(r.psnr, top) })),
    }))
    .filter((s) => s.points.length > 0);
  const chart = renderScatterPlot({ title, xLabel: 'speedup of the denoise loop (x)', yLabel: 'PSNR vs uncached (dB)', series });
  return encodePng(chart.data, chart.width, chart.height);
}
