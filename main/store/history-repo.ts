/**
 * Generation history: insert, list (newest first, optional full-text search and filters,
 * keyset pagination), get, favourites and the undoable delete. The SQL lives here and
 * nowhere else.
 *
 * A deleted row keeps `deleted_at` until it is purged (main/gallery/trash.ts moves its file
 * and purges both after the undo window); every read but `trashState` and `allOutputPaths`
 * skips it.
 *
 * Statements are prepared once when the repo is created (better-sqlite3 caches the
 * compiled plan inside each Statement). Every SQLite failure becomes
 * `StudioError('STORE', …)`. A row whose JSON cannot be parsed is never returned half-filled:
 * `list` skips it (reporting its id and reason, once per process, through `warn`) and fills
 * the page from older rows, so one damaged row cannot hide the rest of the history; `get` of
 * that row alone is a STORE error naming it. Its image path is a plain column, so its image
 * stays reachable (`outputPath`). The row itself is left untouched: nothing is lost.
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
  /** A clip's frame count and rate (stored as kind 'video'); absent for a still image. */
  video?: { frames: number; fps: number };
}

/** A row `list` left out because its JSON could not be read. */
export interface SkippedRow {
  id: number;
  reason: string;
}

export interface HistoryPage {
  records: GenerationRecord[];
  /** Unreadable rows met while filling this page, newest first. */
  skipped: SkippedRow[];
}

/** A row the undoable delete moves between states, with the file it owns. */
export interface TrashEntry {
  id: number;
  outputPath: string;
}

export interface HistoryRepo {
  insert(g: NewGeneration): GenerationRecord;
  /** Stars or unstars a live row; false when there is no such live row. */
  setFavourite(id: number, favourite: boolean): boolean;
  /** Marks the live rows among `ids` deleted at `at` (ISO 8601 UTC); returns those rows. */
  markDeleted(ids: readonly number[], at: string): TrashEntry[];
  /** Clears the delete mark of the deleted rows among `ids`; returns those rows. */
  unmarkDeleted(ids: readonly number[]): TrashEntry[];
  /** Deleted rows whose mark is older than `cutoff` (ISO 8601 UTC), oldest first. */
  deletedBefore(cutoff: string): TrashEntry[];
  /** Removes the deleted rows among `ids` for good; returns how many went. Live rows are never touched. */
  purge(ids: readonly number[]): number;
  /** Whether row `id` is live, deleted (waiting for its purge) or gone, whatever its JSON holds. */
  trashState(id: number): { state: 'live' | 'deleted'; outputPath: string } | { state: 'gone' };
  /** Newest first; `limit` defaults to DEFAULT_HISTORY_PAGE and is capped at LIMITS.historyPageMax. Unreadable rows are skipped. */
  list(q: HistoryQuery): GenerationRecord[];
  /** `list`, plus the unreadable rows it skipped. */
  listPage(q: HistoryQuery): HistoryPage;
  /** @throws StudioError STORE when that row's JSON is unreadable */
  get(id: number): GenerationRecord | undefined;
  /** The image path of row `id`, read without parsing its JSON; undefined when there is no such row. */
  outputPath(id: number): string | undefined;
  /** Every image path the history holds (to tell files with a row from leftovers). */
  allOutputPaths(): Set<string>;
}

/** Where skipped rows are reported: stderr of the process that met them. */
export type HistoryWarn = (message: string) => void;

const warnOnStderr: HistoryWarn = (message) => process.stderr.write(`studio: ${message}\n`);

export const DEFAULT_HISTORY_PAGE = 100;

interface Row {
  id: number;
  created_at: string;
  recipe_json: string;
  timings_json: string;
  output_path: string;
  cache_stats_json: string | null;
  hybrid_stats_json: string | null;
  favourite: number;
  kind: string;
  frames: number | null;
  fps: number | null;
}

