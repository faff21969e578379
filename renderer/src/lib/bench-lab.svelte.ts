/**
 * The Benchmarks view's state: the model, its reports (bench.list), the open chart (bench.chart),
 * and a benchmark run from here as a job: the cache benchmark (every caching method against the
 * uncached run) or the hybrid one (this model for K steps, a smaller partner for the rest, on the
 * evaluation captions). The defaults keep a run to seconds on the bundled models (two prompts, two
 * settings per adaptive method, four calibration prompts when no matching profile is stored; one
 * hybrid split); steps and CFG start from the model's recommended settings.
 */
import type { HybridPartners, ModelInfo, StudioClient, StudioEvent } from '../../../contract/api';
import type { BenchReportEntry } from '../../../contract/bench';
import type { BenchChart } from '../../../contract/bench-chart';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';
import { TrackedJob } from './tracked-job.svelte';

export const BENCH_RUN_DEFAULTS = { n: 2, thresholdsPerMethod: 2, calibrationN: 4, largeSteps: '10' } as const;

/** "10, 25" → [10, 25]; anything that is not a list of integers is sent as is for the back end to refuse with the reason. */
export function parseLargeSteps(text: string): number[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(Number);
}

export class BenchLab {
  model = $state<string | null>(null);
  reports = $state.raw<BenchReportEntry[]>([]);
  ref = $state<string | null>(null);
  chart = $state.raw<BenchChart | null>(null);
  error = $state.raw<ApiError | null>(null);
  steps = $state(20);
  n = $state<number>(BENCH_RUN_DEFAULTS.n);
  thresholdsPerMethod = $state<number>(BENCH_RUN_DEFAULTS.thresholdsPerMethod);
  kind = $state<'cache' | 'hybrid'>('cache');
  /** Hybrid: the models that pair with this one, and why others do not. */
  partners = $state.raw<HybridPartners | null>(null);
  small = $state<string | null>(null);
  /** Hybrid: steps on this (large) model, comma-separated. */
  largeSteps = $state<string>(BENCH_RUN_DEFAULTS.largeSteps);
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
    this.partners = null;
    if (this.kind === 'hybrid') await this.loadPartners();
    await this.refresh();
    const first = this.reports[0];
    if (first) await this.open(first.ref);
  }

  async setKind(kind: 'cache' | 'hybrid'): Promise<void> {
    this.kind = kind;
    if (kind === 'hybrid' && this.partners === null) await this.loadPartners();
  }

  async loadPartners(): Promise<void> {
    const model = this.model;
    if (model === null) return;
    try {
      const partners = await this.#client.call('hybrid.partners', { model, steps: this.steps, scheduler: 'default' });
      if (this.model !== model) return;
      this.partners = partners;
      this.small = partners.partners[0]?.id ?? null;
    } catch (err) {
      this.error = asApiError(err);
    }
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
    if (this.kind === 'hybrid') {
      if (this.small === null) return;
      await this.job.start({
        kind: 'hybrid',
        large: this.model,
        small: this.small,
        steps: this.steps,
        cfg: this.#cfg,
        n: this.n,
        seedBase: 0,
        largeSteps: parseLargeSteps(this.largeSteps),
        provider: 'auto',
        scheduler: 'default',
      });
      return;
    }
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
