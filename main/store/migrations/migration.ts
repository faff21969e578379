/**
 * One numbered schema change (Signal Desktop's `migrations/NNNN-name.ts` pattern).
 *
 * `version` is the value `PRAGMA user_version` holds after `up` ran; versions are 1, 2, 3…
 * with no gaps. `up` runs inside the transaction `openStudioDb` opens, so it must be
 * synchronous and must not open its own transaction. A migration, once released, is never
 * edited: fix mistakes with a new one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