const COLUMNS = 'id, created_at, recipe_json, timings_json, output_path, cache_stats_json, hybrid_stats_json, favourite, kind, frames, fps';
/** Placeholders for a batch of ids; batches stay far below SQLite's 32766 bound parameters (GALLERY_BATCH_MAX). */
const idList = (ids: readonly number[]): string => ids.map(() => '?').join(', ');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createHistoryRepo(db: Database, file: string, warn: HistoryWarn = warnOnStderr): HistoryRepo {
  const prepare = <T extends unknown[]>(sql: string): Statement<T, Row> => db.prepare<T, Row>(sql);
  const stmts = {
    insert: db.prepare(`
      INSERT INTO generations (
        created_at, prompt, negative_prompt, steps, cfg, seed, model_id, model_hash, provider,
        scheduler, width, height, total_ms, recipe_json, timings_json, output_path, cache_stats_json, hybrid_stats_json, kind, frames, fps)
      VALUES (
        @createdAt, @prompt, @negativePrompt, @steps, @cfg, @seed, @modelId, @modelHash, @provider,
        @scheduler, @width, @height, @totalMs, @recipeJson, @timingsJson, @outputPath, @cacheStatsJson, @hybridStatsJson, @kind, @frames, @fps)`),
    get: prepare<[number]>(`SELECT ${COLUMNS} FROM generations WHERE id = ? AND deleted_at IS NULL`),
    outputPath: db.prepare<[number], { output_path: string }>('SELECT output_path FROM generations WHERE id = ? AND deleted_at IS NULL'),
    setFavourite: db.prepare<[number, number]>('UPDATE generations SET favourite = ? WHERE id = ? AND deleted_at IS NULL'),
    deletedBefore: db.prepare<[string], { id: number; output_path: string }>(
      'SELECT id, output_path FROM generations WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id',
    ),
    trashState: db.prepare<[number], { output_path: string; deleted_at: string | null }>('SELECT output_path, deleted_at FROM generations WHERE id = ?'),
    allOutputPaths: db.prepare<[], { output_path: string }>('SELECT output_path FROM generations'),
  };
  /** List statements differ by which filters are set; each shape is prepared once. */
  const listStatements = new Map<string, Statement<unknown[], Row>>();
  const prepared = (sql: string): Statement<unknown[], Row> => {
    let stmt = listStatements.get(sql);
    if (stmt === undefined) listStatements.set(sql, (stmt = db.prepare<unknown[], Row>(sql)));
    return stmt;
  };
  /** Rows already reported, so a history panel that refreshes often does not repeat itself. */
  const reported = new Set<number>();

  function toRecord(row: Row): GenerationRecord {
    const parsed = parseRow(row);
    if (parsed instanceof Error) {
      throw new StudioError(
        'STORE',
        `Generation ${row.id} in the history database at ${file} is unreadable (${parsed.message}); the rest of the history is fine.`,
        file,
      );
    }
    return parsed;
  }

  function parseRow(row: Row): GenerationRecord | Error {
    try {
      const recipe = JSON.parse(row.recipe_json) as Recipe;
      const timings = JSON.parse(row.timings_json) as StageTimings;
      // Valid JSON of the wrong kind ("null", a number) would reach the UI as a broken record.
      if (!isObject(recipe) || typeof recipe.prompt !== 'string') throw new Error('its recipe is not a recipe object');
      if (!isObject(timings)) throw new Error('its timings are not an object');
      const record: GenerationRecord = { id: row.id, createdAt: row.created_at, recipe, timings, outputPath: row.output_path };
      if (row.cache_stats_json !== null) record.cacheStats = JSON.parse(row.cache_stats_json) as CacheRunStats;
      if (row.hybrid_stats_json !== null) record.hybridStats = JSON.parse(row.hybrid_stats_json) as HybridRunStats;
      if (row.favourite === 1) record.favourite = true;
      if (row.kind === 'video' && row.frames !== null && row.fps !== null) record.video = { frames: row.frames, fps: row.fps };
      return record;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  function readPage(q: HistoryQuery, before: number, limit: number): Row[] {
    const { where, params } = listFilter(q, before);
    try {
      return prepared(`SELECT ${COLUMNS} FROM generations WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...params, limit);
    } catch (err) {
      throw storeError('listing history', file, err);
    }
  }

  function listPage(q: HistoryQuery): HistoryPage {
    const limit = Math.min(q.limit ?? DEFAULT_HISTORY_PAGE, LIMITS.historyPageMax);
    const page: HistoryPage = { records: [], skipped: [] };
    let before = q.before ?? Number.MAX_SAFE_INTEGER;
    // Skipped rows leave the page short; read on from the last row seen, so a full page still
    // means "there may be more" to a client paging by count.
    while (page.records.length < limit) {
      const want = limit - page.records.length;
      const rows = readPage(q, before, want);
      for (const row of rows) {
        const parsed = parseRow(row);
        if (!(parsed instanceof Error)) {
          page.records.push(parsed);
          continue;
        }
        page.skipped.push({ id: row.id, reason: parsed.message });
        if (!reported.has(row.id)) {
          reported.add(row.id);
          warn(`generation ${row.id} in ${file} is unreadable (${parsed.message}); it is skipped in the history and left in the database.`);
        }
      }
      const last = rows.at(-1);
      if (last === undefined || rows.length < want) break;
      before = last.id;
    }
    return page;
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
          kind: g.video === undefined ? 'image' : 'video',
          frames: g.video?.frames ?? null,
          fps: g.video?.fps ?? null,
        });
        const record: GenerationRecord = { id: Number(info.lastInsertRowid), createdAt: g.createdAt, recipe: r, timings: g.timings, outputPath: g.outputPath };
        if (g.cacheStats !== undefined) record.cacheStats = g.cacheStats;
        if (g.hybridStats !== undefined) record.hybridStats = g.hybridStats;
        if (g.video !== undefined) record.video = g.video;
        return record;
      } catch (err) {
        throw storeError('saving a generation', file, err);
      }
    },

    list: (q) => listPage(q).records,
    listPage,

    get(id) {
      let row: Row | undefined;
      try {
        row = stmts.get.get(id);
      } catch (err) {
        throw storeError('reading a generation', file, err);
      }
      return row === undefined ? undefined : toRecord(row);
    },

    outputPath(id) {
      try {
        return stmts.outputPath.get(id)?.output_path;
      } catch (err) {
        throw storeError('reading a generation', file, err);
      }
    },

    setFavourite(id, favourite) {
      try {
        return stmts.setFavourite.run(favourite ? 1 : 0, id).changes === 1;
      } catch (err) {
        throw storeError('starring a generation', file, err);
      }
    },

    markDeleted(ids, at) {
      if (ids.length === 0) return [];
      return entries('deleting generations', `UPDATE generations SET deleted_at = ? WHERE id IN (${idList(ids)}) AND deleted_at IS NULL RETURNING id, output_path`, [at, ...ids]);
    },

    unmarkDeleted(ids) {
      if (ids.length === 0) return [];
      return entries('restoring generations', `UPDATE generations SET deleted_at = NULL WHERE id IN (${idList(ids)}) AND deleted_at IS NOT NULL RETURNING id, output_path`, ids);
    },

    deletedBefore(cutoff) {
      try {
        return stmts.deletedBefore.all(cutoff).map((r) => ({ id: r.id, outputPath: r.output_path }));
      } catch (err) {
        throw storeError('listing deleted generations', file, err);
      }
    },

    purge(ids) {
      if (ids.length === 0) return 0;
      try {
        return db.prepare(`DELETE FROM generations WHERE id IN (${idList(ids)}) AND deleted_at IS NOT NULL`).run(...ids).changes;
      } catch (err) {
        throw storeError('purging deleted generations', file, err);
      }
    },

    trashState(id) {
      let row: { output_path: string; deleted_at: string | null } | undefined;
      try {
        row = stmts.trashState.get(id);
      } catch (err) {
        throw storeError('reading a generation', file, err);
      }
      if (row === undefined) return { state: 'gone' };
      return { state: row.deleted_at === null ? 'live' : 'deleted', outputPath: row.output_path };
    },

    allOutputPaths() {
      try {
        return new Set(stmts.allOutputPaths.all().map((r) => r.output_path));
      } catch (err) {
        throw storeError('listing image files', file, err);
      }
    },
  };

  /** Runs an UPDATE … RETURNING id, output_path over a batch of ids; the rows sorted by id. */
  function entries(op: string, sql: string, params: readonly unknown[]): TrashEntry[] {
    try {
      const rows = db.prepare<unknown[], { id: number; output_path: string }>(sql).all(...params);
      return rows.map((r) => ({ id: r.id, outputPath: r.output_path })).sort((a, b) => a.id - b.id);
    } catch (err) {
      throw storeError(op, file, err);
    }
  }
}

/**
 * The WHERE clauses and bound values of a history page below the keyset cursor `before`, in
 * the order the SQL names them. Every clause runs on an indexed column (migrations 0001 and
 * 0008) or the FTS table.
 */
function listFilter(q: HistoryQuery, before: number): { where: string[]; params: unknown[] } {
  const where = ['deleted_at IS NULL', 'id < ?'];
  const params: unknown[] = [before];
  const match = q.search === undefined ? undefined : toFtsQuery(q.search);
  if (match !== undefined) {
    where.push('id IN (SELECT rowid FROM generations_fts WHERE generations_fts MATCH ?)');
    params.push(match);
  }
  if (q.model !== undefined) {
    where.push('model_id = ?');
    params.push(q.model);
  }
  if (q.cacheMethod !== undefined) {
    // 'none' matches uncached runs too: the column maps a recipe without a cache to 'none' (0008).
    where.push('cache_method = ?');
    params.push(q.cacheMethod);
  }
  // created_at is written by Date.toISOString (UTC, fixed width), so text order is time order.
  if (q.from !== undefined) {
    where.push('created_at >= ?');
    params.push(new Date(q.from).toISOString());
  }
  if (q.to !== undefined) {
    where.push('created_at < ?');
    params.push(new Date(q.to).toISOString());
  }
  if (q.favourites === true) where.push('favourite = 1');
  return { where, params };
}
