/**
 * Which ONNX file of a pipeline a serving command works on: `<component>/model.onnx`, the
 * denoiser's folder (transformer/ or unet/) unless another component is named.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelInfo } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { servedModelName } from './served-model';

export interface ComponentFile {
  component: string;
  /** Absolute path of the .onnx file. */
  file: string;
  /** 'transformer/model.onnx': how messages name it. */
  label: string;
  /** The served / exported model name, `<model id>-<component>`. */
  name: string;
}

/** Component folders of `dir` that hold a model.onnx. */
function servable(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'model.onnx')))
    .map((e) => e.name)
    .sort();
}

/** @throws StudioError INVALID_REQUEST when the component has no model.onnx (naming those that do) */
export function componentFile(model: ModelInfo, component: string = model.denoiser): ComponentFile {
  const file = path.join(model.dir, component, 'model.onnx');
  if (!/^[A-Za-z0-9_]+$/.test(component) || !fs.existsSync(file)) {
    throw new StudioError('INVALID_REQUEST', `Model "${model.id}" has no component "${component}" with a model.onnx; it has: ${servable(model.dir).join(', ')}.`, 'component');
  }
  return { component, file, label: `${component}/model.onnx`, name: servedModelName(model.id, component) };
}
