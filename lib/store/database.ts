/**
 * The embedded SQL store: SQLite through better-sqlite3 (synchronous, one file, no server), chosen by
 * FLEETSCOPE_DATABASE_URL. Migrations run in order inside one transaction each and are recorded in
 * `schema_migrations`, so two processes opening the same file apply each migration once (SQLite's write lock
 * serialises them; the second sees the first's record).
 */
import Database from "better-sqlite3";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { invalidInput } from "@/lib/core/errors";
import { MIGRATIONS } from "./migrations";

export type Db = Database.Database;

export const DEFAULT_DATABASE_URL = "file:.data/fleetscope.db";

/**
 * `file:relative/or/absolute.db`, `sqlite:…` (same), `sqlite:///absolute.db`, or `:memory:`. Anything else
 * (postgres://…) is refused at start-up with the list of what is supported, never silently ignored.
 */
export function resolveDatabasePath(url: string, cwd: string): string {
  if (url === ":memory:") return url;
  const m = /^(?:file|sqlite):(?:\/\/)?(.+)$/.exec(url);
  if (!m?.[1]) {
    throw invalidInput(
      `FLEETSCOPE_DATABASE_URL "${url}" is not supported: use file:<path>, sqlite:<path> or :memory: (SQLite).`,
      { url },
    );
  }
  return path.resolve(cwd, m[1]);
}

/** `now` stamps applied migrations (the store's only clock reading); without it SQLite's own clock does. */
export function openDatabase(url: string, cwd = process.cwd(), now?: () => number): Db {
  const file = resolveDatabasePath(url, cwd);
  if (file !== ":memory:") protectStoreFile(file);
  const db = new Database(file);
  // WAL lets the page renderer read while the plan runner writes; busy_timeout waits out another instance's lock.
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  // A long range's per-function totals sort ~10⁵ rollup rows by key (GROUP BY): in memory, not in temp files
  // (a third of a 30-day fleet view at 5,000 functions; test/bench store-overview). The page cache grows to 64 MB.
  db.pragma("temp_store = MEMORY");
  db.pragma("cache_size = -65536");
  migrate(db, now);
  // SQLite gives -wal/-shm the database file's mode; tighten them anyway in case they predate the fix.
  if (file !== ":memory:") for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) ownerOnly(f);
  return db;
}

/**
 * The store holds the session-signing secret and login-token hash: only its owner may read it. A directory we
 * create is 0700 (one that exists may be shared, e.g. /tmp, so it is left alone); the file is 0600, made so
 * before SQLite opens it, and an existing world-readable store is tightened.
 */
function protectStoreFile(file: string): void {
  const created = mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (created) chmodSync(path.dirname(file), 0o700); // mkdir's mode is filtered by the umask
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  ownerOnly(file);
}

/** Best effort on a file someone else owns (a shared team store): say so rather than refuse to start. */
function ownerOnly(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    console.warn(`[fleetscope] could not make ${file} private (0600): ${(e as Error).message}`);
  }
}

export function migrate(db: Db, now?: () => number): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const applied = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
  // applied_at is bookkeeping no view computes with: an injected clock if given, else SQLite's (ms since epoch).
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, COALESCE(?, CAST(unixepoch('subsec') * 1000 AS INTEGER)))",
  );
  MIGRATIONS.forEach((sql, i) => {
    const version = i + 1;
    db.transaction(() => {
      if (applied.get(version)) return;
      db.exec(sql);
      record.run(version, now?.() ?? null);
    }).immediate();
  });
}
