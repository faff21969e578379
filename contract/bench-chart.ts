/**
 * A benchmark report as a speed-versus-quality chart: the points the back end reads out of a
 * report (main/bench/bench-charts.ts) and the one vega-lite spec both ends draw them with, the
 * app in the page (renderer/src/components/BenchChart.svelte) and the CLI as an SVG file
 * (main/bench/chart-svg.ts), so the two pictures cannot drift apart.
 *
 * The spec uses no expression strings that need `eval`: the page draws it with vega's
 * expression interpreter under a CSP without 'unsafe-eval'.
 *
 * Pure TypeScript (the spec is plain JSON), like contract/api.ts.
 */

export const BENCH_CHART_KINDS = ['cache', 'matched', 'hybrid', 'quant'] as const;
export type BenchChartKind = (typeof BENCH_CHART_KINDS)[number];

/** One measured setting. */
export interface BenchChartPoint {
  /** What the legend groups by: the method ("teacache"), the order of a hybrid pair, the precision. */
  series: string;
  /** The setting itself, as the tooltip shows it ("threshold 0.12", "K = 20 of 50"). */
  setting: string;
  /** Measured speed-up of the denoising loop against the report's reference (×). */
  speedup: number;
  /** Mean PSNR against the reference image of the same prompt and seed (dB). */
  psnr: number;
  /** Denoiser calls per image, where the report has them. */
  modelCalls: number | null;
  /** No other point of the chart is at least as fast and at least as good, and better in one. */
  pareto: boolean;
}

export interface BenchChart {
  ref: string;
  kind: BenchChartKind;
  model: string;
  modelHash: string | null;
  title: string;
  /** Steps, CFG, prompts and provider of the run, in words. */
  subtitle: string;
  /** What the points are measured against (the uncached image, the large model alone, fp32). */
  reference: string;
  points: BenchChartPoint[];
}

/** Marks each point that no other point dominates in (speedup, psnr); the input is not changed. */
export function markParetoFront<P extends Omit<BenchChartPoint, 'pareto'>>(points: readonly P[]): (P & { pareto: boolean })[] {
  return points.map((p) => ({
    ...p,
    pareto: !points.some((o) => o !== p && o.speedup >= p.speedup && o.psnr >= p.psnr && (o.speedup > p.speedup || o.psnr > p.psnr)),
  }));
}

export interface BenchChartLook {
  width: number;
  height: number;
  /** 'dark' on the app's dark panels (transparent background), 'light' for a file (white background). */
  theme: 'dark' | 'light';
}

const THEMES = {
  dark: { background: 'transparent', text: '#c9d1d9', title: '#e6edf3', muted: '#9aa4b2', grid: '#30363d', domain: '#6e7681', ring: '#ffffff' },
  light: { background: '#ffffff', text: '#24292f', title: '#1f2328', muted: '#57606a', grid: '#d0d7de', domain: '#8c959f', ring: '#1f2328' },
} as const;

/**
 * The vega-lite spec of a chart: x = speed-up (×), y = PSNR (dB), one colour per series; the
 * Pareto front drawn as a line through its points, which are ringed; a tooltip naming the
 * setting; clicking a legend entry fades the other series. Plain JSON (vega-lite's types are
 * not imported here: contract/ depends on nothing but zod).
 */
export function benchChartSpec(chart: BenchChart, look: BenchChartLook): Record<string, unknown> {
  const t = THEMES[look.theme];
  const x = { field: 'speedup', type: 'quantitative', title: `speed-up of the denoising loop (×, against ${chart.reference})`, scale: { zero: false, nice: true } };
  const y = { field: 'psnr', type: 'quantitative', title: 'PSNR against the reference (dB)', scale: { zero: false, nice: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: look.width,
    height: look.height,
    background: t.background,
    title: { text: chart.title, subtitle: chart.subtitle, anchor: 'start' },
    data: { values: chart.points.map((p) => ({ ...p, front: p.pareto ? 'Pareto front' : 'dominated' })) },
    layer: [
      {
        transform: [{ filter: { field: 'pareto', equal: true } }],
        mark: { type: 'line', strokeDash: [5, 4], strokeWidth: 1.5, color: t.muted },
        encoding: { x, y, order: { field: 'speedup', type: 'quantitative' } },
      },
      {
        params: [{ name: 'series_pick', select: { type: 'point', fields: ['series'] }, bind: 'legend' }],
        mark: { type: 'point', filled: true, size: 80, cursor: 'pointer' },
        encoding: {
          x,
          y,
          color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 3, labelLimit: 180 } },
          stroke: { condition: { test: { field: 'pareto', equal: true }, value: t.ring }, value: null },
          strokeWidth: { condition: { test: { field: 'pareto', equal: true }, value: 2 }, value: 0 },
          opacity: { condition: { param: 'series_pick', value: 0.95 }, value: 0.15 },
          tooltip: [
            { field: 'series', type: 'nominal', title: 'method' },
            { field: 'setting', type: 'nominal', title: 'setting' },
            { field: 'speedup', type: 'quantitative', title: 'speed-up ×', format: '.2f' },
            { field: 'psnr', type: 'quantitative', title: 'PSNR dB', format: '.2f' },
            { field: 'modelCalls', type: 'quantitative', title: 'model calls', format: '.1f' },
            { field: 'front', type: 'nominal', title: 'front' },
          ],
        },
      },
    ],
    config: {
      view: { stroke: null },
      axis: { labelColor: t.text, titleColor: t.text, gridColor: t.grid, domainColor: t.domain, tickColor: t.domain },
      legend: { labelColor: t.text, titleColor: t.text },
      title: { color: t.title, subtitleColor: t.muted },
    },
  };
}
