/**
 * `studio bench plot REPORT.json --out FILE.svg [--force]`: the speed-versus-quality chart of any benchmark
 * report (cache, matched calls, hybrid, quantization), drawn from the same spec as the app's chart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StudioError } from '../../contract/errors';
import { plotFileProblem, writeBenchPlot } from '../bench/plot-file';
import { requiredText, UsageError } from './cli-options';
import { FORCE_OPTION, refuseOverwrite } from './out-file';

export const BENCH_PLOT_HELP = `Usage: studio bench plot REPORT.json --out FILE.svg [--force]

Draws a benchmark report (from "studio bench cache", "bench hybrid" or "bench quant") as a
speed-versus-quality chart: speed-up against PSNR, one colour per method, the Pareto front
ringed and joined.`;

/** Report files are JSON of a few MiB at most. */
const REPORT_BYTES_MAX = 64 * 1024 * 1024;

export async function benchPlotCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' }, ...FORCE_OPTION }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`studio bench plot takes one report file\n\n${BENCH_PLOT_HELP}`);
  const out = path.resolve(requiredText('out', values.out));
  const problem = plotFileProblem(out);
  if (problem !== undefined) throw new UsageError(`--out: ${problem}`);
  refuseOverwrite(out, values.force ?? false);
  const file = path.resolve(positionals[0] as string);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StudioError('NOT_FOUND', `There is no report file at ${file}.`, 'report');
  }
  if (!stat.isFile() || stat.size > REPORT_BYTES_MAX) throw new StudioError('INVALID_REQUEST', `${file} is not a report file (a JSON file of at most 64 MiB).`, 'report');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StudioError('INVALID_REQUEST', `${file} is not JSON (${(err as Error).message}).`, 'report');
  }
  await writeBenchPlot(out, json);
  process.stdout.write(`plot: ${out}\n`);
  return 0;
}
