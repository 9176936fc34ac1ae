/**
 * SnapStart restores through the telemetry store, on SQLite and PostgreSQL (a later migration adds nullable
 * restores, restore_billed_sum).
 */
import { expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { sql } from "kysely";
import { emptyLog, type LogRollup } from "@/lib/core/rollup/types";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { describeStores } from "../../support/stores";

const R = "us-east-1";
const ACCOUNT = "111111111111" as AccountId;
const S = { account: ACCOUNT, region: R };
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const M = 60_000;
const log = (group: string, t: number, over: Partial<LogRollup>): LogRollup => ({
  ...emptyLog(S, group, 60, t),
  reports: 5,
  ...over,
});

describeStores("restores in the telemetry store", (fresh) => {
  it("keeps each minute's restores and adds them up per group", async () => {
    const store = createTelemetryStore(await fresh());
    await store.putLogs([
      log("/aws/lambda/ml", T0, { restores: 2, restoreBilledSumMs: 731 }),
      log("/aws/lambda/ml", T0 + M, { restores: 1, restoreBilledSumMs: 402 }),
      log("/aws/lambda/other", T0, {}),
    ]);
    expect((await store.logRows(S, 60, T0, T0 + 2 * M, "/aws/lambda/ml")).map((r) => r.restores)).toEqual([
      2, 1,
    ]);
    const totals = new Map((await store.logTotals(S, 60, T0, T0 + 2 * M)).map((r) => [r.logGroup, r]));
    expect([
      totals.get("/aws/lambda/ml")?.restores,
      totals.get("/aws/lambda/ml")?.restoreBilledSumMs,
    ]).toEqual([3, 1133]);
    expect([
      totals.get("/aws/lambda/other")?.restores,
      totals.get("/aws/lambda/other")?.restoreBilledSumMs,
    ]).toEqual([0, 0]);
  });

  it("reads a row written before the migration (NULL) as not collected, and a sum over it as not collected", async () => {
    const db = await fresh();
    const store = createTelemetryStore(db);
    await store.putLogs([log("/aws/lambda/ml", T0 + M, { restores: 1, restoreBilledSumMs: 402 })]);
    // What a row collected before that migration holds: the columns added later are NULL.
    await sql`INSERT INTO log_rollups (account, region, res, t, log_group, reports, cold_starts, init_sum,
         billed_sum, duration_sum, timeouts, ooms, durations)
       VALUES (${ACCOUNT}, ${R}, 60, ${T0}, '/aws/lambda/ml', 5, 0, 0, 500, 480, 0, 0, '')`.execute(
      db.kysely,
    );
    expect((await store.logRows(S, 60, T0, T0 + M, "/aws/lambda/ml"))[0]?.restores).toBeNull();
    const [total] = await store.logTotals(S, 60, T0, T0 + 2 * M);
    expect([total?.reports, total?.restores, total?.restoreBilledSumMs]).toEqual([10, null, null]);
  });
});
