/** Shared test data for the store tests: temp folders and realistic generations. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Recipe, StageTimings } from '../../../contract/api';
import type { NewGeneration } from '../../../main/store/history-repo';

/** A fresh folder under the OS temp dir; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function tempDir(prefix = 'studio-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function recipe(overrides: Partial<Recipe> = {}): Recipe {
  return {
    prompt: 'a lighthouse at dusk',
    negativePrompt: 'blurry',
    steps: 20,
    cfg: 7.5,
    seed: 42,
    modelId: 'tiny-sd',
    modelHash: 'ab'.repeat(32),
    provider: 'cpu',
    providerRequested: 'auto',
    scheduler: 'EulerDiscreteScheduler',
    schedulerConfig: { num_train_timesteps: 1000, beta_schedule: 'scaled_linear' },
    width: 64,
    height: 64,
    noise: 'philox-box-muller@1',
    appVersion: '0.1.0',
    ...overrides,
  };
}

export const TIMINGS: StageTimings = { loadMs: 10, encodeMs: 2, denoiseMs: 50, modelMs: 45, decodeMs: 5, saveMs: 1, totalMs: 68 };

export function generation(overrides: Partial<Recipe> = {}, createdAt = '2025-01-02T03:04:05.000Z'): NewGeneration {
  return { createdAt, recipe: recipe(overrides), timings: TIMINGS, outputPath: `/tmp/out/${overrides.seed ?? 42}.png` };
}
