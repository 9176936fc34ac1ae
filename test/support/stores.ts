/**
 * The store's test suites run on both engines: `describeStores(name, suite)` declares `suite` once for SQLite
 * and once for PostgreSQL (the integration project's server, test/integration/global-setup.ts). `fresh()` gives
 * each test an empty, migrated store: a new in-memory SQLite database, or the file's own PostgreSQL database
 * with every table emptied.
 */
import { afterAll, beforeAll, describe, inject } from "vitest";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase, type Db, type DialectName } from "@/lib/store/database";

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
