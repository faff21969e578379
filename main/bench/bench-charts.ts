/**
 * Benchmark reports as speed-versus-quality charts (contract/bench-chart.ts). Each report kind
 * keeps its points elsewhere; this reads the few fields a chart needs, with zod, so a report
 * written by an older build (or a hand-edited file) either charts or is refused with the reason.
 *
 *   cache, matched  `studio bench cache` (sweep, or --matched-calls): runs[] against the uncached image
 *   hybrid          `studio bench hybrid`: points[] against the large model alone
 *   quant           `studio bench quant`: rows[] against fp32
 *
 * The reference itself (PSNR capped at 100 dB for identical images) is not a point: it is the
 * chart's origin of comparison, named in its axis title.
 */
import { z } from 'zod';
import { markParetoFront, type BenchChart, type BenchChartKind, type BenchChartPoint } from '../../contract/bench-chart';
import { StudioError } from '../../contract/errors';
import { PSNR_CAP_DB } from '../cache/bench/bench-report';

const num = z.number();
const runsReport = z.object({
  kind: z.string().optional(),
  model: z.string(),
  modelHash: z.string().optional(),
  provider: z.string(),
  steps: num,
  cfg: num,
  prompts: z.object({ benchmark: z.array(z.string()) }),
  runs: z.array(
    z.looseObject({
      method: z.string(),
      params: z.record(z.string(), z.unknown()),
      variant: z.string().nullable(),
      knob: num.nullable(),
      nfe: num,
      speedup: num,
      psnr: num,
      family: z.string().optional(),
    }),
  ),
  createdAt: z.string(),
});
const hybridReport = z.object({
  large: z.object({ id: z.string(), hash: z.string() }),
  small: z.object({ id: z.string() }),
  provider: z.string(),
  steps: num,
  cfg: num,
  n: num,
  points: z.array(z.object({ order: z.string(), largeSteps: num, denoiseMsMedian: num, psnr: num })),
  createdAt: z.string(),
});
const quantReport = z.object({
  model: z.string(),
  provider: z.string(),
  steps: num,
  cfg: num,
  prompts: z.object({ benchmark: z.array(z.string()) }),
  rows: z.array(z.object({ name: z.string(), precision: z.string(), compensation: z.string(), denoiseSpeedup: num, modelCalls: num, psnr: num })),
  createdAt: z.string(),
});

/** Which kind of report `json` is, by the fields it holds; undefined when none. */
export function benchReportKind(json: unknown): BenchChartKind | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.rows) && 'weights' in o) return 'quant';
  if (Array.isArray(o.points) && typeof o.large === 'object') return 'hybrid';
  if (Array.isArray(o.runs)) return o.kind === 'matched-calls' ? 'matched' : 'cache';
  return undefined;
}

/** The model a report measured (the large model of a hybrid pair), or undefined for no report. */
export function benchReportModel(json: unknown): string | undefined {
  const o = json as { model?: unknown; large?: { id?: unknown } } | null;
  const model = o?.model ?? o?.large?.id;
  return typeof model === 'string' ? model : undefined;
}

const fmt = (x: number, digits = 3): string => String(Number(x.toFixed(digits)));

function knobLabel(params: Record<string, unknown>, knob: number | null): string {
  const entries = Object.entries(params).filter(([k, v]) => k !== 'method' && typeof v === 'number');
  const main = entries.find(([, v]) => v === knob) ?? entries[0];
  if (!main) return 'defaults';
  const [key, value] = main;
  return `${key} ${fmt(value as number)}`;
}

type Draft = Omit<BenchChartPoint, 'pareto'>;
type Heading = Pick<BenchChart, 'title' | 'subtitle' | 'reference' | 'model' | 'modelHash'> & { points: Draft[] };

