/**
 * The job worker for tests that run the studio service in-process: main/jobs/job-worker.ts
 * bundled by esbuild from the current source (as scripts/build.mjs does), so a test never
 * runs a stale build/job-worker.cjs. The bundle goes under node_modules/.cache, inside the
 * repository, so its require() of onnxruntime-node and better-sqlite3 finds node_modules;
 * it is named by its content's hash, so test processes share one file per source version.
 */
import { buildSync } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { nodeWorkerSpawner } from '../../main/jobs/node-worker';
import type { SpawnWorker } from '../../main/jobs/worker-channel';

const ROOT = path.resolve(__dirname, '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'studio-tests');
let built: string | undefined;

/** Path of a worker bundle of the current source (built once per test process). */
export function testWorkerScript(): string {
  if (built) return built;
  const result = buildSync({
    entryPoints: [path.join(ROOT, 'main/jobs/job-worker.ts')],
    outfile: path.join(CACHE_DIR, 'job-worker.cjs'),
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron', 'onnxruntime-node', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no job worker bundle');
  const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = path.join(CACHE_DIR, `job-worker-${hash}.cjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a parallel test process never forks half a file.
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, file);
  }
  built = file;
  return file;
}

export function testWorkerSpawner(): SpawnWorker {
  return nodeWorkerSpawner(testWorkerScript());
}
