/** SnapStart restores through the SQLite telemetry store (a later migration adds nullable restores, restore_billed_sum). */
import { describe, expect, it } from "vitest";
import { emptyLog, type LogRollup } from "@/lib/core/rollup/types";
import { openDatabase } from "@/lib/store/database";
import { createTelemetryStore } from "@/lib/store/telemetry";

const R = "us-east-1";
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const M = 60_000;
const log = (group: string, t: number, over: Partial<LogRollup>): LogRollup => ({
  ...emptyLog(R, group, 60, t),
  reports: 5,
  ...over,
});

describe("restores in the telemetry store", () => {
  it("keeps each minute's restores and adds them up per group", () => {
    const store = createTelemetryStore(openDatabase(":memory:"));
    store.putLogs([
      log("/aws/lambda/ml", T0, { restores: 2, restoreBilledSumMs: 731 }),
      log("/aws/lambda/ml", T0 + M, { restores: 1, restoreBilledSumMs: 402 }),
      log("/aws/lambda/other", T0, {}),
    ]);
    expect(store.logRows(R, 60, T0, T0 + 2 * M, "/aws/lambda/ml").map((r) => r.restores)).toEqual([2, 1]);
    const totals = new Map(store.logTotals(R, 60, T0, T0 + 2 * M).map((r) => [r.logGroup, r]));
    expect([
      totals.get("/aws/lambda/ml")?.restores,
      totals.get("/aws/lambda/ml")?.restoreBilledSumMs,
    ]).toEqual([3, 1133]);
    expect([
      totals.get("/aws/lambda/other")?.restores,
      totals.get("/aws/lambda/other")?.restoreBilledSumMs,
    ]).toEqual([0, 0]);
  });

  it("reads a row written before the migration (NULL) as not collected, and a sum over it as not collected", () => {
    const db = openDatabase(":memory:");
    const store = createTelemetryStore(db);
    store.putLogs([log("/aws/lambda/ml", T0 + M, { restores: 1, restoreBilledSumMs: 402 })]);
    // What a row collected before that migration holds: the columns added later are NULL.
    db.prepare(
      `INSERT INTO log_rollups (region, res, t, log_group, reports, cold_starts, init_sum, billed_sum, duration_sum,
         timeouts, ooms, durations) VALUES (?, 60, ?, '/aws/lambda/ml', 5, 0, 0, 500, 480, 0, 0, '')`,
    ).run(R, T0);
    expect(store.logRows(R, 60, T0, T0 + M, "/aws/lambda/ml")[0]?.restores).toBeNull();
    const [total] = store.logTotals(R, 60, T0, T0 + 2 * M);
    expect([total?.reports, total?.restores, total?.restoreBilledSumMs]).toEqual([10, null, null]);
  });
});
