/**
 * `studio export` as users run it (the bundled CLI under plain Node): a 16-frame latent walk
 * made with `studio generate` and a still in history, exported to every format and read back
 * by independent means: the APNG reader, a GIF block walker, ffprobe for WebM and MP4.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationRecord } from '../../../contract/api';
import { studioPaths } from '../../../main/config/studio-home';
import { decodeApng } from '../../../main/png/apng-reader';
import { readPngText } from '../../../main/png/png-reader';
import { encodeRecipePng } from '../../../main/png/png-writer';
import { openStudioDb } from '../../../main/store/studio-db';
import { bundleCli, removeCliBundles, runStudio, studioEnv } from '../../helpers/cli-bundle';
import { walkGif } from '../../helpers/gif-blocks';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { generation, recipe } from '../store/fixtures';

const FRAMES = 16;
let cli: string;
let home: string;
let clipId: number;
let stillId: number;
/** The recipe JSON the stored clip carries, which every export must embed. */
let clipRecipe: string;

beforeAll(async () => {
  cli = await bundleCli('export');
  home = tempDir('studio-export-home-');
  // A latent walk of the emoji model, as a user makes a clip.
  const walk = runStudio(cli, {
    home,
    args: ['generate', '--model', 'emoji', '--prompt', 'a smiling cat', '--seed', '1', '--walk-to-seed', '2', '--frames', String(FRAMES), '--fps', '8', '--steps', '4', '--json'],
    timeout: 300_000,
  });
  expect(walk.stderr).not.toMatch(/studio: error/);
  const record = JSON.parse(walk.stdout) as GenerationRecord;
  clipId = record.id;
  clipRecipe = readPngText(fs.readFileSync(record.outputPath))['studio-recipe']!;
  const paths = studioPaths(home);
  const stillFile = path.join(paths.outputs, 'still.png');
  fs.writeFileSync(stillFile, encodeRecipePng(new Uint8Array(64 * 64 * 3).fill(90), 64, 64, recipe()));
  const db = openStudioDb(paths.db);
  try {
    stillId = db.history.insert({ ...generation(), outputPath: stillFile }).id;
  } finally {
    db.close();
  }
}, 300_000);

afterAll(() => {
  removeCliBundles();
  cleanupTempDirs();
});

const studio = (args: string[], env?: Record<string, string | undefined>) => runStudio(cli, { home, args, env, timeout: 120_000 });

interface Probe {
  streams: { codec_name: string; width: number; height: number; nb_read_frames: string; pix_fmt: string }[];
  format: { duration: string; tags?: Record<string, string> };
}
function ffprobe(file: string): Probe {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames,pix_fmt:format=duration:format_tags', '-of', 'json', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Probe;
}

