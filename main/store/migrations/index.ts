/**
 * Every migration, in order. Append new ones here; `openStudioDb` checks that versions
 * run 1..n without gaps, so a mis-numbered file fails loudly at start-up.
 */
import { historyMigration } from './0001-history';
import { cacheProfilesMigration } from './0002-cache-profiles';
import { jobsMigration } from './0003-jobs';
import { folderHashesMigration } from './0004-folder-hashes';
import { hybridStatsMigration } from './0005-hybrid-stats';
import { benchReportsMigration } from './0006-bench-reports';
import { quantMigration } from './0007-quant';
import { galleryMigration } from './0008-gallery';
import { modelImportsMigration } from './0009-model-imports';
import { videoMigration } from './0010-video';
import { profileFramesMigration } from './0011-profile-frames';
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [historyMigration, cacheProfilesMigration, jobsMigration, folderHashesMigration, hybridStatsMigration, benchReportsMigration, quantMigration, galleryMigration, modelImportsMigration, videoMigration, profileFramesMigration];

/** The schema version this build of the app writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
