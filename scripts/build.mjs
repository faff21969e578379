// Builds every runnable piece into build/ (node side, bundled by esbuild) and renderer/dist (vite).
// Native and runtime-loaded packages stay external: they load from node_modules at run time.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = ['electron', 'onnxruntime-node', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'];
// vega's Node build of vega-canvas probes the optional 'canvas' package with a top-level await,
// which a CommonJS bundle cannot hold; the studio renders charts to SVG only, so the browser
// build (no canvas outside a page) is the one bundled.
const alias = { 'vega-canvas': path.join(root, 'node_modules/vega-canvas/build/vega-canvas.browser.js') };

/** [entry, outfile] pairs; every node-side program the studio runs. */
const nodeEntries = [
  ['main/cli/index.ts', 'build/cli.cjs'],
  ['main/server/serve.ts', 'build/serve.cjs'],
  ['main/electron/main.ts', 'build/electron-main.cjs'],
  // The job worker: a child process (browser mode) or utility process (desktop) that hosts onnxruntime.
  ['main/jobs/job-worker.ts', 'build/job-worker.cjs'],
];

await Promise.all(
  nodeEntries.map(([entry, outfile]) =>
    build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, outfile),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      external,
      alias,
      logLevel: 'warning',
    }),
  ),
);

// A sandboxed preload may only require('electron'), so it is bundled into one file.
await build({
  entryPoints: [path.join(root, 'preload/index.ts')],
  outfile: path.join(root, 'build/preload.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron'],
  logLevel: 'warning',
});

await viteBuild({ configFile: path.join(root, 'renderer/vite.config.mts'), logLevel: 'warn' });
console.log('build: ok');
