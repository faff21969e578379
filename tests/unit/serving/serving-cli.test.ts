/**
 * `studio serve-model` and `studio export-triton` as users run them: the CLI bundled by esbuild
 * (tests/helpers/cli-bundle.ts) and spawned under plain Node. serve-model prints its
 * model URL on one line, serves the remote runner with a token, and exits 0 on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RemoteRunner } from '../../../main/runtime/remote-runner';
import { bundleCli, removeCliBundles, runStudio, studioEnv } from '../../helpers/cli-bundle';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { openTinyTransformer, tinyFeeds } from './serving-fixture';

let cli: string;
let home: string;

beforeAll(async () => {
  cli = await bundleCli('serving');
  home = tempDir('studio-serving-home-');
}, 60_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const noToken = { STUDIO_SERVE_TOKEN: undefined };
const studio = (...args: string[]) => runStudio(cli, { home, args, env: noToken });

/** The first stdout line of `child`, or a rejection after `ms` or when it exits first. */
function firstLine(child: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no line within ${ms} ms; stderr: ${err}`)), ms);
    child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing; stderr: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('studio serve-model', () => {
  test('prints the model URL, serves a token-guarded remote run bit-identical to a local one, exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'serve-model', '--model', 'tiny', '--port', '0', '--token', 'tok-123', '--provider', 'cpu'], { cwd: tempDir(), env: studioEnv(home, noToken), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    try {
      const url = await firstLine(child, 30_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/models\/tiny-transformer$/);
      const remote = await RemoteRunner.connect(url, { token: 'tok-123', timeoutMs: 20_000 });
      const local = await openTinyTransformer();
      try {
        const feeds = tinyFeeds(2, 31);
        const far = (await remote.run(feeds, ['out_sample'])).out_sample!.data as Float32Array;
        const near = (await local.run(feeds, ['out_sample'])).out_sample!.data as Float32Array;
        expect(Buffer.from(far.buffer, far.byteOffset, far.byteLength).equals(Buffer.from(near.buffer))).toBe(true);
      } finally {
        await remote.dispose();
        await local.dispose();
      }
      child.kill('SIGTERM');
      expect(await exitOf(child, 15_000)).toBe(0);
      expect(stderr).toMatch(/serving tiny transformer\/model\.onnx on cpu \(bearer token required\)/);
      expect(stderr).toMatch(/SIGTERM: closing/);
      expect(stderr).not.toContain('tok-123');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('an unknown component is refused, naming the ones the model has', () => {
    const r = studio('serve-model', '--model', 'tiny', '--component', 'unet', '--port', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INVALID_REQUEST.*no component "unet".*it has: text_encoder, transformer, vae_decoder, vae_encoder/);
  });
});

describe('studio export-triton', () => {
  test('writes the repository, refuses to overwrite it, replaces it with --force', () => {
    const out = tempDir('triton-cli-');
    const first = studio('export-triton', '--model', 'tiny', '--out', out);
    expect(first.stderr).not.toMatch(/studio: error/);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(path.join(out, 'tiny-transformer'));
    expect(fs.readFileSync(path.join(out, 'tiny-transformer', 'config.pbtxt'), 'utf8')).toMatch(/^name: "tiny-transformer"$/m);
    const again = studio('export-triton', '--model', 'tiny', '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/INVALID_REQUEST.*already exists and is not empty; pass --force/);
    expect(studio('export-triton', '--model', 'tiny', '--out', out, '--force').code).toBe(0);
    expect(studio('export-triton', '--model', 'tiny').code).toBe(2);
  });
});
