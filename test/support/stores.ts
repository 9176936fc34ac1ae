/**
 * The store's test suites run on both engines: `describeStores(name, suite)` declares `suite` once for SQLite
 * and once for PostgreSQL (the integration project's server, test/integration/global-setup.ts). `fresh()` gives
 * each test an empty, migrated store: a new in-memory SQLite database, or the file's own PostgreSQL database
 * with every table emptied.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase, type Db, type DialectName } from "@/lib/store/database";
import { forPostgres, MIGRATIONS } from "@/lib/store/migrations";

export const DIALECTS: readonly DialectName[] = ["sqlite", "postgres"];

let counter = 0;

/** A new, empty PostgreSQL database on the integration project's server; returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = inject("postgresUrl");
  const name = `fs_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * A database of `dialect` as a previous release left it: migrated to `version` by its migrator (recorded as it
 * recorded them), then `statements` run (SQLite's text; the same in PostgreSQL). Returns its URL; a SQLite file's
 * folder is removed by the hook it pushes onto `cleanup`.
 */
export async function databaseAtVersion(
  dialect: DialectName,
  version: number,
  statements: readonly string[],
  cleanup: (() => unknown)[],
): Promise<string> {
  const migrations = MIGRATIONS.slice(0, version);
  if (dialect === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), `fs-v${version}-`));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "fs.db");
    const old = new Database(file);
    old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    migrations.forEach((m, i) => {
      old.exec(m);
      old.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 1)").run(i + 1);
    });
    for (const statement of statements) old.exec(statement);
    old.close();
    return `file:${file}`;
  }
  const url = await createPostgresDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    );
    for (const [i, m] of migrations.entries()) {
      await client.query(forPostgres(m));
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 1)", [i + 1]);
    }
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
  return url;
}

async function emptyAllTables(db: Db): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`.execute(
    db.kysely,
  );
  if (rows.length === 0) return;
  const list = rows.map((r) => `"${r.tablename}"`).join(", ");
  await sql.raw(`TRUNCATE ${list} RESTART IDENTITY`).execute(db.kysely);
}

export function describeStores(name: string, suite: (fresh: () => Promise<Db>) => void): void {
  describe.each(DIALECTS)(`${name} (%s)`, (dialect) => {
    const opened: Db[] = [];
    let shared: Db | null = null;
    beforeAll(async () => {
      if (dialect === "postgres") {
        shared = openDatabase(await createPostgresDatabase());
        await sql`SELECT 1`.execute(shared.kysely); // migrates
      }
    });
    afterAll(async () => {
      await Promise.all(opened.map((d) => d.close()));
      await shared?.close();
    });
    suite(async () => {
      if (dialect === "sqlite") {
        const db = openDatabase(":memory:");
        opened.push(db);
        return db;
      }
      if (!shared) throw new Error("PostgreSQL database not opened");
      await emptyAllTables(shared);
      return shared;
    });
  });
}
