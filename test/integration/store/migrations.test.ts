/**
 * One schema history, two engines: after migrating, SQLite and PostgreSQL have the same tables, columns, primary
 * keys and indexes; the partial unique index holds on both; re-opening applies nothing twice; and a SQLite file
 * of an older release (versions 1–9) is brought up to date with its data intact (version 10 to 11: accounts.test.ts);
 * a database at version 11, on either engine, gains the collector's per-account state (version 12) keeping its rows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { epochMs } from "@/lib/core/units";
import { createStore } from "@/lib/store";
import { createAuditLog } from "@/lib/store/audit-log";
import { openDatabase, type Db } from "@/lib/store/database";
import { createLeases } from "@/lib/store/leases";
import { MIGRATIONS } from "@/lib/store/migrations";
import { createPlanStore } from "@/lib/store/plans";
import { createSettings } from "@/lib/store/settings";
import { createPostgresDatabase, databaseAtVersion, DIALECTS, describeStores } from "../../support/stores";

const opened: Db[] = [];
const dirs: string[] = [];
const removals: (() => void)[] = [];
const open = (url: string) => {
  const db = openDatabase(url);
  opened.push(db);
  return db;
};
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const remove of removals.splice(0)) remove();
});

interface Column {
  name: string;
  notNull: boolean;
}
interface TableShape {
  columns: Column[];
  primaryKey: string[];
}
type Schema = Record<string, TableShape>;

async function sqliteSchema(db: Db): Promise<{ tables: Schema; indexes: string[] }> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name`.execute(
    db.kysely,
  );
  const schema: Schema = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ name: string; notnull: number; pk: number }>`
      SELECT name, "notnull", pk FROM pragma_table_info(${name}) ORDER BY cid`.execute(db.kysely);
    const primaryKey = rows
      .filter((r) => r.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((r) => r.name);
    schema[name] = {
      // A primary key column is NOT NULL in PostgreSQL always, in SQLite only for some table kinds: compare the rest.
      columns: rows.map((r) => ({ name: r.name, notNull: primaryKey.includes(r.name) || r.notnull === 1 })),
      primaryKey,
    };
  }
  const { rows: indexes } = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`.execute(db.kysely);
  return { tables: schema, indexes: indexes.map((r) => r.name) };
}

async function postgresSchema(db: Db): Promise<{ tables: Schema; indexes: string[] }> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
    SELECT table_name, column_name, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(db.kysely);
  const { rows: keys } = await sql<{ table_name: string; column_name: string }>`
    SELECT k.table_name, k.column_name
    FROM information_schema.table_constraints c
    JOIN information_schema.key_column_usage k
      ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.constraint_type = 'PRIMARY KEY'
    ORDER BY k.table_name, k.ordinal_position`.execute(db.kysely);
  const schema: Schema = {};
  for (const c of columns) {
    const t = (schema[c.table_name] ??= { columns: [], primaryKey: [] });
    t.columns.push({ name: c.column_name, notNull: c.is_nullable === "NO" });
  }
  for (const k of keys) schema[k.table_name]?.primaryKey.push(k.column_name);
  // Indexes created by the history, not the ones PostgreSQL makes for primary keys.
  const { rows: indexes } = await sql<{ indexname: string }>`
    SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\_pkey' ORDER BY indexname`.execute(
    db.kysely,
  );
  return { tables: schema, indexes: indexes.map((r) => r.indexname) };
}

const versions = async (db: Db) =>
  (
    await sql<{ version: number }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db.kysely)
  ).rows.map((r) => Number(r.version));

const allVersions = MIGRATIONS.map((_, i) => i + 1);

describe("one schema on both engines", () => {
  it("has the same tables, columns (names and NOT NULL), primary keys and indexes after migrating", async () => {
    const lite = open(":memory:");
    const pg = open(await createPostgresDatabase());
    const [a, b] = [await sqliteSchema(lite), await postgresSchema(pg)];
    // Sanity: the comparison sees the whole history, not two empty schemas.
    expect(Object.keys(a.tables)).toEqual(
      expect.arrayContaining(["plans", "leases", "metric_rollups", "sessions"]),
    );
    expect(a.tables.leases?.columns.map((c) => c.name)).toEqual(["key", "owner", "expires_at", "generation"]);
    expect(a.tables.metric_rollups?.primaryKey).toEqual(["account", "region", "res", "t", "fn"]);
    expect(a.indexes).toContain("plans_one_running");
    // Every table with a region holds the account, first in its key wherever the region is part of it.
    const regional = Object.entries(a.tables).filter(([, t]) => t.columns.some((c) => c.name === "region"));
    expect(regional.length).toBeGreaterThanOrEqual(13);
    for (const [name, t] of regional) {
      expect(
        t.columns.find((c) => c.name === "account"),
        name,
      ).toEqual({ name: "account", notNull: true });
      if (t.primaryKey.includes("region"))
        expect(t.primaryKey.slice(0, 2), name).toEqual(["account", "region"]);
    }
    expect(b.tables).toEqual(a.tables);
    expect(b.indexes).toEqual(a.indexes);
  });

  it("migrates a new PostgreSQL database once when several replicas open it at the same time", async () => {
    const url = await createPostgresDatabase();
    const replicas = [open(url), open(url), open(url)];
    await Promise.all(replicas.map((db) => sql`SELECT 1`.execute(db.kysely)));
    expect(await versions(replicas[0] as Db)).toEqual(allVersions);
    // A replica started later finds everything applied.
    const late = open(url);
    await sql`SELECT 1`.execute(late.kysely);
    expect(await versions(late)).toEqual(allVersions);
  });

  it("re-opens an already migrated SQLite file without applying anything twice", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fs-migrations-"));
    dirs.push(dir);
    const first = open(`file:${dir}/fs.db`);
    await createSettings(first).set("k", "v");
    await first.close();
    const again = open(`file:${dir}/fs.db`);
    expect(await versions(again)).toEqual(allVersions);
    expect(await createSettings(again).get("k")).toBe("v");
  });
});

describeStores("migrated schema", (fresh) => {
  it("records each version once", async () => {
    expect(await versions(await fresh())).toEqual(allVersions);
  });

  it("refuses a second running plan on one alias in the database itself (partial unique index)", async () => {
    const db = await fresh();
    const insert = (id: string, alias: string, status: string, account = "111111111111") =>
      sql`
        INSERT INTO plans (id, created_at, updated_at, actor, account, region, function_name, alias, spec_json,
          state_json, status)
        VALUES (${id}, 1, 1, 'op', ${account}, 'us-east-1', 'f', ${alias}, '{}', '{}', ${status})`.execute(
        db.kysely,
      );
    await insert("p1", "live", "running");
    await expect(insert("p2", "live", "running")).rejects.toThrow(/UNIQUE constraint failed|duplicate key/);
    // Only running plans are unique: finished ones, other aliases and other accounts' same alias are not.
    await insert("p3", "live", "succeeded");
    await insert("p4", "live", "rolled_back");
    await insert("p5", "beta", "running");
    await insert("p6", "live", "running", "222222222222");
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM plans`.execute(db.kysely);
    expect(rows[0]?.n).toBe(5);
  });
});

describe("upgrading the previous release's SQLite file", () => {
  it("applies versions 10 and 11 to a file migrated to version 9, keeping its data", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fs-upgrade-"));
    dirs.push(dir);
    const file = path.join(dir, "fs.db");
    // What the previous release left behind: versions 1–9, recorded as its migrator did, and some state.
    const old = new Database(file);
    old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    MIGRATIONS.slice(0, 9).forEach((m, i) => {
      old.exec(m);
      old
        .prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
        .run(i + 1, 1_700_000_000_000);
    });
    old.prepare("INSERT INTO settings (key, value) VALUES (?, ?)").run("session_secret", "s3cret");
    old
      .prepare("INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?)")
      .run("plan-runner", "old", 5_000);
    old
      .prepare(
        `INSERT INTO plans (id, created_at, updated_at, actor, region, function_name, alias, spec_json, state_json,
           status, last_revision_id) VALUES ('p1', 1, 2, 'op', 'us-east-1', 'f', 'live', '{"alias":"live"}',
           '{"status":"running","step":1,"stepStartedAt":2,"reason":null}', 'running', 'r7')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO audit_log (at, actor, region, function_name, alias, action, before_json, after_json, reason,
           outcome, detail, plan_id) VALUES (3, 'op', 'us-east-1', 'f', 'live', 'plan.step', NULL, NULL, '', 'applied',
           'ok', 'p1')`,
      )
      .run();
    old.close();

    const db = open(`file:${file}`);
    expect(await versions(db)).toEqual(allVersions);
    expect(allVersions).toContain(11);
    expect(await createSettings(db).get("session_secret")).toBe("s3cret");
    const plan = await createPlanStore(db).get("p1");
    expect(plan).toMatchObject({
      lastRevisionId: "r7",
      pending: null,
      state: { status: "running", step: 1 },
    });
    expect(await createAuditLog(db).list()).toMatchObject([{ id: 1, planId: "p1", action: "plan.step" }]);
    // The lease row gained a generation (0: never fenced); taking it over starts the new generations above it.
    expect(await createLeases(db).holder("plan-runner", 4_000)).toMatchObject({
      owner: "old",
      generation: 0,
    });
    expect(await createLeases(db).acquire("plan-runner", "new", 6_000, 1_000)).toMatchObject({
      generation: 1,
    });
  });
});

/** What the previous release left at version 11: its schema, as its migrator recorded it, and an account event. */
const V11_EVENT = `INSERT INTO collector_events (at, account, region, source, level, message)
  VALUES (1700000000000, '333333333333', '*', 'account', 'error', 'AccessDenied: not authorized')`;

describe.each(DIALECTS)("upgrading a version-11 database (%s)", (dialect) => {
  it("applies version 12: an empty per-account collector state, every older row kept", async () => {
    const db = open(await databaseAtVersion(dialect, 11, [V11_EVENT], removals));
    expect(await versions(db)).toEqual(allVersions);
    expect(allVersions).toContain(12);
    const store = createStore(db);
    expect(await store.telemetry.events(10)).toMatchObject([
      { account: "333333333333", source: "account", level: "error" },
    ]);
    // No state carried over from the events: the collector writes each account's on its first try.
    expect(await store.collectorAccounts.list()).toEqual([]);
    const error = { code: "AccessDenied", message: "not authorized" };
    const since = epochMs(1_800_000_000_000);
    await store.collectorAccounts.put("333333333333", { ...error, since }, since);
    expect(await store.collectorAccounts.list()).toEqual([
      {
        account: "333333333333",
        state: "failing",
        error,
        failingSince: 1_800_000_000_000,
        updatedAt: 1_800_000_000_000,
      },
    ]);
  });
});
