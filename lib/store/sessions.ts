/**
 * Server-side sessions: one row per signed-in browser. The cookie (a signed JWT) names its row; a cookie whose
 * row is gone is no session, so deleting rows is how sessions end (logout, "end all sessions", a new secret).
 */
import { sql } from "kysely";
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
  create(row: SessionRow): Promise<void>;
  /** True while the session exists and has not expired. */
  isActive(id: string, now: number): Promise<boolean>;
  /** Ends one session; true when it existed. */
  end(id: string): Promise<boolean>;
  /** Ends every session; returns how many were ended. */
  endAll(): Promise<number>;
  count(now: number): Promise<number>;
}

export function createSessionStore(db: Db): SessionStore {
  const k = db.kysely;
  const affected = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);
  return {
    async create(row) {
      // Expired rows are dead weight; sign-ins are rare, so pruning here keeps the table small.
      await sql`DELETE FROM sessions WHERE expires_at <= ${row.createdAt}`.execute(k);
      await sql`
        INSERT INTO sessions (id, principal_id, principal_name, role, via, created_at, expires_at)
        VALUES (${row.id}, ${row.principalId}, ${row.name}, ${row.role}, ${row.via}, ${row.createdAt},
                ${row.expiresAt})`.execute(k);
    },
    async isActive(id, now) {
      const { rows } =
        await sql`SELECT 1 AS one FROM sessions WHERE id = ${id} AND expires_at > ${now}`.execute(k);
      return rows.length > 0;
    },
    end: async (id) => affected(await sql`DELETE FROM sessions WHERE id = ${id}`.execute(k)) === 1,
    endAll: async () => affected(await sql`DELETE FROM sessions`.execute(k)),
    async count(now) {
      const { rows } = await sql<{ n: number }>`
        SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ${now}`.execute(k);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
