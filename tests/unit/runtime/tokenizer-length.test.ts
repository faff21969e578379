import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPipeline } from '../../../main/runtime/loaded-pipeline';
import { cleanupTempDirs, copyTiny } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

/** The tiny fixture with its tokenizer_config.json edited; its text encoder's position table holds 32 tokens. */
function tinyWithTokenizerConfig(edit: (config: Record<string, unknown>) => void): string {
  const dir = copyTiny();
  const file = path.join(dir, 'tokenizer', 'tokenizer_config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(config);
  fs.writeFileSync(file, JSON.stringify(config));
  return dir;
}

describe('a tokenizer length the text encoder cannot read is a model error at load', () => {
  test.each([
    ['model_max_length 64', (c: Record<string, unknown>) => (c.model_max_length = 64), /sets model_max_length to 64/],
    ['no model_max_length', (c: Record<string, unknown>) => delete c.model_max_length, /has no model_max_length, so 77 tokens/],
    ['model_max_length "lots"', (c: Record<string, unknown>) => (c.model_max_length = 'lots'), /has an unusable model_max_length \("lots"\), so 77 tokens/],
  ])('%s → MODEL_CORRUPT naming tokenizer_config.json, no onnxruntime text', async (_name, edit, setting) => {
    const dir = tinyWithTokenizerConfig(edit);
    const err = (await loadPipeline(dir, 'cpu').catch((e: unknown) => e)) as { code: string; message: string; detail: string };
    expect(err.code).toBe('MODEL_CORRUPT');
    expect(err.message).toMatch(setting);
    expect(err.message).toContain('text_encoder/model.onnx cannot read prompts of that many tokens');
    expect(err.detail).toBe(path.join(dir, 'tokenizer', 'tokenizer_config.json'));
    expect(err.message).not.toMatch(/onnxruntime|ONNXRuntimeError|node_modules|\n/i);
  });

  test('the shipped length (32) loads', async () => {
    const pipeline = await loadPipeline(tinyWithTokenizerConfig(() => undefined), 'cpu');
    expect(pipeline.textEncoder.sequenceLength).toBe(32);
    await pipeline.dispose();
  });
});
