/**
 * The telemetry store's added-up reads for views (lib/store/telemetry.ts): totals per key, region per bucket, on
 * SQLite and PostgreSQL.
 */
import { expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import {
  emptyLog,
  emptyMetric,
  REGION_ROW,
  type LogRollup,
  type MetricRollup,
} from "@/lib/core/rollup/types";
import type { Db } from "@/lib/store/database";
import { withRegionLogs, withRegionMetrics } from "@/test/support/region-rows";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { describeStores } from "../../support/stores";

const R = "us-east-1";
const ACCOUNT = "111111111111" as AccountId;
const S = { account: ACCOUNT, region: R };
const M = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

const metric = (fn: string, t: number, over: Partial<MetricRollup>): MetricRollup => ({
  ...emptyMetric(S, fn, 60, t),
  ...over,
});
const log = (group: string, t: number, over: Partial<LogRollup>): LogRollup => ({
  ...emptyLog(S, group, 60, t),
  ...over,
});

async function seeded(db: Db) {
  const store = createTelemetryStore(db);
  await store.putMetrics(
    withRegionMetrics([
      metric("a", T0, { invocations: 3, durationSum: 30, durationCount: 3, durationMax: 12 }),
      metric("a", T0 + M, { invocations: 2, errors: 1, durationSum: 40, durationCount: 2, durationMax: 25 }),
      metric("b", T0 + 6 * M, { invocations: 7, throttles: 2 }),
      metric(REGION_ROW, T0, { concurrencyMax: 4, unreservedMax: 3 }),
      metric(REGION_ROW, T0 + 6 * M, { concurrencyMax: 9 }),
      metric("a", T0 + 10 * M, { invocations: 100 }), // outside the reads below
    ]),
  );
  await store.putLogs(
    withRegionLogs([
      log("/g/a", T0, {
        reports: 3,
        coldStarts: 1,
        initSumMs: 200,
        initMaxMs: 200,
        durations: { 10: 2, 11: 1 },
      }),
      log("/g/a", T0 + M, { reports: 2, maxMemoryUsedMb: 80, durations: { 11: 2 } }),
      log("/g/b", T0 + 6 * M, { reports: 1, durations: {} }),
    ]),
  );
  return store;
}

describeStores("telemetry store: added-up reads", (fresh) => {
  it("totals per function and per log group over a span", async () => {
    const store = await seeded(await fresh());
    const totals = await store.metricTotals(S, 60, T0, T0 + 10 * M);
    const a = totals.find((r) => r.fn === "a");
    expect(a).toMatchObject({
      t: T0,
      invocations: 5,
      errors: 1,
      durationSum: 70,
      durationCount: 5,
      durationMax: 25,
    });
    expect(totals.find((r) => r.fn === "b")).toMatchObject({
      invocations: 7,
      throttles: 2,
      durationSum: null,
    });
    const logs = await store.logTotals(S, 60, T0, T0 + 10 * M);
    expect(logs.find((r) => r.logGroup === "/g/a")).toMatchObject({
      reports: 5,
      coldStarts: 1,
      initSumMs: 200,
      maxMemoryUsedMb: 80,
      durations: { 10: 2, 11: 3 },
    });
    expect(logs.find((r) => r.logGroup === "/g/b")?.durations).toEqual({});
  });

  it("the region per bucket: function counts added up, concurrency from the region row only", async () => {
    const store = await seeded(await fresh());
    const buckets = await store.regionMetricBuckets(S, 60, T0, T0 + 10 * M, 5 * M);
    expect(buckets.map((b) => [b.t, b.fn, b.invocations, b.errors, b.throttles, b.concurrencyMax])).toEqual([
      [T0, REGION_ROW, 5, 1, 0, 4],
      [T0 + 5 * M, REGION_ROW, 7, 0, 2, 9],
    ]);
    expect(buckets[0]).toMatchObject({
      durationSum: 70,
      durationCount: 5,
      durationMax: 25,
      unreservedMax: 3,
    });
    const logs = await store.regionLogBuckets(S, 60, T0, T0 + 10 * M, 5 * M);
    expect(logs.map((b) => [b.t, b.reports, b.durations])).toEqual([
      [T0, 5, { 10: 2, 11: 3 }],
      [T0 + 5 * M, 1, {}],
    ]);
  });
});
