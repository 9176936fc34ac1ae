/**
 * Leases: a row per key saying which console replica drives it (the collector, the plan runner, one alias's
 * manual change) until when, and its generation.
 *
 * Invariants:
 * - Acquire is one UPSERT guarded by "free, expired, or already mine", so two replicas racing for a key cannot
 *   both win (SQLite serialises writers; PostgreSQL locks the row).
 * - The generation grows by one whenever the lease is taken by a new owner or taken again after lapsing or being
 *   released, and never otherwise; it never goes back (release expires the row instead of deleting it).
 * - A leader's writes are fenced (`Store.fenced`): they run in a transaction whose first statement checks the
 *   generation it acquired. A paused leader whose lease was taken over fails that check and writes nothing.
 */
import { sql } from "kysely";
import type { Db } from "./database";

export interface Lease {
  key: string;
  owner: string;
  generation: number;
  expiresAt: number;
}

/** What a leader's writes carry: the lease it holds, as acquired. */
export interface Fence {
  key: string;
  owner: string;
  generation: number;
}

export interface Leases {
  /** The lease when `owner` holds `key` until now + ttlMs (newly acquired or renewed), else null. */
  acquire(key: string, owner: string, now: number, ttlMs: number): Promise<Lease | null>;
  /** Lets the lease lapse at once (a clean shutdown), keeping its generation. */
  release(key: string, owner: string): Promise<void>;
  releaseAll(owner: string): Promise<void>;
  /** The unexpired holder of `key`, or null. */
  holder(key: string, now: number): Promise<Lease | null>;
}

interface Row {
  key: string;
  owner: string;
  generation: number;
  expires_at: number;
}

const toLease = (r: Row): Lease => ({
  key: r.key,
  owner: r.owner,
  generation: Number(r.generation),
  expiresAt: Number(r.expires_at),
});

export function createLeases(db: Db): Leases {
  const k = db.kysely;
  return {
    async acquire(key, owner, now, ttlMs) {
      const { rows } = await sql<Row>`
        INSERT INTO leases (key, owner, expires_at, generation) VALUES (${key}, ${owner}, ${now + ttlMs}, 1)
        ON CONFLICT (key) DO UPDATE SET
          owner = excluded.owner,
          expires_at = excluded.expires_at,
          generation = CASE WHEN leases.owner = excluded.owner AND leases.expires_at > ${now}
                            THEN leases.generation ELSE leases.generation + 1 END
        WHERE leases.owner = excluded.owner OR leases.expires_at <= ${now}
        RETURNING key, owner, generation, expires_at`.execute(k);
      return rows[0] ? toLease(rows[0]) : null;
    },
    async release(key, owner) {
      await sql`UPDATE leases SET expires_at = 0 WHERE key = ${key} AND owner = ${owner}`.execute(k);
    },
    async releaseAll(owner) {
      await sql`UPDATE leases SET expires_at = 0 WHERE owner = ${owner}`.execute(k);
    },
    async holder(key, now) {
      const { rows } = await sql<Row>`
        SELECT key, owner, generation, expires_at FROM leases WHERE key = ${key} AND expires_at > ${now}`.execute(
        k,
      );
      return rows[0] ? toLease(rows[0]) : null;
    },
  };
}

/**
 * The fence check, first statement of a fenced transaction: it takes the lease row's write lock (PostgreSQL) or
 * the database's (SQLite), so a takeover waits for this transaction to end, and it matches only while the
 * generation is the one the leader acquired. Returns false when the lease changed hands.
 */
export async function checkFence(db: Db, fence: Fence): Promise<boolean> {
  const r = await sql`
    UPDATE leases SET generation = generation
    WHERE key = ${fence.key} AND owner = ${fence.owner} AND generation = ${fence.generation}`.execute(
    db.kysely,
  );
  return Number(r.numAffectedRows ?? 0) === 1;
}
