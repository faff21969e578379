// Builds native-models/eval/emoji-bank.{json,f16}, the real-emoji feature bank of exact-emoji
// accuracy, from the emoji dataset of native-models/build_emoji_dataset.py (run that first).
// Bundles main/eval/emoji-bank-build.ts with esbuild, as scripts/build.mjs does, and runs it.
//   node scripts/build-emoji-bank.mjs [--eval-dir DIR] [--dataset DIR]
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'eval-dir': { type: 'string' }, dataset: { type: 'string' } } });
const evalDir = path.resolve(values['eval-dir'] ?? path.join(root, 'native-models', 'eval'));
const dataset = path.resolve(values.dataset ?? path.join(root, 'native-models', '.data', 'emoji'));

// Inside build/ (ignored by git) so that the bundle resolves onnxruntime-node from node_modules.
const outfile = path.join(root, 'build', 'emoji-bank-build.cjs');
try {
  await build({
    entryPoints: [path.join(root, 'main/eval/emoji-bank-build.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['onnxruntime-node'],
    logLevel: 'warning',
  });
  const { buildEmojiBank } = createRequire(import.meta.url)(outfile);
  const size = await buildEmojiBank(evalDir, dataset);
  console.log(`emoji bank: ${size.emoji} emoji (${size.heldOut} held out), ${size.rows} images -> ${evalDir}`);
} finally {
  fs.rmSync(outfile, { force: true });
}
