/**
 * A scatter plot with connected series, axes, "nice" ticks (1, 2, 5 × 10ⁿ), dashed grid lines,
 * axis titles and a legend — enough for the cache benchmark's PSNR-vs-speedup chart.
 *
 * Layout (pixels): a left margin for the y tick labels and the rotated y title, a bottom margin
 * for the x tick labels and title, a top margin for the chart title, and a right margin holding
 * the legend, so it never hides a point. Points in each series are joined in order of x.
 */
import { Raster, type Marker, type Rgb } from './raster';

export interface PlotSeries {
  label: string;
  color: Rgb;
  marker: Marker;
  points: { x: number; y: number }[];
}

export interface ScatterSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  width?: number;
  height?: number;
}

const INK: Rgb = [30, 30, 30];
const GRID: Rgb = [215, 215, 215];
const SCALE = 2;

/** Tick values covering [lo, hi] with about `count` steps of 1, 2 or 5 × 10ⁿ. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] as number) < hi) ticks.push(Number(((ticks[ticks.length - 1] as number) + step).toPrecision(12)));
  return ticks;
}

function label(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

export function renderScatterPlot(spec: ScatterSpec): Raster {
  const width = spec.width ?? 900;
  const height = spec.height ?? 560;
  const canvas = new Raster(width, height);
  const all = spec.series.flatMap((s) => s.points);
  const xs = niceTicks(Math.min(...all.map((p) => p.x), 1), Math.max(...all.map((p) => p.x), 1));
  const ys = niceTicks(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y)));
  const th = Raster.textHeight(SCALE);
  const left = 30 + th + Math.max(...ys.map((v) => Raster.textWidth(label(v), SCALE)));
  const rowH = th + 10;
  const boxW = 44 + Math.max(0, ...spec.series.map((s) => Raster.textWidth(s.label, SCALE)));
  const right = width - boxW - 30;
  const top = 20 + th + 14;
  const bottom = height - (20 + 2 * th + 16);
  const [x0, x1] = [xs[0] as number, xs[xs.length - 1] as number];
  const [y0, y1] = [ys[0] as number, ys[ys.length - 1] as number];
  const px = (x: number): number => left + ((x - x0) / (x1 - x0)) * (right - left);
  const py = (y: number): number => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);

  for (const v of xs) {
    canvas.line(px(v), top, px(v), bottom, GRID, 1, [4, 4]);
    canvas.line(px(v), bottom, px(v), bottom + 6, INK, 2);
    const t = label(v);
    canvas.text(px(v) - Raster.textWidth(t, SCALE) / 2, bottom + 10, t, INK, SCALE);
  }
  for (const v of ys) {
    canvas.line(left, py(v), right, py(v), GRID, 1, [4, 4]);
    canvas.line(left - 6, py(v), left, py(v), INK, 2);
    const t = label(v);
    canvas.text(left - 10 - Raster.textWidth(t, SCALE), py(v) - th / 2, t, INK, SCALE);
  }
  canvas.line(left, top, left, bottom, INK, 2);
  canvas.line(left, bottom, right, bottom, INK, 2);
  canvas.text((left + right - Raster.textWidth(spec.xLabel, SCALE)) / 2, height - 10 - th, spec.xLabel, INK, SCALE);
  canvas.text(12, (top + bottom + Raster.textWidth(spec.yLabel, SCALE)) / 2, spec.yLabel, INK, SCALE, true);
  canvas.text((width - Raster.textWidth(spec.title, SCALE)) / 2, 14, spec.title, INK, SCALE);

  for (const s of spec.series) {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    pts.slice(1).forEach((p, i) => {
      const q = pts[i] as { x: number; y: number };
      canvas.line(px(q.x), py(q.y), px(p.x), py(p.y), s.color, 2);
    });
    for (const p of pts) canvas.marker(px(p.x), py(p.y), s.marker, s.color, 6);
  }

  // Legend: in the right margin, level with the top of the plot area, framed.
  const boxH = rowH * spec.series.length + 10;
  const bx = right + 20;
  const by = top;
  for (const [a, b, c, d] of [[bx, by, bx + boxW, by], [bx, by + boxH, bx + boxW, by + boxH], [bx, by, bx, by + boxH], [bx + boxW, by, bx + boxW, by + boxH]] as const) canvas.line(a, b, c, d, INK, 1);
  spec.series.forEach((s, i) => {
    const cy = by + 5 + i * rowH + rowH / 2;
    canvas.line(bx + 8, cy, bx + 30, cy, s.color, 2);
    canvas.marker(bx + 19, cy, s.marker, s.color, 5);
    canvas.text(bx + 36, cy - th / 2, s.label, INK, SCALE);
  });
  return canvas;
}
