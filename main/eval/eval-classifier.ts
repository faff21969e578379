/**
 * The evaluation classifier (classifier/model.onnx) on a ModelRunner:
 *
 *   images   float32 [batch, 3, H, W] in [−1, 1], RGB planes     (H, W: declared, else 64)
 *   logits   float32 [batch, C]      C = classes.json's length, in its order
 *   features float32 [batch, F]      the embedding the Fréchet distance is computed over
 *
 * Generated and real images go through the same packing (core/eval/rgb-to-chw.ts), in
 * batches of the model's fixed batch size or of CHUNK when the batch is symbolic. The
 * contract is checked when the session opens, so a wrong export fails before any image is
 * generated, with a message naming the input or output.
 */
import type { ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { frechetDistance } from '../../core/eval/frechet-distance';
import { rgb8BatchToChw } from '../../core/eval/rgb-to-chw';
import { concatFloat32, floatTensor, formatDims, toFloat32, type HostTensor, type ValueInfo } from '../runtime/host-tensor';
import { OrtRunner } from '../runtime/ort-runner';
import { findInput, findOutput, type ModelRunner } from '../runtime/runner';
import { EVAL_FILES } from './eval-assets';

/** Images per run when the model's batch dimension is symbolic. */
const CHUNK = 32;
/** Image side assumed when the model leaves H or W symbolic (the eval set's 64×64). */
const DEFAULT_SIDE = 64;

export interface ClassifierOutput {
  count: number;
  /** [count, numClasses] row-major. */
  logits: Float32Array;
  /** [count, featureDim] row-major. */
  features: Float32Array;
}

function layout(message: string): StudioError {
  return new StudioError('MODEL_LAYOUT', `${EVAL_FILES.classifier} ${message}`, EVAL_FILES.classifier);
}

export class EvalClassifier {
  readonly width: number;
  readonly height: number;
  private readonly fixedBatch: number | undefined;
  /** Feature size F, known after the first run (the output may declare it symbolically). */
  featureDim: number | undefined;

  private constructor(
    private readonly session: ModelRunner,
    private readonly input: ValueInfo,
    readonly classes: readonly string[],
  ) {
    const [batch, channels, h, w] = input.dims;
    if (input.dims.length !== 4 || (typeof channels === 'number' && channels !== 3)) {
      throw layout(`input "${input.name}" should be [batch, 3, H, W] but is ${formatDims(input.dims)}.`);
    }
    this.height = typeof h === 'number' ? h : DEFAULT_SIDE;
    this.width = typeof w === 'number' ? w : DEFAULT_SIDE;
    this.fixedBatch = typeof batch === 'number' ? batch : undefined;
    for (const name of ['logits', 'features']) {
      const out = findOutput(session, name);
      if (!out) throw layout(`has no output "${name}" (outputs: ${session.outputs.map((o) => o.name).join(', ')}).`);
      if (out.dims.length !== 2) throw layout(`output "${name}" should be [batch, size] but is ${formatDims(out.dims)}.`);
    }
    const c = findOutput(session, 'logits')?.dims[1];
    if (typeof c === 'number' && c !== classes.length) {
      throw layout(`outputs ${c} logits but ${EVAL_FILES.classes} lists ${classes.length} classes.`);
    }
  }

  /**
   * Loads the classifier.
   * @throws StudioError MODEL_CORRUPT | MODEL_LAYOUT | PROVIDER_UNAVAILABLE
   */
  static async open(modelPath: string, provider: ProviderChoice, classes: readonly string[]): Promise<EvalClassifier> {
    const session = await OrtRunner.create(modelPath, { label: EVAL_FILES.classifier, provider });
    try {
      const input = findInput(session, 'images');
      if (!input) throw layout(`should take an input named "images" (inputs: ${session.inputs.map((i) => i.name).join(', ')}).`);
      if (session.inputs.length !== 1) throw layout(`should take only "images" but declares ${session.inputs.map((i) => i.name).join(', ')}.`);
      return new EvalClassifier(session, input, classes);
    } catch (err) {
      await session.dispose();
      throw err;
    }
  }

  get provider(): string {
    return this.session.provider;
  }

  /**
   * Logits and features of `images` (each height·width·3 RGB bytes).
   * @throws StudioError MODEL_LAYOUT when an output has the wrong shape, INTERNAL on non-finite values
   */
  async classify(images: readonly Uint8Array[]): Promise<ClassifierOutput> {
    const step = this.fixedBatch ?? CHUNK;
    const logits: Float32Array[] = [];
    const features: Float32Array[] = [];
    for (let start = 0; start < images.length; start += step) {
      const group = images.slice(start, start + step);
      // A fixed batch larger than what is left is padded with mid-grey images, whose outputs are dropped.
      const padded = group.length < step && this.fixedBatch !== undefined
        ? [...group, ...Array.from({ length: step - group.length }, () => new Uint8Array(this.width * this.height * 3).fill(128))]
        : group;
      const dims = [padded.length, 3, this.height, this.width];
      const out = await this.session.run({ images: floatTensor(this.input.type, rgb8BatchToChw(padded, this.height, this.width), dims) }, ['logits', 'features']);
      logits.push(this.rows(out.logits, 'logits', padded.length, group.length, this.classes.length));
      features.push(this.rows(out.features, 'features', padded.length, group.length, undefined));
    }
    return { count: images.length, logits: concatFloat32(logits), features: concatFloat32(features) };
  }

  /** The first `keep` rows of a [batch, width] output, checked. */
  private rows(t: HostTensor | undefined, name: string, batch: number, keep: number, width: number | undefined): Float32Array {
    const [b, w] = t?.dims ?? [];
    if (!t || t.dims.length !== 2 || b !== batch || (width !== undefined && w !== width)) {
      throw layout(`output "${name}" is ${formatDims(t?.dims ?? [])}; expected [${batch}, ${width ?? 'F'}].`);
    }
    if (name === 'features') {
      if (this.featureDim !== undefined && w !== this.featureDim) throw layout(`output "features" changed size from ${this.featureDim} to ${w}.`);
      this.featureDim = w;
    }
    const data = toFloat32(t).subarray(0, keep * (w as number));
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new StudioError('INTERNAL', `${EVAL_FILES.classifier} produced a non-finite ${name} value (${data[bad]}).`);
    return data;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/** The Fréchet distance between the features of two classified image sets; null when either has fewer than 2 images. */
export function featureFrechet(a: ClassifierOutput, b: ClassifierOutput): number | null {
  if (a.count < 2 || b.count < 2) return null;
  const set = (out: ClassifierOutput) => ({ data: out.features, count: out.count, dim: out.features.length / out.count });
  return frechetDistance(set(a), set(b));
}
