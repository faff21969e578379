/**
 * How many tokens each text takes with a model's tokenizer, against the model's limit: the
 * prompt field's counter, so a prompt that is too long shows before Generate instead of failing
 * after it. Reads only the tokenizer files (no model is loaded); each folder's tokenizer is kept
 * for the life of the process.
 */
import type { PromptTokens, PromptTokensRequest } from '../../contract/api';
import type { ClipTokenizer } from '../../core/text/clip-tokenizer';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import { loadTokenizer } from '../runtime/text-encoder';
import type { ModelRegistry } from './model-registry';

const cache = new Map<string, { tokenizer: ClipTokenizer; limit: number }>();

/** @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT */
export function promptTokens(req: PromptTokensRequest, registry: ModelRegistry): PromptTokens {
  const model = registry.resolve(req.model);
  let entry = cache.get(model.dir);
  if (entry === undefined) {
    const layout = checkPipelineLayout(model.dir);
    const tokenizer = loadTokenizer(layout);
    // The text encoder's fixed sequence length wins over the tokenizer's, as PromptEncoder reads it.
    const fixed = layout.onnx.textEncoder.inputs[0]?.dims[1];
    entry = { tokenizer, limit: typeof fixed === 'number' ? fixed : tokenizer.modelMaxLength };
    cache.set(model.dir, entry);
  }
  const { tokenizer, limit } = entry;
  return { limit, counts: req.texts.map((t) => tokenizer.encode(t).length) };
}