function fromRuns(json: unknown, kind: 'cache' | 'matched'): Heading {
  const r = runsReport.parse(json);
  const points = r.runs
    .filter((run) => run.psnr < PSNR_CAP_DB && !(run.method === 'none' && run.family === 'reference'))
    .filter((run) => run.method !== 'none' || run.family === 'baseline')
    .map((run) => {
      const series = run.method === 'none' ? 'fewer steps' : run.variant === null ? run.method : `${run.method} (${run.variant})`;
      const setting = run.method === 'none' ? `${fmt(run.nfe, 0)} steps` : `${knobLabel(run.params, run.knob)}, ${fmt(run.nfe, 1)} calls`;
      return { series, setting, speedup: run.speedup, psnr: run.psnr, modelCalls: run.nfe };
    });
  return {
    model: r.model,
    modelHash: r.modelHash ?? null,
    title: `${kind === 'matched' ? 'Step caching at matched model calls' : 'Step caching'}: ${r.model}`,
    subtitle: `${r.steps} steps, CFG ${r.cfg}, ${r.prompts.benchmark.length} prompts, ${r.provider}, ${r.createdAt.slice(0, 10)}`,
    reference: 'the uncached run',
    points,
  };
}

function fromHybrid(json: unknown): Heading {
  const r = hybridReport.parse(json);
  const largeOnly = r.points.find((p) => p.largeSteps === r.steps);
  if (!largeOnly) throw new StudioError('INVALID_REQUEST', 'The hybrid report has no large-only point to measure the speed-up against.', 'ref');
  const points = r.points
    .filter((p) => p !== largeOnly && p.psnr < PSNR_CAP_DB)
    .map((p) => ({
      // K = 0 runs the small model alone, whichever order the report files it under.
      series: p.largeSteps === 0 ? `${r.small.id} alone` : p.order,
      setting: p.largeSteps === 0 ? `${r.small.id} for all ${fmt(r.steps, 0)} steps` : `${r.large.id} for ${fmt(p.largeSteps, 0)} of ${fmt(r.steps, 0)} steps, ${r.small.id} for the rest`,
      speedup: largeOnly.denoiseMsMedian / p.denoiseMsMedian,
      psnr: p.psnr,
      modelCalls: null,
    }));
  return {
    model: r.large.id,
    modelHash: r.large.hash,
    title: `Hybrid inference: ${r.large.id} with ${r.small.id}`,
    subtitle: `${r.steps} steps, CFG ${r.cfg}, ${r.n} captions, ${r.provider}, ${r.createdAt.slice(0, 10)}`,
    reference: `${r.large.id} alone`,
    points,
  };
}

function fromQuant(json: unknown): Heading {
  const r = quantReport.parse(json);
  const points = r.rows
    .filter((row) => row.psnr < PSNR_CAP_DB)
    .map((row) => ({
      series: row.compensation === 'none' ? row.precision : `${row.precision} + ${row.compensation}`,
      setting: row.name,
      speedup: row.denoiseSpeedup,
      psnr: row.psnr,
      modelCalls: row.modelCalls,
    }));
  return {
    model: r.model,
    modelHash: null,
    title: `Quantization: ${r.model}`,
    subtitle: `${r.steps} steps, CFG ${r.cfg}, ${r.prompts.benchmark.length} prompts, ${r.provider}, ${r.createdAt.slice(0, 10)}`,
    reference: 'fp32',
    points,
  };
}

/**
 * The chart of one report.
 * @throws StudioError INVALID_REQUEST when `json` is no report this build can chart
 */
export function benchChart(ref: string, json: unknown): BenchChart {
  const kind = benchReportKind(json);
  if (kind === undefined) throw new StudioError('INVALID_REQUEST', `${ref} is not a benchmark report (no runs, points or rows).`, 'ref');
  let heading: Heading;
  try {
    heading = kind === 'hybrid' ? fromHybrid(json) : kind === 'quant' ? fromQuant(json) : fromRuns(json, kind);
  } catch (err) {
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      throw new StudioError('INVALID_REQUEST', `${ref} is not a readable ${kind} report: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), 'ref');
    }
    throw err;
  }
  const { points, ...rest } = heading;
  return { ref, kind, ...rest, points: markParetoFront(points) };
}
