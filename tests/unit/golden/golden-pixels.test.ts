/**
 * Golden pixels: fixed recipes on the bundled pipelines must keep producing the exact same
 * RGB bytes. The hashes in golden-pixels.json were recorded from the studio's own runs; any
 * change to the sampling loop, the schedulers, the cache policies, the noise generator or the
 * runtime glue that moves a single pixel value fails here.
 *
 * Each case goes through runGeneration (the path the CLI and the app share) and hashes the
 * decoded PNG's RGB bytes (sha256, hex). Cached methods that need a calibration profile get
 * one recorded by runProfiling on calibration prompts first, so the recorder is pinned too.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import type { CacheConfig } from '../../../contract/cache';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runProfiling } from '../../../main/cache/run-profiling';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { decodePng } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import GOLDEN from './golden-pixels.json';

interface GoldenCase {
  name: string;
  request: GenerateRequest;
  /** Calibration prompts to record a profile with first (for profiled cache methods). */
  profilePrompts?: string[];
}

const CALIBRATION = ['a smiling face', 'a red heart', 'a green tree'];

function req(model: string, overrides: Partial<GenerateRequest>): GenerateRequest {
  return { prompt: 'grinning face with big eyes', negativePrompt: '', steps: 10, cfg: 4, seed: 42, model, provider: 'cpu', scheduler: 'default', ...overrides };
}

const erta = (lambda: number): CacheConfig => ({ method: 'ertacache', lambda, timeAdjustment: true, rectification: 'channel', phiReference: 'velocity', signal: 'guided', reuseSet: 'placed' });

const CASES: GoldenCase[] = [
  { name: 'tiny ddim cfg5', request: req('tiny', { cfg: 5, negativePrompt: 'blurry', seed: 1234, steps: 8 }) },
  { name: 'tiny ddim unguided', request: req('tiny', { cfg: 1, steps: 6 }) },
  { name: 'tiny euler', request: req('tiny', { scheduler: 'euler', steps: 9 }) },
  { name: 'tiny dpmpp-2m', request: req('tiny', { scheduler: 'dpmpp-2m', steps: 12 }) },
  { name: 'tiny fora 2', request: req('tiny', { steps: 12, cache: { method: 'fora', interval: 2 } }) },
  { name: 'tiny easycache', request: req('tiny', { steps: 12, cache: { method: 'easycache', threshold: 0.2, warmupRatio: 0.2 } }) },
  { name: 'tiny magcache', request: req('tiny', { steps: 12, cache: { method: 'magcache', threshold: 0.3, maxSkips: 3, warmupRatio: 0.2 } }), profilePrompts: CALIBRATION },
  { name: 'tiny teacache', request: req('tiny', { steps: 12, cache: { method: 'teacache', threshold: 0.3, coefficients: null, maxConsecutiveSkips: 0 } }), profilePrompts: CALIBRATION },
  { name: 'tiny ertacache euler', request: req('tiny', { steps: 12, scheduler: 'euler', cache: erta(0.2) }), profilePrompts: CALIBRATION },
  { name: 'emoji flow-euler', request: req('emoji', { steps: 20 }) },
  { name: 'emoji ertacache', request: req('emoji', { steps: 20, seed: 7, cache: erta(0.15) }), profilePrompts: CALIBRATION },
  { name: 'emoji-small flow-euler', request: req('emoji-small', { steps: 16, seed: 3, prompt: 'red heart' }) },
];

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
const pipelines = new PipelineCache(1);

beforeAll(() => {
  paths = studioPaths(tempDir('studio-golden-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: 'golden', pipelines };
});
afterAll(async () => {
  db.close();
  await pipelines.clear();
  cleanupTempDirs();
});

async function pixelHash(c: GoldenCase): Promise<string> {
  const r = c.request;
  if (c.profilePrompts) {
    await runProfiling({ model: r.model, steps: r.steps, cfg: r.cfg, scheduler: r.scheduler, prompts: c.profilePrompts, provider: 'cpu', seed: 900 }, { registry: ctx.registry, db, pipelines });
  }
  const record = await runGeneration(r, ctx);
  return createHash('sha256').update(decodePng(fs.readFileSync(record.outputPath)).rgb).digest('hex');
}

describe('golden pixels', () => {
  test('every fixed recipe gives the recorded pixels', { timeout: 240_000 }, async () => {
    const actual: Record<string, string> = {};
    for (const c of CASES) actual[c.name] = await pixelHash(c);
    expect(actual).toEqual(GOLDEN);
  });
});
