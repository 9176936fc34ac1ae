/**
 * Rows stored before the store recorded accounts (migration 11 gave them account '') belong to the account the
 * console then read: the collector adopts them into its default account once per start.
 *
 * Invariants:
 * - Every table with an account column is adopted in one transaction: a reader never sees half of them moved.
 * - Within it, rows move in batches of at most `batchSize` rows, one short statement each (PostgreSQL's
 *   `statement_timeout` applies per statement, so a big store no longer times out and retries every tick). The
 *   duplicate-key DELETE and the collector_costs merge are bounded the same way. Batches walk each table's key
 *   order with a cursor: on PostgreSQL a moved row's old index entries stay until the transaction ends, and a
 *   batch that looked for '' rows from the start again would step over all of them (quadratic).
 * - Idempotent: a second call finds no legacy rows and changes nothing. The collector's store-wide events keep
 *   account '' (they belong to no account): not legacy, never moved.
 * - Where the account already holds a row with the same key (written after the upgrade, before adoption), that
 *   newer row wins and the legacy one is dropped, so adoption never fails on a duplicate key. Except
 *   collector_costs: its columns are counters, so the legacy hour is added into the account's hour.
 * - A legacy running plan on an alias the account already runs a plan on (one running plan per alias) is adopted
 *   as aborted, its reason saying it was superseded, with a "plan.abort" audit entry: it shows, and never runs.
 */
import { sql, type RawBuilder } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { PlanState } from "@/lib/core/traffic/plan";
import { epochMs } from "@/lib/core/units";
import { createAuditLog } from "./audit-log";
import type { Db } from "./database";
import { atomically } from "./writes";

export const ADOPTION_BATCH_ROWS = 5_000;

export const SUPERSEDED_REASON = "superseded: another plan on this alias started while the console upgraded";

/** Who the audit log names for a plan stopped by adoption (no operator, no runner). */
export const ADOPTION_ACTOR = "account-adoption";

export interface AdoptOptions {
  /** Rows per statement (at least 1). */
  batchSize?: number;
  /** Epoch ms stamped on plans stopped as superseded and on their audit entries; default: the database's clock. */
  now?: number;
}

interface AccountTable {
  table: string;
  /** The rest of the primary key after `account`; null: keyed by `id` alone, no duplicate possible. */
  key: readonly string[] | null;
  /** Counter columns summed into the account's row on a duplicate key (instead of the account's row winning). */
  counters?: readonly string[];
  /** Rows with account '' that are not legacy but store-wide (kept ''), as SQL on the table's columns. */
  storeWide?: string;
}

const ACCOUNT_TABLES: readonly AccountTable[] = [
  { table: "metric_rollups", key: ["region", "res", "t", "fn"] },
  { table: "log_rollups", key: ["region", "res", "t", "log_group"] },
  { table: "rollup_coverage", key: ["region", "source", "res"] },
  {
    table: "collector_costs",
    key: ["region", "source", "hour"],
    counters: ["requests", "bytes_scanned", "minutes"],
  },
  { table: "inventory_functions", key: ["region", "name"] },
  { table: "inventory_regions", key: ["region"] },
  { table: "trigger_readings", key: ["region", "name"] },
  { table: "trigger_mapping_listings", key: ["region"] },
  { table: "error_groups", key: ["region", "fn", "t", "version", "fingerprint"] },
  { table: "error_partial_minutes", key: ["region", "t", "log_group"] },
  { table: "audit_log", key: null },
  { table: "plans", key: null },
  // The collector's store-wide events (retention, the accounts undecided) are written with account '' and region
  // '*' still: they belong to no account. Before accounts, region '*' was only ever store-wide too.
  { table: "collector_events", key: null, storeWide: "region = '*'" },
];

const affected = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);

/**
 * Moves every row with account '' to `account`; returns how many it moved (a cost hour added into the account's
 * counts, and a superseded plan, included; a dropped duplicate not).
 */
export function adoptLegacyAccount(db: Db, account: AccountId, options: AdoptOptions = {}): Promise<number> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? ADOPTION_BATCH_ROWS));
  return atomically(db, async (tx) => {
    let moved = await stopSupersededPlans(tx, account, options.now);
    for (const spec of ACCOUNT_TABLES) moved += await adoptTable(tx, account, spec, batchSize);
    return moved;
  });
}

/**
 * One table, batch by batch in primary-key order, each batch's last key the next one's cursor. Keyed tables: the
 * primary key starts with `account`, so a batch is the next `batchSize` '' rows, one stretch of that index. Tables
 * keyed by id (no index has the account before the id): the next `batchSize` ids, whatever their account. Both
 * statements of a batch name the same range, read through the primary key.
 */
