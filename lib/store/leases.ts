/**
 * Leases: a row per key saying which console instance drives it until when. Acquire is one UPSERT guarded by
 * "free, expired, or already mine", so two instances racing for the same alias cannot both win (SQLite
 * serialises writers). A crashed instance's lease lapses after its TTL; a clean shutdown releases it at once.
 */
import type { Db } from "./database";

export interface Leases {
  /** True when `owner` holds `key` until now + ttlMs (newly acquired or renewed). */
  acquire(key: string, owner: string, now: number, ttlMs: number): boolean;
  release(key: string, owner: string): void;
  releaseAll(owner: string): void;
  holder(key: string, now: number): string | null;
}

export function createLeases(db: Db): Leases {
  const upsert = db.prepare(
    `INSERT INTO leases (key, owner, expires_at) VALUES (@key, @owner, @expires)
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
  );
  const release = db.prepare("DELETE FROM leases WHERE key = ? AND owner = ?");
  const releaseAll = db.prepare("DELETE FROM leases WHERE owner = ?");
  const holder = db.prepare("SELECT owner FROM leases WHERE key = ? AND expires_at > ?");
  return {
    acquire: (key, owner, now, ttlMs) => upsert.run({ key, owner, now, expires: now + ttlMs }).changes === 1,
    release: (key, owner) => void release.run(key, owner),
    releaseAll: (owner) => void releaseAll.run(owner),
    holder: (key, now) => (holder.get(key, now) as { owner: string } | undefined)?.owner ?? null,
  };
}
