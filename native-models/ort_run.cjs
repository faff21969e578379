// Runs one ONNX model with onnxruntime-node (CPU) on raw little-endian tensors, for
// native-models/studio_models/ort_check.py: the Python side has no onnxruntime, and the
// studio's runtime is onnxruntime-node anyway, so this checks the exports where they will run.
// Usage: node ort_run.cjs spec.json
//   spec = {model, inputs: [{name, dtype: "float32"|"int32"|"int64", dims, file}], outDir}
// Writes <outDir>/<output name>.bin (raw data) and <outDir>/outputs.json ({name: {dtype, dims}}).
const fs = require('node:fs');
const path = require('node:path');
const ort = require('onnxruntime-node');

const ARRAYS = { float32: Float32Array, int32: Int32Array, int64: BigInt64Array };

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, { executionProviders: ['cpu'] });
  const feeds = {};
  for (const input of spec.inputs) {
    const buf = fs.readFileSync(input.file);
    const Arr = ARRAYS[input.dtype];
    const data = new Arr(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    feeds[input.name] = new ort.Tensor(input.dtype, data, input.dims);
  }
  const results = await session.run(feeds);
  const meta = {};
  for (const [name, tensor] of Object.entries(results)) {
    fs.writeFileSync(path.join(spec.outDir, `${name}.bin`), Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    meta[name] = { dtype: tensor.type, dims: tensor.dims };
  }
  meta.__inputs = session.inputNames;
  fs.writeFileSync(path.join(spec.outDir, 'outputs.json'), JSON.stringify(meta));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
