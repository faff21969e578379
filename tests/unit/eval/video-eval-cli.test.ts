/**
 * `studio eval` on the bundled video model, through the CLI's main() in process: two clips at 4
 * steps (one per held-out set), scored by the image and motion classifiers of the bundled
 * evaluation set, with every figure of the report present and finite, and nothing written to
 * STUDIO_HOME.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/cli/cli-main';
import type { VideoEvalReport, VideoSetFigures } from '../../../main/eval/video-eval-report';
import { cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';

const home = tempDir('studio-video-eval-home-');
const out = tempDir('studio-video-eval-out-');
const savedHome = process.env.STUDIO_HOME;

beforeAll(() => {
  process.env.STUDIO_HOME = home;
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.STUDIO_HOME;
  else process.env.STUDIO_HOME = savedHome;
  cleanupTempDirs();
});

async function studio(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

function finite(v: number | null | undefined): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Every figure a set reports, by name. */
function figures(f: VideoSetFigures): Record<string, number | null | undefined> {
  return {
    'per-frame top-1': f.perFrame.top1,
    'per-frame top-5': f.perFrame.top5,
    identity: f.perFrame.identity,
    'image model top-1': f.imageModel?.top1,
    'image model top-5': f.imageModel?.top5,
    'motion top-1': f.motion.top1,
    'motion top-5': f.motion.top5,
    'ceiling top-1': f.ceiling.top1,
    'ceiling top-5': f.ceiling.top5,
    ssim: f.consistency?.ssim,
    step: f.consistency?.step,
    accel: f.consistency?.accel,
    'seconds per clip': f.secondsPerClip?.median,
  };
}

describe('studio eval on a video model', () => {
  it('reports every figure per held-out set and overall, finite', async () => {
    const json = path.join(out, 'video.json');
    const r = await studio('eval', '--model', 'emoji-motion', '--n', '2', '--steps', '4', '--provider', 'cpu', '--json', json);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as VideoEvalReport;
    expect(report).toMatchObject({ kind: 'video', model: 'emoji-motion', steps: 4, frames: 16, n: 2, seeds: { base: 0 }, cache: null });
    expect(report.imageModel).toMatchObject({ model: 'emoji', steps: 4 });
    // n = 2 takes one prompt of the first motion from each held-out set.
    expect(report.items.map((it) => it.set)).toEqual(['held-out emoji', 'held-out pair']);
    for (const set of ['held-out emoji', 'held-out pair', 'overall'] as const) {
      const bad = Object.entries(figures(report.sets[set])).filter(([, v]) => !finite(v));
      expect(bad, `${set}: figures that are not finite numbers`).toEqual([]);
    }
    // The Fréchet distance needs two clips: only the overall set has them; its floor compares two real halves.
    expect(report.sets['held-out emoji'].frechet.generated).toBeNull();
    expect(finite(report.sets.overall.frechet.generated)).toBe(true);
    expect(finite(report.sets.overall.frechet.floor)).toBe(true);
    expect(report.sets.overall.frechet.floorClips).toBe(2);
    expect(report.sets.overall.perFrame.counted).toBe(32);
    expect(report.perMotion.reduce((n, m) => n + m.clips, 0)).toBe(2);
    expect(report.items[0]?.frameTop1).toHaveLength(16);
    expect(r.stdout).toMatch(/^motion top-1 +\S+ \(ceiling \d+\.\d%\)/m);
    // One clip per set: neither it nor a one-clip floor has a covariance.
    expect(r.stdout).toMatch(/^Fréchet \(floor\) +n\/a \(n\/a\) +n\/a \(n\/a\) +\d+\.\d\d \(\d+\.\d\d\)$/m);
    // Evaluation clips are not saved and not recorded in history.
    expect(listFilesDeep(home)).toEqual([]);
  }, 300_000);
});
