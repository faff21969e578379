// Export in Chromium: a 16-frame latent walk of the emoji model is exported from the gallery's
// large view as WebM, MP4 and GIF; each download is played or decoded by the browser (a
// <video> element, ImageDecoder) and demuxed with mediabunny (packets, comment tag), and a
// still offers Save PNG with Reveal in folder disabled in browser mode.
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationRecord } from '../../contract/api';
import { StudioSession } from './harness/session';
import { byTestId, fillForm, waitForModels } from './harness/ui';

const FRAMES = 16;
const FPS = 8;
let session: StudioSession;
let clip: GenerationRecord;
let still: GenerationRecord;

beforeAll(async () => {
  session = await StudioSession.start();
  const { page } = session;
  // The clip is made in the app: a 16-frame latent walk of the emoji model from seed 1 to 2.
  await waitForModels(page);
  await byTestId(page, 'model').selectOption('emoji');
  await fillForm(page, { prompt: 'a smiling cat', steps: 4, seed: 1, cfg: 4 });
  await byTestId(page, 'clip-toggle').click();
  await byTestId(page, 'walk-enabled').check();
  await byTestId(page, 'clip-frames').fill(String(FRAMES));
  await byTestId(page, 'clip-fps').fill(String(FPS));
  await byTestId(page, 'walk-to-seed').fill('2');
  await byTestId(page, 'generate').click();
  await byTestId(page, 'history-item').first().locator('[data-testid="clip-poster"][data-ready="true"]').waitFor({ timeout: 240_000 });
  // The still comes from the API: only the Export menu's still options are under test.
  await session.api('generate.start', { model: 'tiny', prompt: 'a still apple', seed: 3, steps: 2, cfg: 1 });
  const deadline = Date.now() + 120_000;
  let records: GenerationRecord[] = [];
  while (records.length < 2) {
    if (Date.now() > deadline) throw new Error('the still was not generated within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
    records = await session.api<GenerationRecord[]>('history.list', {});
  }
  clip = records.find((r) => r.video !== undefined)!;
  still = records.find((r) => r.video === undefined)!;
  await byTestId(page, 'tab-gallery').click();
  await byTestId(page, 'gallery-grid').waitFor();
}, 300_000);
afterAll(async () => {
  await session?.close();
});

async function openExport(page: Page, record: GenerationRecord): Promise<void> {
  if (await byTestId(page, 'gallery-lightbox').isVisible()) await byTestId(page, 'lightbox-close').click();
  await page.locator(`[data-testid="gallery-item"][data-record-id="${record.id}"] [data-testid="gallery-open"]`).click();
  await byTestId(page, 'export-open').click();
  await byTestId(page, 'export-panel').waitFor();
}

/** Clicks an export button and returns the downloaded bytes. */
async function exportAndDownload(page: Page, testId: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), byTestId(page, testId).click()]);
  const file = await download.path();
  return { download, bytes: await readFile(file) };
}

