/**
 * 0011: calibration profiles of video models. A profile records the trajectories of one latent
 * size, and a video model's latent grows with the clip's frames, so a profile for 16-frame clips
 * does not fit 8. `frames` copies the key's frame count (CacheProfileKey.frames) into a column
 * the lookup matches on; NULL for a still image's profile (every row written before).
 */
import type { Migration } from './migration';

export const profileFramesMigration: Migration = {
  version: 11,
  name: 'profile-frames',
  up(db) {
    db.exec('ALTER TABLE cache_profiles ADD COLUMN frames INTEGER CHECK (frames IS NULL OR frames >= 1);');
  },
};
