/**
 * The job worker for tests that run the studio service in-process: main/jobs/job-worker.ts
 * bundled by esbuild from the current source (as scripts/build.mjs does), so a test never
 * runs a stale build/job-worker.cjs. The bundle goes under node_modules/.cache, inside the
 * repository, so its require() of onnxruntime-node and better-sqlite3 finds node_modules.
 */
import { buildSync } from 'esbuild';
import path from 'node:path';
import { nodeWorkerSpawner } from '../../main/jobs/node-worker';
import type { SpawnWorker } from '../../main/jobs/worker-channel';

const ROOT = path.resolve(__dirname, '../..');
let built: string | undefined;

/** Path of a fresh worker bundle (built once per test process). */
export function testWorkerScript(): string {
  if (built) return built;
  const outfile = path.join(ROOT, 'node_modules', '.cache', 'studio-tests', `job-worker-${process.pid}.cjs`);
  buildSync({
    entryPoints: [path.join(ROOT, 'main/jobs/job-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron', 'onnxruntime-node', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  built = outfile;
  return outfile;
}

export function testWorkerSpawner(): SpawnWorker {
  return nodeWorkerSpawner(testWorkerScript());
}
