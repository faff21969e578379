/** prompt.tokens counts with the model's own tokenizer and limit, the same the sampler enforces. */
import { describe, expect, test } from 'vitest';
import { ModelRegistry } from '../../../main/models/model-registry';
import { promptTokens } from '../../../main/models/prompt-tokens';
import { BUNDLED_PIPELINES, tempDir } from '../../helpers/runtime-fixture';

describe('promptTokens', () => {
  test('counts BOS and EOS, grows with the text, and gives the text encoder limit', () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: tempDir() });
    const empty = promptTokens({ model: 'emoji', texts: [''] }, registry);
    expect(empty.counts).toEqual([2]);
    const r = promptTokens({ model: 'emoji', texts: ['red heart', 'red heart red heart'] }, registry);
    expect(r.counts[1]).toBeGreaterThan(r.counts[0] as number);
    expect(r.limit).toBeGreaterThan(2);
    expect(() => promptTokens({ model: 'no-such-model', texts: ['x'] }, registry)).toThrow(/no-such-model/);
  });
});
