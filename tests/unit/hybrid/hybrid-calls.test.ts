/** The hybrid panel's calls: compatible partners from the folders alone, and the endpoint check. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRemote, hybridPartners } from '../../../main/hybrid/hybrid-calls';
import { ModelRegistry } from '../../../main/models/model-registry';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { startV2Server, type V2Server } from '../../../main/serving/v2-server';
import { BUNDLED_PIPELINES, tempDir } from '../../helpers/runtime-fixture';

let served: OrtRunner;
let server: V2Server;
beforeAll(async () => {
  served = await OrtRunner.create(path.join(BUNDLED_PIPELINES, 'emoji', 'transformer', 'model.onnx'), { label: 'transformer/model.onnx', provider: 'cpu' });
  server = await startV2Server({ models: [{ name: 'emoji-transformer', runner: served }], port: 0, token: 'sesame' });
});
afterAll(async () => {
  await server.close();
  await served.dispose();
});

describe('hybrid.partners', () => {
  test('offers emoji-small for emoji with both MAC figures, and says why tiny cannot pair', async () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: tempDir() });
    const r = await hybridPartners({ model: 'emoji', steps: 50, scheduler: 'default' }, registry);
    expect(r).toMatchObject({ model: 'emoji', macsPerCall: 30785536, hasTinyVae: true, partners: [{ id: 'emoji-small', macsPerCall: 8372224 }] });
    expect(r.refused).toEqual([{ id: 'tiny', reason: expect.stringContaining('rule latent-space') }]);
  });
});

describe('hybrid.checkRemote', () => {
  test('reports what the server serves; a wrong token and a closed port fail clearly', async () => {
    const ok = await checkRemote({ url: server.modelUrl('emoji-transformer'), token: 'sesame' });
    expect(ok.inputs).toEqual(['hidden_states', 'timestep', 'encoder_hidden_states']);
    expect(ok.outputs).toContain('out_sample');
    await expect(checkRemote({ url: server.modelUrl('emoji-transformer'), token: 'wrong' })).rejects.toMatchObject({ code: 'REMOTE_AUTH' });
    await expect(checkRemote({ url: 'http://127.0.0.1:9/v2/models/emoji-transformer' })).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' });
  });
});