describe('studio export of a clip', () => {
  test('GIF: 16 frames at 8x (512x512), looping, the recipe in a comment', () => {
    const out = path.join(tempDir(), 'walk.gif');
    const r = studio(['export', String(clipId), '--format', 'gif', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const gif = walkGif(fs.readFileSync(out));
    expect(gif).toMatchObject({ width: 512, height: 512, frames: FRAMES, loops: 0 });
    expect(gif.delaysCs.reduce((a, d) => a + d, 0)).toBe(200);
    expect(JSON.parse(gif.comments[0]!)).toEqual(JSON.parse(clipRecipe));
  });

  test('APNG: the stored frames, delays and recipe', () => {
    const out = path.join(tempDir(), 'walk.png');
    expect(studio(['export', String(clipId), '--format', 'apng', '--out', out]).code).toBe(0);
    const apng = decodeApng(fs.readFileSync(out));
    expect(apng.frames).toHaveLength(FRAMES);
    expect(apng.frames.every((f) => f.delayMs === 125)).toBe(true);
    expect(apng.texts['studio-recipe']).toBe(clipRecipe);
  });

  test.each([
    ['webm', 'vp9', 512, 512],
    ['mp4', 'h264', 256, 256],
  ] as const)('%s: %s, 16 frames, 2 s, the recipe in the comment tag', (format, codec, width, height) => {
    const out = path.join(tempDir(), `walk.${format}`);
    const args = ['export', String(clipId), '--format', format, '--out', out, '--json'];
    const r = studio(format === 'mp4' ? [...args, '--scale', '4'] : args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format, frames: FRAMES, width, height, fps: 8 });
    const probe = ffprobe(out);
    expect(probe.streams[0]).toMatchObject({ codec_name: codec, width, height, nb_read_frames: String(FRAMES), pix_fmt: 'yuv420p' });
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
    const tags = Object.fromEntries(Object.entries(probe.format.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    expect(JSON.parse(tags.comment ?? 'null')).toEqual(JSON.parse(clipRecipe));
  });

  test('without ffmpeg, WebM fails naming the fix and leaves nothing; GIF still works', () => {
    const dir = tempDir();
    const r = studio(['export', String(clipId), '--format', 'webm', '--out', path.join(dir, 'a.webm')], { STUDIO_FFMPEG: path.join(dir, 'no-such-ffmpeg') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('studio: error [ENCODER]: ffmpeg is not installed (apt-get install ffmpeg); GIF and APNG export still work');
    expect(fs.readdirSync(dir)).toEqual([]);
    // A PATH holding no ffmpeg (node itself is started by its full path): the same message.
    const node = tempDir();
    const noPath = studio(['export', String(clipId), '--format', 'mp4', '--out', path.join(dir, 'a.mp4')], { PATH: node, STUDIO_FFMPEG: undefined });
    expect(noPath.stderr).toContain('ffmpeg is not installed');
    expect(studio(['export', String(clipId), '--format', 'gif', '--out', path.join(dir, 'a.gif')], { PATH: node }).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['a.gif']);
  });

  test('an encoder that fails after writing part of the file leaves nothing behind, with its message', () => {
    const dir = tempDir();
    const fake = path.join(tempDir(), 'ffmpeg');
    // Writes to its last argument (the temp file), says why, fails without reading stdin.
    fs.writeFileSync(fake, '#!/bin/sh\nfor a; do out=$a; done\necho partial > "$out"\necho "Unknown encoder libvpx-vp9" >&2\nexit 1\n', { mode: 0o755 });
    const r = studio(['export', String(clipId), '--format', 'webm', '--out', path.join(dir, 'a.webm')], { STUDIO_FFMPEG: fake });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ffmpeg failed making WEBM \(exit code 1\): Unknown encoder libvpx-vp9/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('Ctrl-C during encoding deletes the partial file and exits 130', async () => {
    const dir = tempDir();
    const marker = path.join(dir, '..', `${path.basename(dir)}-started`);
    const fake = path.join(tempDir(), 'ffmpeg');
    fs.writeFileSync(fake, `#!/bin/sh\nfor a; do out=$a; done\necho partial > "$out"\ntouch ${JSON.stringify(marker)}\nexec sleep 60\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [cli, 'export', String(clipId), '--format', 'webm', '--out', path.join(dir, 'a.webm')], { env: studioEnv(home, { STUDIO_FFMPEG: fake }) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await expect.poll(() => fs.existsSync(marker), { timeout: 30_000 }).toBe(true);
    expect(fs.readdirSync(dir)).toHaveLength(1);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    fs.rmSync(marker);
    expect(stderr).toContain('studio: error [CANCELLED]');
    expect(code).toBe(130);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe('studio export refusals and stills', () => {
  test('a still exports as its stored PNG; a clip format for it is refused', () => {
    const out = path.join(tempDir(), 'still.png');
    expect(studio(['export', String(stillId), '--format', 'png', '--out', out]).code).toBe(0);
    const db = openStudioDb(studioPaths(home).db);
    const stored = fs.readFileSync(db.history.get(stillId)!.outputPath);
    db.close();
    expect(fs.readFileSync(out).equals(stored)).toBe(true);
    const gif = studio(['export', String(stillId), '--format', 'gif', '--out', path.join(tempDir(), 'x.gif')]);
    expect(gif.stderr).toContain(`History record #${stillId} is a still image; export it as png.`);
  });

  test('an existing file is refused without --force and replaced with it', () => {
    const out = path.join(tempDir(), 'walk.gif');
    fs.writeFileSync(out, 'keep');
    const refused = studio(['export', String(clipId), '--format', 'gif', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists; pass --force');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep');
    expect(studio(['export', String(clipId), '--format', 'gif', '--out', out, '--force']).code).toBe(0);
    expect(walkGif(fs.readFileSync(out)).frames).toBe(FRAMES);
  });

  test('a folder that does not exist, an unknown id, a bad format or scale: clear errors', () => {
    const missing = studio(['export', String(clipId), '--format', 'gif', '--out', path.join(tempDir(), 'no', 'such', 'a.gif')]);
    expect(missing.stderr).toMatch(/Cannot write to .*no[/\\]such: the folder does not exist or is not writable/);
    expect(studio(['export', '999', '--format', 'gif', '--out', path.join(tempDir(), 'a.gif')]).stderr).toContain('There is no history record #999');
    expect(studio(['export', String(clipId), '--format', 'avi', '--out', 'a']).stderr).toContain('--format must be one of gif, apng, webm, mp4, png');
    expect(studio(['export', String(clipId), '--format', 'gif', '--scale', '17', '--out', 'a']).stderr).toContain('--scale must be an integer 1..16');
    expect(studio(['export', String(clipId), '--format', 'apng', '--scale', '2', '--out', path.join(tempDir(), 'a.png')]).stderr).toContain('--scale applies to gif, webm and mp4');
  });
});
