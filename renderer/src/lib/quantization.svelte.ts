/**
 * The Quantization panel's state: the precision and compensation the next generation asks for,
 * what has been quantized for the chosen model (sizes against fp32, the calibrated strengths),
 * and the "Quantize this model" job, fitted for the form's steps, CFG and scheduler.
 */
import type { GenerateRequest, StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { type Precision, type QuantCalibrationInfo, type QuantizeResult, variantNameOf } from '../../../contract/quant';
import { DEFAULT_CALIBRATION_PROMPTS } from './calibration-prompts';
import type { GenerationForm } from './form.svelte';
import { TrackedJob, type JobCalls } from './tracked-job.svelte';

/** Calibration prompt i runs with seed QUANT_CALIBRATION_SEED + i. */
export const QUANT_CALIBRATION_SEED = 7000;
export type Compensation = 'none' | 'ptqd' | 'tcec';

export class Quantization {
  precision = $state<Precision>('fp32');
  compensation = $state<Compensation>('none');
  /** λ; null = the strength the calibration picked. */
  strength = $state<number | null>(null);
  /** Newest report per variant of the form's model. */
  reports = $state.raw<QuantizeResult[]>([]);
  /** Settings the model's compensation tables were fitted for. */
  calibrations = $state.raw<QuantCalibrationInfo[]>([]);
  readonly job: TrackedJob<'quantize'>;
  readonly #client: StudioClient;
  readonly #form: GenerationForm;

  /** The report of the chosen precision, when that variant exists. */
  readonly report = $derived(this.precision === 'fp32' ? null : (this.reports.find((r) => r.precision === this.precision) ?? null));

  /**
   * Why the next run cannot use the chosen compensation: the variant is not quantized yet, or its
   * tables were fitted for other settings (they are indexed by step, so steps, CFG and scheduler
   * must match). The panel offers to calibrate for the form's settings; null when all is set.
   */
  readonly problem = $derived.by((): string | null => {
    if (this.precision === 'fp32' || this.compensation === 'none') return null;
    if (this.report === null) return `${this.precision} is not quantized yet for this model: quantize it first, or choose no compensation.`;
    const f = this.#form;
    const variant = variantNameOf(this.precision);
    const fitted = this.calibrations.some((c) => c.variant === variant && c.steps === f.steps && c.cfg === f.cfg && c.scheduler === f.scheduler);
    return fitted ? null : `The ${this.compensation.toUpperCase()} tables of ${variant} are not fitted for ${f.steps ?? '?'} steps, CFG ${f.cfg ?? '?'} and this scheduler: calibrate them for these settings, or choose no compensation.`;
  });

  constructor(client: StudioClient, form: GenerationForm, onError: (e: ApiError) => void) {
    this.#client = client;
    this.#form = form;
    const calls: JobCalls<'quantize'> = {
      start: (c, request) => c.call('quantize.start', request),
      // A job that ended while disconnected: its report is the newest of its variant.
      load: async (c, id) => {
        const report = (await c.call('quantize.info', { model: this.job.request?.model ?? form.model })).reports.find((r) => r.id === id);
        if (!report) throw new Error(`Quantize report ${id} is no longer stored.`);
        return report;
      },
    };
    this.job = new TrackedJob('quantize', client, calls, {
      done: () => void this.refresh(),
      failed: onError,
    });
  }

  async refresh(): Promise<void> {
    const model = this.#form.model;
    if (model === '') return;
    try {
      const info = await this.#client.call('quantize.info', { model });
      this.reports = info.reports;
      this.calibrations = info.calibrations;
    } catch {
      this.reports = [];
      this.calibrations = [];
    }
  }

  handle(event: StudioEvent): void {
    this.job.handle(event);
  }

  /** Quantizes the form's model at the chosen precision (w8a8 when fp32 is chosen), for the form's settings. */
  async quantize(): Promise<void> {
    const f = this.#form;
    await this.job.start({
      model: f.model,
      precision: this.precision === 'fp32' ? 'w8a8' : this.precision,
      prompts: [...DEFAULT_CALIBRATION_PROMPTS],
      steps: f.steps ?? 20,
      cfg: f.cfg ?? 5,
      scheduler: f.scheduler,
      seed: QUANT_CALIBRATION_SEED,
      provider: 'cpu',
    });
  }

  /** The request fields for the next generation. */
  toRequest(): Pick<GenerateRequest, 'denoiserVariant' | 'compensation'> {
    if (this.precision === 'fp32') return {};
    return {
      denoiserVariant: variantNameOf(this.precision),
      ...(this.compensation === 'none' ? {} : { compensation: { method: this.compensation, ...(this.strength === null ? {} : { strength: this.strength }) } }),
    };
  }
}
