/**
 * The SQL store behind one interface, two engines, chosen by FLEETSCOPE_DATABASE_URL:
 * - SQLite (the embedded default): one file through better-sqlite3, no server. Migrated synchronously when
 *   opened, so a fresh file is ready before the first query.
 * - PostgreSQL (a team deployment): a connection pool shared by every repository, migrated on first use under an
 *   advisory lock, so replicas starting together apply each migration once. Every statement has a timeout, and an
 *   unreachable server fails the call with a coded Unavailable after `connectTimeoutMs` instead of hanging.
 *
 * Repositories see only `Db`: a Kysely instance and the dialect's name. Their SQL is the portable subset both
 * engines run the same way (`sql` templates bind parameters per dialect); the one place a query differs by
 * engine says so next to the `dialect` check.
 */
import Database from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
} from "kysely";
import pg from "pg";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { FleetscopeError, invalidInput } from "@/lib/core/errors";
import { MIGRATIONS, forPostgres } from "./migrations";

export type DialectName = "sqlite" | "postgres";

/** Rows are typed per query (`sql<Row>`), so the builder's table map is left open. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tables = any;

export interface Db {
  readonly dialect: DialectName;
  readonly kysely: Kysely<Tables>;
  /** Closes the file or the pool; the Db is unusable afterwards. */
  close(): Promise<void>;
  /** While every connection of the pool is in use, how many there are; else null (and always null on SQLite). */
  saturated?(): number | null;
}

export const DEFAULT_DATABASE_URL = "file:.data/fleetscope.db";

export interface PostgresOptions {
  /** Connections per process (each replica has its own pool). */
  poolSize?: number;
  /** Server-side `statement_timeout`: a query running longer is cancelled by PostgreSQL. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (server unreachable, pool exhausted) before failing the call. */
  connectTimeoutMs?: number;
  /**
   * A session idle inside a transaction longer than this is ended by the server. A leader frozen inside a fenced
   * transaction holds the lease row's lock: keep this under the lease period so a takeover waits at most that.
   */
  idleInTransactionTimeoutMs?: number;
}

export type DatabaseTarget =
  { dialect: "sqlite"; file: string } | { dialect: "postgres"; connectionString: string };

/**
 * `postgres://…` / `postgresql://…`, or SQLite as `file:relative/or/absolute.db`, `sqlite:…` (same),
 * `sqlite:///absolute.db` or `:memory:`. Anything else is refused at start-up with the list of what is supported.
 */
export function resolveDatabaseTarget(url: string, cwd: string): DatabaseTarget {
  if (/^postgres(?:ql)?:\/\//.test(url)) return { dialect: "postgres", connectionString: url };
  if (url === ":memory:") return { dialect: "sqlite", file: url };
  const m = /^(?:file|sqlite):(?:\/\/)?(.+)$/.exec(url);
  if (!m?.[1]) {
    throw invalidInput(
      `FLEETSCOPE_DATABASE_URL "${redact(url)}" is not supported: use postgres://user:password@host:port/db ` +
        `(PostgreSQL), or file:<path>, sqlite:<path> or :memory: (SQLite).`,
      { url: redact(url) },
    );
  }
  return { dialect: "sqlite", file: path.resolve(cwd, m[1]) };
}

/** A URL as it may be printed: never its password. */
export function redact(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+):[^@]*@/, "$1:***@");
}

export interface OpenOptions extends PostgresOptions {
  cwd?: string;
  /** Stamps applied migrations (the store's only clock reading); without it the engine's clock does. */
  now?: () => number;
}

export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  const target = resolveDatabaseTarget(url, opts.cwd ?? process.cwd());
  return target.dialect === "postgres"
    ? openPostgres(target.connectionString, opts)
    : openSqlite(target.file, opts.now);
}

function openSqlite(file: string, now?: () => number): Db {
  if (file !== ":memory:") protectStoreFile(file);
  const sqlite = new Database(file);
  // WAL lets the page renderer read while the plan runner writes; busy_timeout waits out another instance's lock.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // A long range's per-function totals sort ~10⁵ rollup rows by key (GROUP BY): in memory, not in temp files
  // (a third of a 30-day fleet view at 5,000 functions; test/bench store-overview). The page cache grows to 64 MB.
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("cache_size = -65536");
  migrateSqlite(sqlite, now);
  // SQLite gives -wal/-shm the database file's mode; tighten them anyway in case they predate the fix.
  if (file !== ":memory:") for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) ownerOnly(f);
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { dialect: "sqlite", kysely, close: () => kysely.destroy() };
}

// PostgreSQL returns 64-bit integers (epoch ms, COUNT) and NUMERIC (SUM of integers) as strings so no digit is
// lost; every such value in this schema is an epoch-ms time or a count, both exact in a double.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === PG_INT8 || oid === PG_NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * What a failed PostgreSQL call means to the console: the server gone or the network broken → Unavailable; a
 * statement past its timeout (server-side 57014, or our client-side read timeout) → Timeout. Anything else (a
 * constraint violation the repositories turn into Conflict, a bug) is left as it is.
 */
export function mapPostgresError(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof FleetscopeError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === "57014" || e.message === "Query read timeout")
    return new FleetscopeError("Timeout", `A store query took too long: ${e.message}`, { store: "postgres" });
  const network = ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"];
  if (
    (typeof code === "string" && (/^(08|57P0)/.test(code) || network.includes(code))) ||
    /Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message)
  )
    return storeUnavailable(e);
  return e;
}

/**
 * pg's client with failures mapped once (mapPostgresError) and a query that outlives its read timeout dropping its
 * connection: the server may never answer (a partition), and a connection left waiting would be handed out again.
 */
class StoreClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A checked-out client's socket error is emitted as an event (the pool listens only to idle ones): without
    // a listener it would crash the process. The query in flight rejects with the same error, mapped below.
    this.on("error", () => undefined);
  }
}
const baseQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
Object.defineProperty(StoreClient.prototype, "query", {
  value(this: pg.Client, ...args: unknown[]) {
    const result = baseQuery.apply(this, args);
    if (!(result instanceof Promise)) return result;
    return result.catch((e: unknown) => {
      const mapped = mapPostgresError(e);
      // A connection that timed out or broke is ended here, so the pool discards it on release instead of
      // handing it to the next caller (who would fail once more on a dead socket).
      if (mapped instanceof FleetscopeError && (mapped.code === "Unavailable" || mapped.code === "Timeout"))
        void this.end().catch(() => undefined);
      throw mapped;
    });
  },
});

function openPostgres(connectionString: string, opts: OpenOptions): Db {
  const statementTimeoutMs = opts.statementTimeoutMs ?? 15_000;
  const max = opts.poolSize ?? 10;
  const pool = new pg.Pool({
    Client: StoreClient,
    connectionString,
    max,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    statement_timeout: statementTimeoutMs,
    // The server cancels a slow statement; this bounds the wait when the server cannot even say so (a partition).
    query_timeout: statementTimeoutMs + 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A transaction left open by a stalled replica must not hold row locks (a lease row) for long.
    idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs ?? 15_000,
    types: pgTypes,
  });
  // An idle client's socket error (server restarted) is reported here; without a listener it would crash the
  // process. The next query reconnects.
  pool.on("error", (e) =>
    console.warn(`[fleetscope] store: idle PostgreSQL connection failed: ${e.message}`),
  );
  const inner = new PostgresDialect({ pool });
  const dialect: Dialect = {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new MigratingDriver(inner.createDriver(), pool, opts.now),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
  const kysely = new Kysely<Tables>({ dialect });
  // Kysely's destroy waits for a pending first connection and rethrows its failure without ending the pool
  // (an unreachable server): end the pool ourselves, so closing always closes.
  const close = async () => {
    await kysely.destroy().catch(() => undefined);
    if (!pool.ended) await pool.end().catch(() => undefined);
  };
  const saturated = () => (pool.totalCount >= max && pool.idleCount === 0 ? pool.totalCount : null);
  return { dialect: "postgres", kysely, close, saturated };
}

/**
 * Kysely initialises a driver once, before its first query, and retries a failed init on the next query: the
 * schema is brought up to date there, so a replica started before its database is reachable starts anyway and
 * migrates when it first can. Connection failures become coded Unavailable errors (pages say the store is down).
 */
class MigratingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly pool: pg.Pool,
    private readonly now?: () => number,
  ) {}
  async init(): Promise<void> {
    await this.inner.init();
    const conn = await unavailableOnFailure(() => this.inner.acquireConnection(), this.pool);
    try {
      await migratePostgres(conn, this.now);
    } finally {
      await this.inner.releaseConnection(conn);
    }
  }
  acquireConnection = () => unavailableOnFailure(() => this.inner.acquireConnection(), this.pool);
  beginTransaction: Driver["beginTransaction"] = (c, s) => this.inner.beginTransaction(c, s);
  commitTransaction: Driver["commitTransaction"] = (c) => this.inner.commitTransaction(c);
  rollbackTransaction: Driver["rollbackTransaction"] = (c) => this.inner.rollbackTransaction(c);
  releaseConnection: Driver["releaseConnection"] = (c) => this.inner.releaseConnection(c);
  destroy = () => this.inner.destroy();
}

/**
 * A connection that could not be had: every connection busy (the pool is full and none came free in time) is
 * Throttled, so a loaded replica is not reported as down; anything else (refused, unresolvable, timed out while
 * connecting) is Unavailable.
 */
async function unavailableOnFailure<T>(fn: () => Promise<T>, pool: pg.Pool): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FleetscopeError) throw e;
    if (pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0) throw storeBusy(pool.totalCount);
    throw storeUnavailable(e);
  }
}

/** Every pooled connection in use: the store answers others; this replica is loaded, not cut off. */
export const storeBusy = (connections: number): FleetscopeError =>
  new FleetscopeError(
    "Throttled",
    `The store is busy: all ${connections} connections of this replica are in use.`,
    {
      store: "postgres",
    },
  );

/** The coded error every page and the runner see when the database cannot be reached. */
export function storeUnavailable(cause: unknown): FleetscopeError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new FleetscopeError("Unavailable", `The store (PostgreSQL) is unreachable: ${message}`, {
    store: "postgres",
  });
}

// Any constant: replicas starting together take it in turn, so each migration runs once.
const MIGRATION_LOCK = 0x466c7374; // "Flst"

async function migratePostgres(conn: DatabaseConnection, now?: () => number): Promise<void> {
  const run = (sql: string, parameters: unknown[] = []) =>
    conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, parameters));
  await run("BEGIN");
  try {
    await run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await run(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    );
    const applied = new Set(
      (await run("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version)),
    );
    for (const [i, migration] of MIGRATIONS.entries()) {
      const version = i + 1;
      if (applied.has(version)) continue;
      await run(forPostgres(migration));
      await run(
        "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, COALESCE($2, (extract(epoch from clock_timestamp()) * 1000)::bigint))",
        [version, now?.() ?? null],
      );
    }
    await run("COMMIT");
  } catch (e) {
    await run("ROLLBACK").catch(() => undefined);
    throw e;
  }
}

/** Runs every migration not yet recorded, each in its own write transaction (another process waits its turn). */
export function migrateSqlite(db: Database.Database, now?: () => number): void {
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
