/**
 * How the PostgreSQL store fails (lib/store/database.ts): an unreachable server is Unavailable, a full pool is
 * Throttled (busy, not down), a statement past its timeout is Timeout, and a server that goes away mid-session
 * is Unavailable — each a coded error the pages and the runner act on, never a raw driver error.
 */
import { afterEach, expect, it } from "vitest";
import { sql } from "kysely";
import { openDatabase, type Db } from "@/lib/store/database";
import { createStore } from "@/lib/store";
import { freePort } from "../../support/postgres";
import { createPostgresDatabase } from "../../support/stores";

const opened: Db[] = [];
const open = (url: string, opts: Parameters<typeof openDatabase>[1] = {}) => {
  const db = openDatabase(url, opts);
  opened.push(db);
  return db;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

it("says Unavailable when nothing listens, and closes cleanly", async () => {
  const db = open(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { connectTimeoutMs: 1_000 });
  await expect(createStore(db).ping()).rejects.toMatchObject({ code: "Unavailable" });
  await expect(createStore(db).settings.get("k")).rejects.toMatchObject({ code: "Unavailable" });
});

it("says Throttled when every pooled connection is busy, not that the store is down", async () => {
  const db = open(await createPostgresDatabase(), { poolSize: 1, connectTimeoutMs: 500 });
  await createStore(db).ping();
  const hold = sql`SELECT pg_sleep(2)`.execute(db.kysely);
  await expect(createStore(db).ping()).rejects.toMatchObject({ code: "Throttled" });
  await hold;
  await createStore(db).ping();
});

it("says Timeout for a statement past the statement timeout, and the pool keeps working", async () => {
  const db = open(await createPostgresDatabase(), { statementTimeoutMs: 300 });
  await expect(sql`SELECT pg_sleep(3)`.execute(db.kysely)).rejects.toMatchObject({ code: "Timeout" });
  await createStore(db).ping();
});

it("says Unavailable when the server ends the session mid-way, and reconnects for the next call", async () => {
  const url = await createPostgresDatabase();
  const db = open(url, { poolSize: 1 });
  const store = createStore(db);
  await store.ping();
  const admin = open(url);
  const victim = sql`SELECT pg_sleep(1)`.execute(db.kysely).then(
    () => null,
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, 200));
  await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1)%' AND pid <> pg_backend_pid()`.execute(
    admin.kysely,
  );
  expect(await victim).toMatchObject({ code: "Unavailable" });
  await store.ping();
});
