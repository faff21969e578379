/**
 * Whether a calibration profile applies to a run. A profile is only valid for the exact model,
 * scheduler, step count, shift, guidance scale and size it was recorded with (ERTACache's S, φ and
 * coefficients, MagCache's ratios and TeaCache's polynomial all change with each), so a mismatch is
 * reported with a reason the UI can show — never applied silently.
 */
import type { CacheProfile, CacheProfileKey } from './profile-types';

export type ProfileMatch = { ok: true } | { ok: false; reason: string };

/** Relative tolerance for the float fields (shift, cfg), which travel through JSON and UI sliders. */
const FLOAT_TOLERANCE = 1e-9;

export function profileMatches(profile: Pick<CacheProfile, 'key'>, key: CacheProfileKey): ProfileMatch {
  const p = profile.key;
  if (p.modelHash !== key.modelHash) return fail(`profile was made for model ${short(p.modelHash)}, this run uses ${short(key.modelHash)}`);
  if (p.scheduler !== key.scheduler) return fail(`profile was made for scheduler ${p.scheduler}, this run uses ${key.scheduler}`);
  if (p.steps !== key.steps) return fail(`profile was made for ${p.steps} steps, this run uses ${key.steps}`);
  if (!close(p.shift, key.shift)) return fail(`profile was made for shift ${p.shift}, this run uses ${key.shift}`);
  if (!close(p.cfg, key.cfg)) return fail(`profile was made for CFG scale ${p.cfg}, this run uses ${key.cfg}`);
  if (p.width !== key.width || p.height !== key.height) return fail(`profile was made for ${p.width}×${p.height}, this run is ${key.width}×${key.height}`);
  if (p.frames !== key.frames) return fail(`profile was made for ${framesText(p.frames)}, this run makes ${framesText(key.frames)}`);
  return { ok: true };
}

/** "16-frame clips", or "still images" for a key without frames. */
export function framesText(frames: number | undefined): string {
  return frames === undefined ? 'still images' : `${frames}-frame clips`;
}

function fail(reason: string): ProfileMatch {
  return { ok: false, reason };
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
