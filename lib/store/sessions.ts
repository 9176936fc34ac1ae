/**
 * Server-side sessions: one row per signed-in browser. The cookie (a signed JWT) names its row; a cookie whose
 * row is gone is no session, so deleting rows is how sessions end (logout, "end all sessions", a new secret).
 */
import type { Db } from "./database";

export interface SessionRow {
  id: string;
  principalId: string;
  name: string;
  role: "operator" | "viewer";
  via: "token" | "oidc";
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  create(row: SessionRow): void;
  /** True while the session exists and has not expired. */
  isActive(id: string, now: number): boolean;
  /** Ends one session; true when it existed. */
  end(id: string): boolean;
  /** Ends every session; returns how many were ended. */
  endAll(): number;
  count(now: number): number;
}

export function createSessionStore(db: Db): SessionStore {
  const insert = db.prepare(
    `INSERT INTO sessions (id, principal_id, principal_name, role, via, created_at, expires_at)
     VALUES (@id, @principalId, @name, @role, @via, @createdAt, @expiresAt)`,
  );
  const prune = db.prepare("DELETE FROM sessions WHERE expires_at <= ?");
  const active = db.prepare("SELECT 1 FROM sessions WHERE id = ? AND expires_at > ?");
  const end = db.prepare("DELETE FROM sessions WHERE id = ?");
  const endAll = db.prepare("DELETE FROM sessions");
  const count = db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?");
  return {
    create(row) {
      // Expired rows are dead weight; sign-ins are rare, so pruning here keeps the table small.
      prune.run(row.createdAt);
      insert.run(row);
    },
    isActive: (id, now) => active.get(id, now) !== undefined,
    end: (id) => end.run(id).changes === 1,
    endAll: () => endAll.run().changes,
    count: (now) => (count.get(now) as { n: number }).n,
  };
}
