/**
 * Live previews of one txt2img run. The preview hook (core/sampling/preview-hook.ts) keeps the
 * predicted clean latent of the steps its schedule admits; `flush`, awaited by the loop after
 * each step, decodes it and hands the frame on. Decoding between steps, not beside them, keeps
 * the time each preview costs measurable and the run's own model time untouched.
 *
 * The decoder is the cheapest the pipeline has: its tiny VAE decoder (vae_decoder_tiny/) in a
 * one-thread session of its own (LoadedPipeline.previewDecoder), else its full VAE decoder. It is
 * loaded, and run once on a zero latent the first time a process uses it (a session's first
 * run and the JIT of the PNG path cost ten times a warm one), before sampling starts, so that
 * one-off cost never counts against a run's preview budget.
 *
 * A preview that fails (a decoder error, a closed channel) ends previews for the run and is
 * reported in `stats().failure`; it never fails the run, whose pixels previews cannot change.
 */
import type { Scheduler } from '../../core/sampler/types';
import { defaultPreviewPolicy, type PreviewPolicy, PreviewSchedule } from '../../core/sampling/preview-schedule';
import { type PreviewHook, previewHook } from '../../core/sampling/preview-hook';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { VaeDecoder } from '../runtime/vae-decoder';
import { previewImage } from './preview-image';

/** One preview, ready to send. */
export interface PreviewFrame {
  /** Steps done when it was taken, 1..totalSteps−1. */
  step: number;
  totalSteps: number;
  width: number;
  height: number;
  /** `data:image/png;base64,…` within PREVIEW_LIMITS. */
  dataUrl: string;
}

export interface PreviewStats {
  /** Which decoder made the previews. */
  decoder: 'tiny' | 'full';
  /** Previews made, and the milliseconds they took in all (x̂₀, decode, PNG, hand-over). */
  count: number;
  ms: number;
  /** Why previews stopped early, if one failed. */
  failure?: string;
}

export interface PreviewSessionOptions {
  /** The pipeline whose decoder previews (a hybrid run's large pipeline). */
  pipeline: Pick<LoadedPipeline, 'previewDecoder' | 'vaeDecoder'>;
  /** The scheduler the run samples with (its σ grid and prediction type). */
  scheduler: Pick<Scheduler, 'predictionType' | 'sigmas' | 'numSteps'>;
  cfg: number;
  /** [1, C, h, w] */
  latentDims: readonly number[];
  onFrame: (frame: PreviewFrame) => void;
  policy?: PreviewPolicy;
  now?: () => number;
}

/** Decoders that have made one preview in this process. */
const warmed = new WeakSet<VaeDecoder>();

async function warm(decoder: VaeDecoder, latentDims: readonly number[]): Promise<VaeDecoder> {
  if (warmed.has(decoder)) return decoder;
  previewImage(await decoder.decode(new Float32Array(latentDims.reduce((a, b) => a * b, 1)), latentDims));
  warmed.add(decoder);
  return decoder;
}

export class PreviewSession {
  readonly hook: PreviewHook;
  readonly #schedule: PreviewSchedule;
  readonly #decoder: VaeDecoder;
  readonly #kind: PreviewStats['decoder'];
  readonly #options: PreviewSessionOptions;
  readonly #now: () => number;
  #failure: string | undefined;

  private constructor(options: PreviewSessionOptions, decoder: VaeDecoder, kind: PreviewStats['decoder']) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#decoder = decoder;
    this.#kind = kind;
    this.#schedule = new PreviewSchedule(options.scheduler.numSteps, options.policy ?? defaultPreviewPolicy(options.scheduler.numSteps), this.#now);
    this.hook = previewHook(options.scheduler, options.cfg, this.#schedule, this.#now);
  }

  /** Picks and loads the decoder; start the session right before sampling (its budget clock starts here). */
  static async start(options: PreviewSessionOptions): Promise<PreviewSession> {
    let tiny: VaeDecoder | undefined;
    try {
      tiny = await options.pipeline.previewDecoder?.();
      return new PreviewSession(options, await warm(tiny ?? options.pipeline.vaeDecoder, options.latentDims), tiny ? 'tiny' : 'full');
    } catch (err) {
      // No previews for this run, but the run itself goes on.
      const session = new PreviewSession(options, tiny ?? options.pipeline.vaeDecoder, tiny ? 'tiny' : 'full');
      session.#fail(err);
      return session;
    }
  }

  /** Decodes and hands on the preview the last step captured, if any (await it between steps). */
  async flush(): Promise<void> {
    const pending = this.hook.take();
    if (pending === undefined) return;
    try {
      const decoded = await this.#decoder.decode(pending.x0, this.#options.latentDims);
      const image = previewImage(decoded);
      if (image !== undefined) {
        this.#options.onFrame({ step: pending.stepIndex + 1, totalSteps: this.#options.scheduler.numSteps, width: image.width, height: image.height, dataUrl: image.dataUrl });
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      // A failed preview still counts its time, and the next one waits for the budget.
      this.#schedule.end(this.#now() - pending.startedAt);
    }
  }

  #fail(err: unknown): void {
    this.#failure = err instanceof Error ? err.message : String(err);
    this.#schedule.stop();
  }

  stats(): PreviewStats {
    return { decoder: this.#kind, ...this.#schedule.spent, ...(this.#failure === undefined ? {} : { failure: this.#failure }) };
  }
}
