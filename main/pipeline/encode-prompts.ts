/**
 * Prompt embeddings for a clip: the negative prompt (the uncond branch, only under guidance) and
 * one or more prompts, encoded in one text-encoder call, then split into one [L, D] row each.
 */
import type { PromptEncoder } from '../runtime/text-encoder';
import type { PromptContext } from './runner-denoise-model';

export interface EncodedPrompts {
  /** [L, D] of the negative prompt; absent without guidance. */
  uncond?: Float32Array;
  /** [L, D] per prompt, in the order given. */
  conds: Float32Array[];
  dims: readonly [number, number];
}

/** @throws StudioError PROMPT_TOO_LONG naming which prompt */
export async function encodePrompts(encoder: PromptEncoder, negativePrompt: string, prompts: readonly { text: string; what: string }[], guided: boolean): Promise<EncodedPrompts> {
  const conds = prompts.map((p) => encoder.tokenize(p.text, p.what));
  const ids = guided ? [encoder.tokenize(negativePrompt, 'Negative prompt'), ...conds] : conds;
  const out = await encoder.encode(ids);
  const per = out.sequenceLength * out.hiddenSize;
  const rows = ids.map((_, i) => out.data.slice(i * per, (i + 1) * per));
  return { ...(guided ? { uncond: rows[0] as Float32Array } : {}), conds: guided ? rows.slice(1) : rows, dims: [out.sequenceLength, out.hiddenSize] };
}

/** The denoiser's context for one sampling: [uncond, cond] under guidance, else [cond]. */
export function promptContext(encoded: EncodedPrompts, cond: Float32Array): PromptContext {
  const { uncond, dims } = encoded;
  if (uncond === undefined) return { data: cond, dims };
  const data = new Float32Array(uncond.length + cond.length);
  data.set(uncond, 0);
  data.set(cond, uncond.length);
  return { data, dims };
}
