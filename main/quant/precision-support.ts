/**
 * Which precisions this build can write and run. W8A8 QDQ graphs run on ONNX Runtime's CPU
 * provider, which fuses them into int8 kernels (MatMulIntegerToFloat, QLinearConv); the GPU providers of this build
 * would run them through float fallbacks, so a quantized variant is refused there. The 4-bit
 * precisions are simulated on the same int8 kernels (quantize-model.ts SIMULATED_INT4).
 */
import type { ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import type { Precision } from '../../contract/quant';

export const WRITABLE_PRECISIONS: readonly Precision[] = ['w8a8', 'w4a8', 'w4a16'];

/** @throws StudioError PROVIDER_UNAVAILABLE for a precision or provider that cannot run a quantized denoiser */
export function checkPrecision(precision: Precision, provider: ProviderChoice): void {
  if (precision === 'fp32') return;
  if (!WRITABLE_PRECISIONS.includes(precision)) {
    throw new StudioError('PROVIDER_UNAVAILABLE', `Precision ${precision} is not available: this build has no kernels for it. Available: ${WRITABLE_PRECISIONS.join(', ')}.`, precision);
  }
  if (provider !== 'cpu' && provider !== 'auto') {
    throw new StudioError('PROVIDER_UNAVAILABLE', `Precision ${precision} runs on the cpu provider (int8 QDQ kernels); provider "${provider}" cannot run it. Use --provider cpu.`, provider);
  }
}
