/**
 * Latents → image: vae_decoder/model.onnx.
 *
 * Input `latent_sample` [B, C, h, w], output `sample` [B, 3, H, W] with values nominally in
 * [-1, 1]. Diffusion runs in a latent space scaled to unit variance, so latents are divided
 * by the VAE's `scaling_factor` before decoding (and `shift_factor` added back, for VAEs
 * such as SD3's that also centre them), exactly as diffusers does:
 *   decoded = vae.decode(latents / scaling_factor + shift_factor)
 *
 * scaling_factor comes from vae_decoder/config.json (Optimum writes it there). When absent
 * it defaults to 0.18215, the factor of Stable Diffusion 1.x/2.x, whose ONNX exports from
 * diffusers' own conversion script carry no config.json.
 */
import { StudioError } from '../../contract/errors';
import { elementCount, floatTensor, toFloat32, type ValueInfo } from './host-tensor';
import type { ModelRunner } from './runner';
import { findInput, findOutput, inputNames } from './runner';

/** Stable Diffusion 1.x/2.x VAE latent scale, used when vae_decoder/config.json does not say. */
export const DEFAULT_SCALING_FACTOR = 0.18215;

export interface DecodedImage {
  /** [B, 3, H, W] float32, nominally in [-1, 1]. */
  data: Float32Array;
  dims: number[];
}

export class VaeDecoder {
  private readonly input: ValueInfo;
  private readonly outputName: string;
  readonly scalingFactor: number;
  readonly shiftFactor: number;

  constructor(
    readonly runner: ModelRunner,
    config: Record<string, unknown> | undefined,
  ) {
    const input = findInput(runner, 'latent_sample') ?? runner.inputs[0];
    if (!input || runner.inputs.length !== 1) {
      throw new StudioError('MODEL_LAYOUT', `${runner.label} should take one input (latent_sample) but declares ${inputNames(runner) || 'none'}.`);
    }
    this.input = input;
    this.outputName = findOutput(runner, 'sample')?.name ?? runner.outputs[0]?.name ?? 'sample';
    const scale = config?.scaling_factor;
    const shift = config?.shift_factor;
    if (scale !== undefined && (typeof scale !== 'number' || !(scale > 0))) {
      throw new StudioError('MODEL_CORRUPT', `vae_decoder/config.json scaling_factor must be a positive number (got ${JSON.stringify(scale)}).`);
    }
    this.scalingFactor = scale ?? DEFAULT_SCALING_FACTOR;
    this.shiftFactor = typeof shift === 'number' && Number.isFinite(shift) ? shift : 0;
  }

  /**
   * @param latents [B, C, h, w] float32 denoised latents (in the diffusion's scaled space)
   * @param dims [B, C, h, w]
   */
  async decode(latents: Float32Array, dims: readonly number[]): Promise<DecodedImage> {
    if (latents.length !== elementCount(dims)) {
      throw new StudioError('INTERNAL', `VAE decoder got ${latents.length} values for dims [${dims.join(',')}].`);
    }
    const scaled = new Float32Array(latents.length);
    for (let i = 0; i < latents.length; i++) scaled[i] = (latents[i] as number) / this.scalingFactor + this.shiftFactor;
    const out = await this.runner.run({ [this.input.name]: floatTensor(this.input.type, scaled, dims) }, [this.outputName]);
    const image = out[this.outputName];
    if (!image || image.dims.length !== 4 || image.dims[1] !== 3) {
      throw new StudioError('MODEL_LAYOUT', `${this.runner.label} output ${this.outputName} should be [batch, 3, height, width] but is [${image?.dims.join(',')}].`);
    }
    return { data: toFloat32(image), dims: [...image.dims] };
  }
}
