/**
 * Prompt → CLIP embeddings: tokenizer/ + text_encoder/model.onnx.
 *
 * Input `input_ids` [B, L] is int32 in diffusers' own export and int64 in others; the
 * declared type decides. L is the input's fixed length when the model declares one, else
 * the tokenizer's model_max_length. Output `last_hidden_state` [B, L, D] (or the first
 * output) is what a denoiser's `encoder_hidden_states` takes.
 *
 * Unlike diffusers, which truncates long prompts with a warning, an over-long prompt is an
 * error: silently dropping words makes an image that does not match its recorded prompt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { ClipTokenizer, PromptTooLongError, type ClipTokenizerConfig } from '../../core/text/clip-tokenizer';
import { intTensor, toFloat32, type ValueInfo } from './host-tensor';
import type { ModelRunner } from './runner';
import { findInput, findOutput, inputNames } from './runner';
import type { PipelineLayout } from './pipeline-layout';

/** Token strings in tokenizer_config.json are either "…" or {"content": "…"}. */
function tokenString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/** Reads tokenizer/ files. @throws StudioError MODEL_CORRUPT when they do not form a CLIP tokenizer. */
export function loadTokenizer(layout: PipelineLayout): ClipTokenizer {
  const tc = layout.tokenizerConfig ?? {};
  const config: ClipTokenizerConfig = {};
  const max = tc.model_max_length;
  // HF writes a huge sentinel (1e30) when the length is unknown; only a sane value counts.
  if (typeof max === 'number' && Number.isInteger(max) && max > 2 && max <= 4096) config.modelMaxLength = max;
  const bos = tokenString(tc.bos_token);
  const eos = tokenString(tc.eos_token);
  const pad = tokenString(tc.pad_token);
  if (bos) config.bosToken = bos;
  if (eos) config.eosToken = eos;
  if (pad) config.padToken = pad;
  const dir = path.join(layout.dir, 'tokenizer');
  try {
    return ClipTokenizer.fromFiles(
      fs.readFileSync(path.join(dir, 'vocab.json'), 'utf8'),
      fs.readFileSync(path.join(dir, 'merges.txt'), 'utf8'),
      config,
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StudioError('MODEL_CORRUPT', `tokenizer/ in ${layout.dir} is not a usable CLIP tokenizer: ${reason}. Download the model again.`, dir);
  }
}

/** Embeddings of a batch of prompts: data is [batch, sequenceLength, hiddenSize] row-major. */
export interface PromptEmbeddings {
  data: Float32Array;
  batch: number;
  sequenceLength: number;
  hiddenSize: number;
}

export class PromptEncoder {
  private readonly ids: ValueInfo;
  private readonly outputName: string;
  /** Tokens per prompt fed to the model (BOS + text + EOS + padding). */
  readonly sequenceLength: number;

  constructor(
    readonly runner: ModelRunner,
    readonly tokenizer: ClipTokenizer,
  ) {
    const ids = findInput(runner, 'input_ids') ?? runner.inputs[0];
    if (!ids || runner.inputs.length !== 1) {
      throw new StudioError(
        'MODEL_LAYOUT',
        `${runner.label} should take one input (input_ids) but declares ${inputNames(runner) || 'none'}.`,
      );
    }
    this.ids = ids;
    this.outputName = findOutput(runner, 'last_hidden_state')?.name ?? runner.outputs[0]?.name ?? 'last_hidden_state';
    const fixedLength = ids.dims[1];
    this.sequenceLength = typeof fixedLength === 'number' ? fixedLength : tokenizer.modelMaxLength;
  }

  /**
   * Token ids padded to sequenceLength.
   * @param what 'Prompt' or 'Negative prompt', for the error message
   * @throws StudioError PROMPT_TOO_LONG
   */
  tokenize(text: string, what = 'Prompt'): Int32Array {
    try {
      return this.tokenizer.encodePadded(text, this.sequenceLength);
    } catch (err) {
      if (err instanceof PromptTooLongError) {
        throw new StudioError('PROMPT_TOO_LONG', `${what} is ${err.tokenCount} tokens; this model accepts at most ${err.maxTokens}.`, what);
      }
      throw err;
    }
  }

  /** Runs the text encoder on every prompt at once (or one at a time if the export fixes batch 1). */
  async encode(tokenized: readonly Int32Array[]): Promise<PromptEmbeddings> {
    const L = this.sequenceLength;
    const fixedBatch = this.ids.dims[0];
    const chunk = typeof fixedBatch === 'number' ? fixedBatch : tokenized.length;
    const parts: Float32Array[] = [];
    let hiddenSize = 0;
    for (let start = 0; start < tokenized.length; start += chunk) {
      const group = tokenized.slice(start, start + chunk);
      const flat = new Int32Array(group.length * L);
      group.forEach((ids, k) => flat.set(ids, k * L));
      const out = await this.runner.run({ [this.ids.name]: intTensor(this.ids.type, flat, [group.length, L]) }, [this.outputName]);
      const hidden = out[this.outputName];
      if (!hidden || hidden.dims.length !== 3 || hidden.dims[1] !== L) {
        throw new StudioError('MODEL_LAYOUT', `${this.runner.label} output ${this.outputName} should be [batch, ${L}, hidden] but is [${hidden?.dims.join(',')}].`);
      }
      hiddenSize = hidden.dims[2] as number;
      parts.push(toFloat32(hidden));
    }
    const data = new Float32Array(tokenized.length * L * hiddenSize);
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.length;
    }
    return { data, batch: tokenized.length, sequenceLength: L, hiddenSize };
  }
}

/**
 * Runs the text encoder once on an empty prompt at load, so a token length it cannot read (a
 * tokenizer_config.json `model_max_length` larger than the encoder's position table, or a
 * missing one that falls back to CLIP's 77) fails at once with a sentence naming the setting,
 * instead of onnxruntime's shape error at the first Generate. Costs one encoder run per load.
 * @throws StudioError MODEL_CORRUPT
 */
export async function checkTokenizerFits(encoder: PromptEncoder, layout: PipelineLayout): Promise<void> {
  try {
    await encoder.encode([encoder.tokenize('')]);
  } catch (err) {
    if (!(err instanceof StudioError) || (err.code !== 'INTERNAL' && err.code !== 'MODEL_LAYOUT')) throw err;
    // A length fixed by the encoder's own input dims is not the tokenizer's doing.
    if (encoder.sequenceLength !== encoder.tokenizer.modelMaxLength) throw err;
    const file = path.join(layout.dir, 'tokenizer', 'tokenizer_config.json');
    const declared = layout.tokenizerConfig?.model_max_length;
    const setting =
      declared === undefined
        ? `has no model_max_length, so ${encoder.sequenceLength} tokens (CLIP's default) were used`
        : encoder.tokenizer.modelMaxLength === declared
          ? `sets model_max_length to ${encoder.sequenceLength}`
          : `has an unusable model_max_length (${JSON.stringify(declared).slice(0, 40)}), so ${encoder.sequenceLength} tokens were used`;
    throw new StudioError(
      'MODEL_CORRUPT',
      `${layout.dir}: tokenizer/tokenizer_config.json ${setting}, but ${encoder.runner.label} cannot read prompts of that many tokens. Set model_max_length to the length the text encoder was exported for (e.g. 77 for Stable Diffusion).`,
      file,
    );
  }
}

