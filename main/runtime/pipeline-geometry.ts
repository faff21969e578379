/**
 * Latent and image sizes of a pipeline, read from the model files rather than assumed.
 *
 * Sources, first one that answers wins:
 *   latent [C, h, w]  1. the denoiser's declared `sample`/`hidden_states` dims when fixed
 *                        ([B, C, h, w], or [B, C, F, h, w] for a video denoiser)
 *                     2. <denoiser>/config.json in_channels + sample_size (diffusers UNet config)
 *                     3. vae_decoder/config.json latent_channels + sample_size / vaeScale
 *   vaeScale          1. vae_decoder's declared output H / input h when both are fixed
 *                     2. 2^(len(block_out_channels) - 1) from vae_decoder/config.json (diffusers)
 *                     3. 8, the factor of every Stable Diffusion VAE
 *   image W×H = latent w×h · vaeScale
 */
import { StudioError } from '../../contract/errors';
import type { OnnxSummary, OnnxValueInfo } from './onnx-proto';
import type { PipelineLayout } from './pipeline-layout';

export interface PipelineGeometry {
  latentChannels: number;
  latentHeight: number;
  latentWidth: number;
  /** Pixels per latent cell along each axis. */
  vaeScale: number;
  width: number;
  height: number;
}

/** Input names a denoiser's noisy-latent input goes by: UNet exports and DiT/transformer exports. */
export const SAMPLE_INPUT_NAMES = ['sample', 'hidden_states'] as const;

function fixed(dim: number | string | undefined): number | undefined {
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function sampleInput(summary: OnnxSummary): OnnxValueInfo | undefined {
  return summary.inputs.find((i) => (SAMPLE_INPUT_NAMES as readonly string[]).includes(i.name)) ?? summary.inputs[0];
}

function vaeScaleOf(layout: PipelineLayout): number {
  const vaeIn = layout.onnx.vaeDecoder.inputs[0]?.dims ?? [];
  const vaeOut = layout.onnx.vaeDecoder.outputs[0]?.dims ?? [];
  const h = fixed(vaeIn[2]);
  const H = fixed(vaeOut[2]);
  if (h && H && H % h === 0) return H / h;
  const blocks = layout.vaeConfig?.block_out_channels;
  if (Array.isArray(blocks) && blocks.length > 0) return 2 ** (blocks.length - 1);
  return 8;
}

/**
 * @throws StudioError MODEL_LAYOUT when no source gives the latent size
 */
export function pipelineGeometry(layout: PipelineLayout): PipelineGeometry {
  const vaeScale = vaeScaleOf(layout);
  const dims = sampleInput(layout.onnx.denoiser)?.dims ?? [];
  // A video denoiser's input is [B, C, F, h, w]: the frame axis sits between channels and height.
  const [c0, h0, w0] = dims.length === 5 ? [dims[1], dims[3], dims[4]] : [dims[1], dims[2], dims[3]];
  let c = fixed(c0);
  let h = fixed(h0);
  let w = fixed(w0);
  const dc = layout.denoiserConfig;
  if (dc) {
    c ??= positiveInt(dc.in_channels);
    const size = positiveInt(dc.sample_size);
    h ??= size;
    w ??= size;
  }
  const vc = layout.vaeConfig;
  if (vc) {
    c ??= positiveInt(vc.latent_channels);
    const size = positiveInt(vc.sample_size);
    if (size && size % vaeScale === 0) {
      h ??= size / vaeScale;
      w ??= size / vaeScale;
    }
  }
  if (!c || !h || !w) {
    throw new StudioError(
      'MODEL_LAYOUT',
      `Cannot tell the image size of ${layout.dir}: the ${layout.denoiser} input has no fixed dims and neither ${layout.denoiser}/config.json (in_channels, sample_size) nor vae_decoder/config.json (latent_channels, sample_size) gives them. Add sample_size to vae_decoder/config.json.`,
      layout.dir,
    );
  }
  return { latentChannels: c, latentHeight: h, latentWidth: w, vaeScale, width: w * vaeScale, height: h * vaeScale };
}
