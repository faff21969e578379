/**
 * The motion classifier (motion/classifier.onnx) on a ModelRunner:
 *
 *   clips    float32 [batch, 3, T, H, W] in [−1, 1]   T frames resampled from the clip (core/eval/clip-frames.ts)
 *   logits   float32 [batch, M]                          M = classes.json's length, in its order
 *   features float32 [batch, D]                          the embedding the Fréchet distance is computed over
 *
 * T, H and W are read from the declared input (8, 64, 64 for the bundled export). The contract is
 * checked when the session opens, so a wrong export fails before any clip is generated.
 */
import type { ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { clipsToCthw, resampleIndices } from '../../core/eval/clip-frames';
import { concatFloat32, floatTensor, formatDims, toFloat32, type HostTensor, type ValueInfo } from '../runtime/host-tensor';
import { OrtRunner } from '../runtime/ort-runner';
import { findInput, findOutput, type ModelRunner } from '../runtime/runner';
import type { ClassifierOutput } from './eval-classifier';
import { MOTION_FILES } from './motion-assets';

/** Clips per run (the batch axis is symbolic). */
const CHUNK = 16;
const LABEL = `motion/${MOTION_FILES.classifier}`;

function layout(message: string): StudioError {
  return new StudioError('MODEL_LAYOUT', `${LABEL} ${message}`, LABEL);
}

export class MotionClassifier {
  private constructor(
    private readonly session: ModelRunner,
    private readonly input: ValueInfo,
    /** Frames per clip the classifier takes. */
    readonly frames: number,
    readonly height: number,
    readonly width: number,
    private readonly classes: number,
  ) {}

  /**
   * @throws StudioError MODEL_CORRUPT | MODEL_LAYOUT | PROVIDER_UNAVAILABLE
   */
  static async open(modelPath: string, provider: ProviderChoice, classes: number): Promise<MotionClassifier> {
    const session = await OrtRunner.create(modelPath, { label: LABEL, provider });
    try {
      const input = findInput(session, 'clips');
      if (!input || session.inputs.length !== 1) throw layout(`should take one input named "clips" (inputs: ${session.inputs.map((i) => i.name).join(', ')}).`);
      const [, channels, t, h, w] = input.dims;
      if (input.dims.length !== 5 || channels !== 3 || typeof t !== 'number' || typeof h !== 'number' || typeof w !== 'number') {
        throw layout(`input "clips" should be [batch, 3, T, H, W] with fixed T, H, W but is ${formatDims(input.dims)}.`);
      }
      for (const name of ['logits', 'features']) {
        if (!findOutput(session, name)) throw layout(`has no output "${name}" (outputs: ${session.outputs.map((o) => o.name).join(', ')}).`);
      }
      const m = findOutput(session, 'logits')?.dims[1];
      if (typeof m === 'number' && m !== classes) throw layout(`outputs ${m} logits but motion/${MOTION_FILES.classes} lists ${classes} motions.`);
      return new MotionClassifier(session, input, t, h, w, classes);
    } catch (err) {
      await session.dispose();
      throw err;
    }
  }

  /**
   * Logits and features of `clips` (each a list of H·W·3 RGB frames, at least 2), every clip
   * resampled to the classifier's T frames.
   * @throws StudioError INVALID_REQUEST (frame size) | MODEL_LAYOUT (output shape) | INTERNAL (non-finite output)
   */
  async classify(clips: readonly (readonly Uint8Array[])[]): Promise<ClassifierOutput> {
    const logits: Float32Array[] = [];
    const features: Float32Array[] = [];
    for (let start = 0; start < clips.length; start += CHUNK) {
      const group = clips.slice(start, start + CHUNK);
      let packed: Float32Array;
      try {
        packed = clipsToCthw(group, resampleIndices(group[0]?.length ?? 0, this.frames), this.height, this.width);
      } catch (err) {
        throw new StudioError('INVALID_REQUEST', `The clips cannot go to ${LABEL}: ${err instanceof Error ? err.message : String(err)}`, 'model');
      }
      const dims = [group.length, 3, this.frames, this.height, this.width];
      const out = await this.session.run({ clips: floatTensor(this.input.type, packed, dims) }, ['logits', 'features']);
      logits.push(this.rows(out.logits, 'logits', group.length, this.classes));
      features.push(this.rows(out.features, 'features', group.length, undefined));
    }
    return { count: clips.length, logits: concatFloat32(logits), features: concatFloat32(features) };
  }

  private rows(t: HostTensor | undefined, name: string, batch: number, width: number | undefined): Float32Array {
    const [b, w] = t?.dims ?? [];
    if (!t || t.dims.length !== 2 || b !== batch || (width !== undefined && w !== width)) {
      throw layout(`output "${name}" is ${formatDims(t?.dims ?? [])}; expected [${batch}, ${width ?? 'D'}].`);
    }
    const data = toFloat32(t);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new StudioError('INTERNAL', `${LABEL} produced a non-finite ${name} value (${data[bad]}).`);
    return data;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
