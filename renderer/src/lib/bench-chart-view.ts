/**
 * Draws a benchmark chart in the page: the shared vega-lite spec (contract/bench-chart.ts) compiled
 * here and run by vega with its expression interpreter, so nothing is evaluated as code (the page's
 * CSP has no 'unsafe-eval'). vega is loaded on first use, keeping it out of the Create view's bundle.
 */
import { benchChartSpec, type BenchChart } from '../../../contract/bench-chart';

/** What the pointer is over: the tooltip's fields, in order, and where to show them (page px). */
export interface ChartHover {
  fields: [string, string][];
  x: number;
  y: number;
}

export interface MountedChart {
  finalize(): void;
}

/** Renders `chart` as SVG into `container`; `onhover` gets the point under the pointer, or null. */
export async function mountBenchChart(
  container: HTMLElement,
  chart: BenchChart,
  look: { width: number; height: number },
  onhover: (hover: ChartHover | null) => void,
): Promise<MountedChart> {
  const [vega, vegaLite, { expressionInterpreter }] = await Promise.all([import('vega'), import('vega-lite'), import('vega-interpreter')]);
  const spec = benchChartSpec(chart, { ...look, theme: 'dark' });
  // contract/ keeps the spec as plain JSON (it may not import vega-lite's types).
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
    expr: expressionInterpreter,
    renderer: 'svg',
    container,
    hover: true,
  });
  view.tooltip((_handler: unknown, event: MouseEvent, _item: unknown, value: unknown) => {
    if (value === null || value === undefined || typeof value !== 'object') return onhover(null);
    const fields = Object.entries(value as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]);
    onhover({ fields, x: event.clientX, y: event.clientY });
  });
  await view.runAsync();
  return { finalize: () => view.finalize() };
}
