/**
 * `studio export-triton [--model ID] [--component C] --out DIR [--force]`
 *
 * Writes a Triton model repository entry for one ONNX component of a pipeline (the denoiser by
 * default): DIR/<model id>-<component>/config.pbtxt and the ONNX file under 1/ (see
 * main/serving/triton-export.ts). Start Triton with `--model-repository=DIR`.
 */
import { parseArgs } from 'node:util';
import { componentFile } from '../serving/component-file';
import { exportTritonModel } from '../serving/triton-export';
import type { CliContext } from './cli-context';
import { requiredText } from './cli-options';

export const EXPORT_TRITON_HELP = `Usage: studio export-triton [--model ID] [--component C] --out DIR [--force]

Writes DIR/<model>-<component>/config.pbtxt (platform onnxruntime_onnx, max_batch_size 0,
dims from the ONNX graph with -1 for variable ones) and the model under 1/ (directory form,
model.onnx/model.onnx plus its weights file, when the weights are external).
Serve it with: tritonserver --model-repository=DIR

  --out DIR         repository folder (required; created if missing)
  --model ID|DIR    model (default: the default model)
  --component C     folder of the ONNX file (default: the denoiser, transformer or unet)
  --force           replace DIR/<name> when it exists and is not empty`;

export function exportTritonCommand(args: string[], ctx: CliContext): number {
  const { values } = parseArgs({
    args,
    options: { model: { type: 'string' }, component: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
    strict: true,
  });
  const outDir = requiredText('out', values.out);
  const model = ctx.registry.resolve(values.model ?? ctx.registry.defaultModel().id);
  const target = componentFile(model, values.component);
  const result = exportTritonModel({ modelFile: target.file, label: target.label, name: target.name, outDir, force: values.force ?? false });
  process.stdout.write(`${result.dir}\n`);
  for (const f of result.files) process.stdout.write(`  ${f}\n`);
  return 0;
}
