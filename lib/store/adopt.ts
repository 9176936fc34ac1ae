/**
 * Rows stored before the store recorded accounts (migration 11 gave them account '') belong to the account the
 * console then read: the collector adopts them into its default account once per start.
 *
 * Invariants:
 * - Every table with an account column is adopted in one transaction: a reader never sees half of them moved.
 * - Idempotent: a second call finds no '' rows and changes nothing.
 * - Where the account already holds a row with the same key (written after the upgrade, before adoption), that
 *   newer row wins and the legacy one is dropped, so adoption never fails on a duplicate key.
 */
import { sql } from "kysely";
import type { AccountId } from "@/lib/core/accounts/account-id";
import type { Db } from "./database";
import { atomically } from "./writes";

/** Each table with an account column and the rest of its key (null: keyed by an id, no duplicate possible). */
const ACCOUNT_TABLES: readonly { table: string; key: readonly string[] | null }[] = [
  { table: "metric_rollups", key: ["region", "res", "t", "fn"] },
  { table: "log_rollups", key: ["region", "res", "t", "log_group"] },
  { table: "rollup_coverage", key: ["region", "source", "res"] },
  { table: "collector_costs", key: ["region", "source", "hour"] },
  { table: "inventory_functions", key: ["region", "name"] },
  { table: "inventory_regions", key: ["region"] },
  { table: "trigger_readings", key: ["region", "name"] },
  { table: "trigger_mapping_listings", key: ["region"] },
  { table: "error_groups", key: ["region", "fn", "t", "version", "fingerprint"] },
  { table: "error_partial_minutes", key: ["region", "t", "log_group"] },
  { table: "audit_log", key: null },
  { table: "plans", key: null },
  { table: "collector_events", key: null },
];

/** Moves every row with account '' to `account`; returns how many rows moved. */
export function adoptLegacyAccount(db: Db, account: AccountId): Promise<number> {
  return atomically(db, async (tx) => {
    let moved = 0;
    for (const { table, key } of ACCOUNT_TABLES) {
      const t = sql.table(table);
      if (key) {
        const same = sql.raw(key.map((c) => `n.${c} = ${table}.${c}`).join(" AND "));
        await sql`
          DELETE FROM ${t} WHERE account = '' AND EXISTS (
            SELECT 1 FROM ${t} AS n WHERE n.account = ${account} AND ${same})`.execute(tx.kysely);
      }
      if (table === "plans") {
        // One running plan per alias: a legacy running plan on an alias the account already runs one on is
        // older than that one and cannot be driven any more; it stays '' (visible, never run) rather than fail.
        const r = await sql`
          UPDATE plans SET account = ${account} WHERE account = '' AND NOT (status = 'running' AND EXISTS (
            SELECT 1 FROM plans AS n WHERE n.account = ${account} AND n.status = 'running'
              AND n.region = plans.region AND n.function_name = plans.function_name AND n.alias = plans.alias))`.execute(
          tx.kysely,
        );
        moved += Number(r.numAffectedRows ?? 0);
        continue;
      }
      const r = await sql`UPDATE ${t} SET account = ${account} WHERE account = ''`.execute(tx.kysely);
      moved += Number(r.numAffectedRows ?? 0);
    }
    return moved;
  });
}
