/**
 * Small key/value settings the server keeps across restarts (the session signing key, the login token hashes).
 *
 * Invariants: `getOrInit`, `consume` and `take` are single statements, so replicas racing on one key agree: the
 * first insert wins for everybody, and a value is consumed (or taken) by exactly one caller.
 */
import { sql } from "kysely";
import type { Db } from "./database";
import { byCodeUnits } from "./writes";

export interface Setting {
  key: string;
  value: string;
}

export interface Settings {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Insert only if absent; returns the stored value (ours or the one another instance wrote first). */
  getOrInit(key: string, create: () => string): Promise<string>;
  /** Delete `key` only if it still holds `value`; true when this call consumed it (one-time use). */
  consume(key: string, value: string): Promise<boolean>;
  /** Delete `key` and return the value it held, or null: of callers racing on one key, exactly one gets it. */
  take(key: string): Promise<string | null>;
  /** Every setting whose key starts with `prefix`, by key. */
  withPrefix(prefix: string): Promise<Setting[]>;
}

export function createSettings(db: Db): Settings {
  const k = db.kysely;
  const get = async (key: string) => {
    const { rows } = await sql<{ value: string }>`SELECT value FROM settings WHERE key = ${key}`.execute(k);
    return rows[0]?.value ?? null;
  };
  return {
    get,
    async set(key, value) {
      await sql`
        INSERT INTO settings (key, value) VALUES (${key}, ${value})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(k);
    },
    async getOrInit(key, create) {
      await sql`INSERT INTO settings (key, value) VALUES (${key}, ${create()}) ON CONFLICT (key) DO NOTHING`.execute(
        k,
      );
      return (await get(key)) ?? "";
    },
    async consume(key, value) {
      const r = await sql`DELETE FROM settings WHERE key = ${key} AND value = ${value}`.execute(k);
      return Number(r.numAffectedRows ?? 0) === 1;
    },
    async take(key) {
      const { rows } = await sql<{ value: string }>`
        DELETE FROM settings WHERE key = ${key} RETURNING value`.execute(k);
      return rows[0]?.value ?? null;
    },
    async withPrefix(prefix) {
      // substr rather than LIKE: LIKE's case rules and wildcard escaping differ between the engines.
      const { rows } = await sql<Setting>`
        SELECT key, value FROM settings WHERE substr(key, 1, ${prefix.length}) = ${prefix}`.execute(k);
      // Sorted here: ORDER BY follows PostgreSQL's collation, SQLite's is by bytes; both engines agree on this.
      return rows.sort((a, b) => byCodeUnits(a.key, b.key));
    },
  };
}
