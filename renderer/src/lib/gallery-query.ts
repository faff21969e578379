/**
 * The gallery's filters as the user sets them, and the `history.list` query they mean.
 *
 * Dates are calendar days in the user's time zone (what an <input type="date"> holds,
 * YYYY-MM-DD); the store keeps UTC instants, so a day becomes [its local midnight, the next
 * local midnight). `to` is inclusive for the user ("up to the 3rd" includes the 3rd).
 */
import type { HistoryQuery } from '../../../contract/api';
import type { CacheMethod } from '../../../core/cache/types';

export interface GalleryFilters {
  search: string;
  /** A model id, or '' for every model. */
  model: string;
  /** A cache method ('none' = uncached), or '' for any. */
  cacheMethod: CacheMethod | '';
  /** First day shown, YYYY-MM-DD local, or ''. */
  from: string;
  /** Last day shown (inclusive), YYYY-MM-DD local, or ''. */
  to: string;
  favourites: boolean;
}

export const NO_FILTERS: GalleryFilters = { search: '', model: '', cacheMethod: '', from: '', to: '', favourites: false };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight starting the day `ymd` (+ `plusDays`), as an ISO instant; undefined for a malformed day. */
export function localDayStart(ymd: string, plusDays = 0): string | undefined {
  const m = DAY.exec(ymd);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toHistoryQuery(filters: GalleryFilters): HistoryQuery {
  const query: HistoryQuery = {};
  const search = filters.search.trim();
  if (search) query.search = search;
  if (filters.model) query.model = filters.model;
  if (filters.cacheMethod) query.cacheMethod = filters.cacheMethod;
  const from = localDayStart(filters.from);
  if (from) query.from = from;
  const to = localDayStart(filters.to, 1);
  if (to) query.to = to;
  if (filters.favourites) query.favourites = true;
  return query;
}

/** Whether any filter narrows the grid (for the empty-state message). */
export function isFiltered(filters: GalleryFilters): boolean {
  return Object.keys(toHistoryQuery(filters)).length > 0;
}
