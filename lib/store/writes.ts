/**
 * How a repository writes many rows on either engine.
 *
 * Invariants:
 * - `atomically` runs a logical write in one transaction, so a reader never sees half of it. Inside a
 *   transaction already (a fenced write, `Store.fenced`, builds repositories on its transaction) it joins that
 *   one: Kysely cannot nest transactions, and the outer one is what must commit or roll back as a whole.
 * - `chunked` splits rows so a multi-row statement binds fewer than MAX_PARAMETERS values: SQLite refuses more
 *   than 32,766 per statement, PostgreSQL more than 65,535.
 */
import type { Db } from "./database";

export const MAX_PARAMETERS = 30_000;

export function atomically<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  if (db.kysely.isTransaction) return work(db);
  return db.kysely.transaction().execute((trx) => work({ ...db, kysely: trx }));
}

/** `items` in consecutive slices of at most (MAX_PARAMETERS − `extra`) / `perItem` items (at least one). */
export function chunked<T>(items: readonly T[], perItem: number, extra = 0): T[][] {
  const size = Math.max(1, Math.floor((MAX_PARAMETERS - 1 - extra) / perItem));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The last item of each key, in first-seen order: one multi-row upsert must not touch a row twice (PostgreSQL). */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

/** Code-unit order, the same on both engines (PostgreSQL's ORDER BY follows the database's collation). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
