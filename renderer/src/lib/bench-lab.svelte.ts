/**
 * The Benchmarks view's state: the model, its reports (bench.list), the open chart (bench.chart),
 * and a cache benchmark run from here as a job. Its defaults keep a run to seconds on the bundled
 * models (two prompts, two settings per adaptive method, four calibration prompts when no
 * matching profile is stored); steps and CFG start from the model's recommended settings.
 */
import type { ModelInfo, StudioClient, StudioEvent } from '../../../contract/api';
import type { BenchReportEntry } from '../../../contract/bench';
import type { BenchChart } from '../../../contract/bench-chart';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';
import { TrackedJob } from './tracked-job.svelte';

export const BENCH_RUN_DEFAULTS = { n: 2, thresholdsPerMethod: 2, calibrationN: 4 } as const;

export class BenchLab {
  model = $state<string | null>(null);
  reports = $state.raw<BenchReportEntry[]>([]);
  ref = $state<string | null>(null);
  chart = $state.raw<BenchChart | null>(null);
  error = $state.raw<ApiError | null>(null);
  steps = $state(20);
  n = $state<number>(BENCH_RUN_DEFAULTS.n);
  thresholdsPerMethod = $state<number>(BENCH_RUN_DEFAULTS.thresholdsPerMethod);
  readonly job: TrackedJob<'bench'>;

  readonly #client: StudioClient;
  #cfg = 4;
  #token = 0;

  constructor(client: StudioClient) {
    this.#client = client;
    this.job = new TrackedJob(
      'bench',
      client,
      { start: (c, request) => c.call('bench.start', request), load: () => Promise.reject(new Error('The benchmark ended while the studio was disconnected; its report is in the list.')) },
      {
        done: (record) => void this.refresh().then(() => this.open(`run:${record.id}`)),
        failed: (error) => (this.error = error),
      },
    );
  }

  handle(event: StudioEvent): void {
    this.job.handle(event);
  }

  /** Shows `model`'s reports, opening the newest. */
  async pick(model: ModelInfo): Promise<void> {
    this.model = model.id;
    this.steps = model.recommended.steps;
    this.#cfg = model.recommended.cfg;
    this.chart = null;
    this.ref = null;
    await this.refresh();
    const first = this.reports[0];
    if (first) await this.open(first.ref);
  }

  async refresh(): Promise<void> {
    if (this.model === null) return;
    try {
      this.reports = await this.#client.call('bench.list', { model: this.model });
    } catch (err) {
      this.error = asApiError(err);
    }
  }

  async open(ref: string): Promise<void> {
    const token = ++this.#token;
    this.ref = ref;
    this.error = null;
    try {
      const chart = await this.#client.call('bench.chart', { ref });
      if (token === this.#token) this.chart = chart;
    } catch (err) {
      if (token === this.#token) this.error = asApiError(err);
    }
  }

  async run(): Promise<void> {
    if (this.model === null) return;
    this.error = null;
    await this.job.start({
      kind: 'cache',
      model: this.model,
      steps: this.steps,
      cfg: this.#cfg,
      scheduler: 'default',
      provider: 'auto',
      n: this.n,
      calibrationN: BENCH_RUN_DEFAULTS.calibrationN,
      thresholdsPerMethod: this.thresholdsPerMethod,
      seed: 0,
    });
  }
}