async function adoptTable(
  tx: Db,
  account: AccountId,
  spec: AccountTable,
  batchSize: number,
): Promise<number> {
  const { table, key, counters } = spec;
  const t = sql.table(table);
  const legacy = spec.storeWide ? sql.raw(`account = '' AND NOT (${spec.storeWide})`) : sql`account = ''`;
  if (!key) {
    const { rows } = await sql`SELECT 1 AS legacy FROM ${t} WHERE ${legacy} LIMIT 1`.execute(tx.kysely);
    if (rows.length === 0) return 0;
  }
  const order = key ?? ["id"];
  const columns = sql.raw(order.join(", "));
  const tuple = (values: readonly unknown[]) => sql.join(values);
  let moved = 0;
  let after: unknown[] | null = null;
  for (;;) {
    // The cursor's row values are written after `account = ''`, not with it: both engines then read them as a
    // range of the primary key (SQLite uses a leading row value only as `account = ?`).
    const above: RawBuilder<unknown> = after ? sql`(${columns}) > (${tuple(after)})` : sql`1 = 1`;
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${columns} FROM ${t} WHERE ${key ? sql`account = '' AND ` : sql``}${above}
      ORDER BY ${columns} LIMIT 1 OFFSET ${batchSize - 1}`.execute(tx.kysely);
    const first = rows[0];
    const last: unknown[] | null = first ? order.map((c) => first[c]) : null;
    // No batchSize-th row: this batch is all that is left.
    const range = sql`${legacy} AND ${above}${last ? sql` AND (${columns}) <= (${tuple(last)})` : sql``}`;
    if (key && counters) {
      moved += await addInto(tx, account, table, key, counters, range);
    } else {
      if (key) {
        // A scalar subquery, not EXISTS: PostgreSQL may turn EXISTS into a join planned on statistics that say the
        // account holds few rows, and scan all of them per legacy row while this transaction keeps adding to them.
        // This form is one primary-key probe per row on both engines.
        const same = sql.raw(key.map((c) => `n.${c} = ${table}.${c}`).join(" AND "));
        await sql`
          DELETE FROM ${t} WHERE ${range} AND (
            SELECT 1 FROM ${t} AS n WHERE n.account = ${account} AND ${same} LIMIT 1) IS NOT NULL`.execute(
          tx.kysely,
        );
      }
      moved += affected(await sql`UPDATE ${t} SET account = ${account} WHERE ${range}`.execute(tx.kysely));
    }
    if (!last) return moved;
    after = last;
  }
}

/** Counters: each legacy row is added into the account's row of the same key (made if none), then deleted. */
async function addInto(
  tx: Db,
  account: AccountId,
  table: string,
  key: readonly string[],
  counters: readonly string[],
  range: RawBuilder<unknown>,
): Promise<number> {
  const t = sql.table(table);
  const copied = sql.raw([...key, ...counters].join(", "));
  const sums = sql.raw(counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", "));
  // The WHERE also keeps SQLite from reading ON CONFLICT as a join's ON.
  await sql`
    INSERT INTO ${t} (account, ${copied}) SELECT ${account}, ${copied} FROM ${t} WHERE ${range}
    ON CONFLICT (account, ${sql.raw(key.join(", "))}) DO UPDATE SET ${sums}`.execute(tx.kysely);
  return affected(await sql`DELETE FROM ${t} WHERE ${range}`.execute(tx.kysely));
}

interface SupersededRow {
  id: string;
  state_json: string;
  region: string;
  function_name: string;
  alias: string;
  superseded_by: string;
}

/**
 * A legacy running plan on an alias the account already runs a plan on is older than that one and can no longer
 * be driven: it joins the account as aborted, so it shows on the traffic pages and is never run. The runner's
 * own stop of a plan it cannot drive (an outside change) records a "plan.abort" entry in its write transaction;
 * this records one in the adoption's. At most one running plan per alias and account, so these are few: no
 * batching.
 */
async function stopSupersededPlans(tx: Db, account: AccountId, now: number | undefined): Promise<number> {
  const { rows } = await sql<SupersededRow>`
    SELECT p.id, p.state_json, p.region, p.function_name, p.alias, n.id AS superseded_by
    FROM plans AS p JOIN plans AS n ON n.account = ${account} AND n.status = 'running' AND n.region = p.region
      AND n.function_name = p.function_name AND n.alias = p.alias
    WHERE p.account = '' AND p.status = 'running'
    ORDER BY p.id`.execute(tx.kysely);
  if (rows.length === 0) return 0;
  const at = epochMs(now ?? (await databaseNow(tx)));
  const audit = createAuditLog(tx);
  let stopped = 0;
  for (const p of rows) {
    const state: PlanState = {
      ...(JSON.parse(p.state_json) as PlanState),
      status: "aborted",
      reason: SUPERSEDED_REASON,
    };
    const r = await sql`
      UPDATE plans SET account = ${account}, status = ${state.status}, state_json = ${JSON.stringify(state)},
        pending_json = NULL, updated_at = ${at}
      WHERE id = ${p.id} AND account = '' AND status = 'running'`.execute(tx.kysely);
    if (affected(r) === 0) continue;
    stopped += 1;
    await audit.record({
      at,
      actor: ADOPTION_ACTOR,
      account,
      region: p.region,
      functionName: p.function_name,
      alias: p.alias,
      action: "plan.abort",
      before: null,
      after: null,
      reason: "superseded during the upgrade to accounts",
      outcome: "noted",
      detail: `${SUPERSEDED_REASON} (plan ${p.superseded_by}); stopped without changing the alias`,
      planId: p.id,
      roleArn: null,
    });
  }
  return stopped;
}

/** The store has no clock of its own (lib/store takes it injected); uninjected, the database's, as migrations do. */
async function databaseNow(tx: Db): Promise<number> {
  const now =
    tx.dialect === "sqlite"
      ? sql<{ now: number }>`SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER) AS now`
      : sql<{ now: number }>`SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT) AS now`;
  const { rows } = await now.execute(tx.kysely);
  return Number(rows[0]?.now);
}
