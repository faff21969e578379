/**
 * 0010: clips in the history. A generation is either a still image or a clip (an animated PNG
 * from a video model or a latent walk):
 *
 * - `kind`: 'image' (every row made before) or 'video';
 * - `frames`, `fps`: the clip's frame count and rate; NULL for an image. The CHECK keeps the
 *   three consistent, so a reader can trust `kind` alone.
 */
import type { Migration } from './migration';

export const videoMigration: Migration = {
  version: 10,
  name: 'video',
  up(db) {
    db.exec(`
      ALTER TABLE generations ADD COLUMN kind TEXT NOT NULL DEFAULT 'image' CHECK (kind IN ('image', 'video'));
      ALTER TABLE generations ADD COLUMN frames INTEGER CHECK (frames IS NULL OR frames >= 1);
      ALTER TABLE generations ADD COLUMN fps REAL CHECK (fps IS NULL OR fps > 0);
      CREATE TRIGGER generations_video_fields BEFORE INSERT ON generations
        WHEN (NEW.kind = 'video') <> (NEW.frames IS NOT NULL AND NEW.fps IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'a video row needs frames and fps, an image row neither'); END;
    `);
  },
};
