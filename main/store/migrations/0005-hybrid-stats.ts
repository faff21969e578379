/**
 * 0005: what each model of a hybrid run did (HybridRunStats JSON: calls, MACs and time per
 * model, the large model's share, and remote traffic). NULL for single-model runs and for every
 * row written before this migration.
 */
import type { Migration } from './migration';

export const hybridStatsMigration: Migration = {
  version: 5,
  name: 'hybrid-stats',
  up(db) {
    db.exec('ALTER TABLE generations ADD COLUMN hybrid_stats_json TEXT;');
  },
};
