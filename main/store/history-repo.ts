/**
 * Generation history: insert, list (newest first, optional full-text search, keyset
 * pagination) and get. The SQL lives here and nowhere else.
 *
 * Statements are prepared once when the repo is created (better-sqlite3 caches the
 * compiled plan inside each Statement). Every SQLite failure becomes
 * `StudioError('STORE', …)`; a row whose JSON cannot be parsed is reported as corrupt
 * rather than returned half-filled.
 */
import type { Database, Statement } from 'better-sqlite3';
import { LIMITS, type GenerationRecord, type HistoryQuery, type HybridRunStats, type Recipe, type StageTimings } from '../../contract/api';
import type { CacheRunStats } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { toFtsQuery } from './fts-query';
import { storeError } from './store-error';

/** What a finished generation hands to the store; the store assigns the id. */
export interface NewGeneration {
  /** ISO 8601 UTC. */
  createdAt: string;
  recipe: Recipe;
  timings: StageTimings;
  /** Absolute path of the PNG already written to disk. */
  outputPath: string;
  /** What the cache did; absent for uncached runs (stored as NULL). */
  cacheStats?: CacheRunStats;
  /** What each model of a hybrid run did; absent for single-model runs (stored as NULL). */
  hybridStats?: HybridRunStats;
}

export interface HistoryRepo {
  insert(g: NewGeneration): GenerationRecord;
  /** Newest first; `limit` defaults to DEFAULT_HISTORY_PAGE and is capped at LIMITS.historyPageMax. */
  list(q: HistoryQuery): GenerationRecord[];
  get(id: number): GenerationRecord | undefined;
}

export const DEFAULT_HISTORY_PAGE = 100;

interface Row {
  id: number;
  created_at: string;
  recipe_json: string;
  timings_json: string;
  output_path: string;
  cache_stats_json: string | null;
  hybrid_stats_json: string | null;
}

const COLUMNS = 'id, created_at, recipe_json, timings_json, output_path, cache_stats_json, hybrid_stats_json';

export function createHistoryRepo(db: Database, file: string): HistoryRepo {
  const prepare = <T extends unknown[]>(sql: string): Statement<T, Row> => db.prepare<T, Row>(sql);
  const stmts = {
    insert: db.prepare(`
      INSERT INTO generations (
        created_at, prompt, negative_prompt, steps, cfg, seed, model_id, model_hash, provider,
        scheduler, width, height, total_ms, recipe_json, timings_json, output_path, cache_stats_json, hybrid_stats_json)
      VALUES (
        @createdAt, @prompt, @negativePrompt, @steps, @cfg, @seed, @modelId, @modelHash, @provider,
        @scheduler, @width, @height, @totalMs, @recipeJson, @timingsJson, @outputPath, @cacheStatsJson, @hybridStatsJson)`),
    get: prepare<[number]>(`SELECT ${COLUMNS} FROM generations WHERE id = ?`),
    // `before` is a keyset cursor: pages stay stable while new rows arrive at the top.
    list: prepare<[number, number]>(`SELECT ${COLUMNS} FROM generations WHERE id < ? ORDER BY id DESC LIMIT ?`),
    search: prepare<[string, number, number]>(`
      SELECT ${COLUMNS} FROM generations
      WHERE id IN (SELECT rowid FROM generations_fts WHERE generations_fts MATCH ?)
        AND id < ?
      ORDER BY id DESC LIMIT ?`),
  };

  function toRecord(row: Row): GenerationRecord {
    try {
      const recipe = JSON.parse(row.recipe_json) as Recipe;
      const timings = JSON.parse(row.timings_json) as StageTimings;
      const record: GenerationRecord = { id: row.id, createdAt: row.created_at, recipe, timings, outputPath: row.output_path };
      if (row.cache_stats_json !== null) record.cacheStats = JSON.parse(row.cache_stats_json) as CacheRunStats;
      if (row.hybrid_stats_json !== null) record.hybridStats = JSON.parse(row.hybrid_stats_json) as HybridRunStats;
      return record;
    } catch (err) {
      throw new StudioError(
        'STORE',
        `The history database at ${file} is corrupt: generation ${row.id} holds unreadable JSON (${(err as Error).message}).`,
        file,
      );
    }
  }

  return {
    insert(g) {
      const r = g.recipe;
      try {
        const info = stmts.insert.run({
          createdAt: g.createdAt,
          prompt: r.prompt,
          negativePrompt: r.negativePrompt,
          steps: r.steps,
          cfg: r.cfg,
          seed: r.seed,
          modelId: r.modelId,
          modelHash: r.modelHash,
          provider: r.provider,
          scheduler: r.scheduler,
          width: r.width,
          height: r.height,
          totalMs: g.timings.totalMs,
          recipeJson: JSON.stringify(r),
          timingsJson: JSON.stringify(g.timings),
          outputPath: g.outputPath,
          cacheStatsJson: g.cacheStats === undefined ? null : JSON.stringify(g.cacheStats),
          hybridStatsJson: g.hybridStats === undefined ? null : JSON.stringify(g.hybridStats),
        });
        const record: GenerationRecord = { id: Number(info.lastInsertRowid), createdAt: g.createdAt, recipe: r, timings: g.timings, outputPath: g.outputPath };
        if (g.cacheStats !== undefined) record.cacheStats = g.cacheStats;
        if (g.hybridStats !== undefined) record.hybridStats = g.hybridStats;
        return record;
      } catch (err) {
        throw storeError('saving a generation', file, err);
      }
    },

    list(q) {
      const limit = Math.min(q.limit ?? DEFAULT_HISTORY_PAGE, LIMITS.historyPageMax);
      const before = q.before ?? Number.MAX_SAFE_INTEGER;
      const match = q.search === undefined ? undefined : toFtsQuery(q.search);
      let rows: Row[];
      try {
        rows = match === undefined ? stmts.list.all(before, limit) : stmts.search.all(match, before, limit);
      } catch (err) {
        throw storeError('listing history', file, err);
      }
      return rows.map(toRecord);
    },

    get(id) {
      let row: Row | undefined;
      try {
        row = stmts.get.get(id);
      } catch (err) {
        throw storeError('reading a generation', file, err);
      }
      return row === undefined ? undefined : toRecord(row);
    },
  };
}