/** What the page's own <video> element makes of `bytes`: metadata, and whether play() starts. */
function playInPage(page: Page, bytes: Buffer, type: string) {
  return page.evaluate(
    async ({ b64, type }) => {
      const g = globalThis as any;
      const data = Uint8Array.from(g.atob(b64), (c: string) => c.charCodeAt(0));
      const video = g.document.createElement('video');
      video.muted = true;
      video.src = g.URL.createObjectURL(new g.Blob([data], { type }));
      await new Promise((resolve, reject) => {
        video.onloadedmetadata = resolve;
        video.onerror = () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`));
      });
      await video.play();
      await new Promise((resolve) => (video.ontimeupdate = resolve));
      return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, played: video.currentTime > 0 };
    },
    { b64: bytes.toString('base64'), type },
  );
}

/** Packets of the first video track and the comment tag, read with mediabunny's demuxer. */
async function demux(bytes: Buffer): Promise<{ packets: number; comment?: string; codec: string | null }> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  let packets = 0;
  for await (const _ of new EncodedPacketSink(track).packets()) packets++;
  return { packets, comment: (await input.getMetadataTags()).comment, codec: track.codec };
}


test('WebM (VP9): plays in a <video> at 512x512 for 2 s, 16 packets, the recipe in its comment', async () => {
  const { page } = session;
  await openExport(page, clip);
  const { download, bytes } = await exportAndDownload(page, 'export-webm');
  expect(download.suggestedFilename()).toBe(`studio-${clip.id}.webm`);
  const played = await playInPage(page, bytes, 'video/webm');
  expect(played).toMatchObject({ width: 512, height: 512, played: true });
  expect(played.duration).toBeCloseTo(FRAMES / FPS, 1);
  const demuxed = await demux(bytes);
  expect(demuxed).toMatchObject({ packets: FRAMES, codec: 'vp9' });
  expect(JSON.parse(demuxed.comment!)).toMatchObject({ prompt: 'a smiling cat', seed: 1, video: { frames: FRAMES, fps: FPS } });
  await byTestId(page, 'export-preview').waitFor();
  expect(session.problems).toEqual([]);
}, 180_000);

test('MP4 (H.264): plays in a <video> at 512x512 for 2 s, 16 packets, the recipe in its comment', async (context) => {
  const { page } = session;
  const supported = await page.evaluate(async () => (await (globalThis as any).VideoEncoder.isConfigSupported({ codec: 'avc1.640028', width: 512, height: 512 })).supported === true);
  context.skip(!supported, 'this Chromium cannot encode H.264 (VideoEncoder.isConfigSupported is false for avc1.640028 at 512x512)');
  await openExport(page, clip);
  const { download, bytes } = await exportAndDownload(page, 'export-mp4');
  expect(download.suggestedFilename()).toBe(`studio-${clip.id}.mp4`);
  const played = await playInPage(page, bytes, 'video/mp4');
  expect(played).toMatchObject({ width: 512, height: 512, played: true });
  expect(played.duration).toBeCloseTo(FRAMES / FPS, 1);
  const demuxed = await demux(bytes);
  expect(demuxed).toMatchObject({ packets: FRAMES, codec: 'avc' });
  expect(JSON.parse(demuxed.comment!)).toMatchObject({ prompt: 'a smiling cat', seed: 1 });
  expect(session.problems).toEqual([]);
}, 180_000);

test('GIF: ImageDecoder sees 16 frames at 512x512', async () => {
  const { page } = session;
  await openExport(page, clip);
  const { download, bytes } = await exportAndDownload(page, 'export-gif');
  expect(download.suggestedFilename()).toBe(`studio-${clip.id}.gif`);
  const decoded = await page.evaluate(async (b64) => {
    const g = globalThis as any;
    const decoder = new g.ImageDecoder({ data: Uint8Array.from(g.atob(b64), (c: string) => c.charCodeAt(0)), type: 'image/gif' });
    await decoder.completed;
    await decoder.tracks.ready;
    const { image } = await decoder.decode({ frameIndex: 0 });
    const size = { width: image.displayWidth, height: image.displayHeight };
    image.close();
    return { frames: decoder.tracks.selectedTrack.frameCount, ...size };
  }, bytes.toString('base64'));
  expect(decoded).toEqual({ frames: FRAMES, width: 512, height: 512 });
  expect(bytes.toString('latin1')).toContain('"prompt":"a smiling cat"');
  expect(session.problems).toEqual([]);
}, 180_000);

test('Cancel during an export stops it: nothing is downloaded, and it says so', async () => {
  const { page } = session;
  // Hold the clip's file back until Cancel was pressed, so the export is surely still running.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/media/${clip.id}`, async (route) => {
    await held;
    await route.continue();
  });
  let downloads = 0;
  const count = (): void => void downloads++;
  page.on('download', count);
  try {
    await openExport(page, clip);
    await byTestId(page, 'export-webm').click();
    await byTestId(page, 'export-progress').waitFor();
    await byTestId(page, 'export-cancel').click();
    release();
    await expect.poll(() => byTestId(page, 'export-message').textContent()).toBe('Export cancelled; nothing was saved.');
    expect(downloads).toBe(0);
  } finally {
    page.off('download', count);
    await page.unroute(`**/media/${clip.id}`);
  }
}, 60_000);

test('a still saves its stored PNG; Reveal in folder is disabled in browser mode and says why', async () => {
  const { page } = session;
  await openExport(page, still);
  const reveal = byTestId(page, 'export-reveal');
  expect(await reveal.isDisabled()).toBe(true);
  expect(await reveal.getAttribute('title')).toMatch(/Only the desktop app/);
  const { download, bytes } = await exportAndDownload(page, 'export-png');
  expect(download.suggestedFilename()).toBe(`studio-${still.id}.png`);
  const stored = await fetch(`${session.server.url}media/${still.id}`, { headers: session.server.authHeaders() });
  expect(bytes.equals(Buffer.from(await stored.arrayBuffer()))).toBe(true);
  expect(session.problems).toEqual([]);
}, 60_000);
