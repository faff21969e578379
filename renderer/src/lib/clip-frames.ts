/**
 * The frames of a clip (an animated PNG from `/media/<id>`), decoded by the browser's own
 * ImageDecoder (WebCodecs) into ImageBitmaps, so the player can show any frame, step through
 * them and time them itself. A clip is small (tens of frames of 64×64 px), so every frame is
 * decoded once up front and kept; decodes are shared by URL while a clip is in use.
 */

export interface ClipFrames {
  /** Frame images in play order. */
  frames: ImageBitmap[];
  width: number;
  height: number;
}

const decoded = new Map<string, Promise<ClipFrames>>();

/** Every frame of the clip at `url`; the same promise for the same URL until it fails. */
export function clipFrames(url: string): Promise<ClipFrames> {
  let hit = decoded.get(url);
  if (hit === undefined) {
    hit = decodeClip(url);
    decoded.set(url, hit);
    hit.catch(() => decoded.delete(url));
  }
  return hit;
}

async function decodeClip(url: string): Promise<ClipFrames> {
  if (typeof ImageDecoder === 'undefined') throw new Error('This browser has no ImageDecoder (WebCodecs), which the clip player needs.');
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Loading the clip failed: HTTP ${response.status}.`);
  const decoder = new ImageDecoder({ data: await response.arrayBuffer(), type: 'image/png' });
  try {
    await decoder.tracks.ready;
    const count = decoder.tracks.selectedTrack?.frameCount ?? 1;
    const frames: ImageBitmap[] = [];
    for (let i = 0; i < count; i++) {
      const { image } = await decoder.decode({ frameIndex: i });
      frames.push(await createImageBitmap(image));
      image.close();
    }
    const first = frames[0];
    return { frames, width: first?.width ?? 0, height: first?.height ?? 0 };
  } finally {
    decoder.close();
  }
}
