/**
 * A benchmark chart as an SVG file: the same vega-lite spec the app draws (contract/bench-chart.ts),
 * compiled and rendered headless by vega in Node (no canvas, no DOM), on a white background.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { benchChartSpec, type BenchChart } from '../../contract/bench-chart';

export const SVG_CHART_SIZE = { width: 640, height: 400 } as const;

/** The SVG text of `chart`. */
export async function benchChartSvg(chart: BenchChart): Promise<string> {
  const spec = benchChartSpec(chart, { ...SVG_CHART_SIZE, theme: 'light' });
  // contract/ may not import vega-lite's types, so its spec is plain JSON; it is a TopLevelSpec.
  const vegaSpec = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
