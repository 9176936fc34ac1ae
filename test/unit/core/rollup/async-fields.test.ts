/**
 * Async and stream metrics in metric rollups (lib/core/rollup/types.ts, lib/store/telemetry.ts): counts add,
 * ages and lags take the max, and a value never read stays null through roll-ups and the store's sums.
 */
import { describe, expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { addMetric, emptyMetric, rollUp, type MetricRollup } from "@/lib/core/rollup/types";
import { minuteRows, planMinuteMetrics } from "@/lib/collector/metrics";
import { openDatabase } from "@/lib/store/database";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { epochMs } from "@/lib/core/units";

const R = { account: "111111111111" as AccountId, region: "us-east-1" };
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const M = 60_000;
const row = (t: number, over: Partial<MetricRollup>): MetricRollup => ({
  ...emptyMetric(R, "fn", 60, t),
  ...over,
});
const hourly = (rows: MetricRollup[]) =>
  rollUp(
    rows,
    3600,
    (r) => r.fn,
    (r, t) => emptyMetric(r, r.fn, 3600, t),
    addMetric,
  );

describe("async and stream fields in metric rollups", () => {
  it("start unread (null), add counts, max ages and lags", () => {
    const e = emptyMetric(R, "fn", 60, T0);
    expect([
      e.asyncReceived,
      e.asyncAgeMax,
      e.deadLetterErrors,
      e.destinationFailures,
      e.offsetLagMax,
    ]).toEqual([null, null, null, null, null]);
    const [h] = hourly([
      row(T0, { asyncReceived: 5, asyncAgeMax: 1200, deadLetterErrors: 1, offsetLagMax: 40 }),
      row(T0 + M, { asyncReceived: 3, asyncAgeMax: 800, destinationFailures: 2, offsetLagMax: 90 }),
      row(T0 + 2 * M, { invocations: 4 }),
    ]);
    expect(h).toMatchObject({
      asyncReceived: 8,
      asyncAgeMax: 1200,
      deadLetterErrors: 1,
      destinationFailures: 2,
      offsetLagMax: 90,
      invocations: 4,
    });
  });

  it("a range where nothing was read stays null: never published reads as absent, not zero", () => {
    const [h] = hourly([row(T0, { invocations: 1 }), row(T0 + M, { invocations: 2 })]);
    expect([h?.asyncReceived, h?.deadLetterErrors, h?.offsetLagMax]).toEqual([null, null, null]);
  });

  it("are asked of CloudWatch only for functions it lists as publishing them, with the documented statistic", () => {
    const plan = planMinuteMetrics(
      ["a", "b"],
      new Map([
        ["AsyncEventsReceived", new Set(["a"])],
        ["AsyncEventAge", new Set(["a"])],
        ["OffsetLag", new Set(["b"])],
      ]),
    );
    const asked = plan
      .filter((q) =>
        ["AsyncEventsReceived", "AsyncEventAge", "OffsetLag", "DeadLetterErrors"].includes(q.metricName),
      )
      .map((q) => [q.dimensions.kind === "function" ? q.dimensions.functionName : "", q.metricName, q.stat]);
    expect(asked).toEqual([
      ["a", "AsyncEventsReceived", "Sum"],
      ["a", "AsyncEventAge", "Maximum"],
      ["b", "OffsetLag", "Maximum"],
    ]);
    const key = plan.find((q) => q.metricName === "AsyncEventsReceived")!.key;
    const [r] = minuteRows(R, new Map([[key, { timestamps: [epochMs(T0)], values: [7] }]]));
    expect(r).toMatchObject({ fn: "a", t: T0, asyncReceived: 7, asyncAgeMax: null });
  });

  it("round-trip through the store, and its sums keep null where no row holds a value", async () => {
    const store = createTelemetryStore(openDatabase(":memory:"));
    await store.putMetrics([
      row(T0, { asyncReceived: 5, asyncAgeMax: 1200, offsetLagMax: 3 }),
      row(T0 + M, { asyncReceived: 2, asyncAgeMax: 300 }),
      { ...emptyMetric(R, "other", 60, T0), invocations: 9 },
    ]);
    expect((await store.metricRows(R, 60, T0, T0 + 2 * M, "fn"))[1]).toMatchObject({
      asyncReceived: 2,
      asyncAgeMax: 300,
    });
    const totals = await store.metricTotals(R, 60, T0, T0 + 2 * M);
    expect(totals.find((t) => t.fn === "fn")).toMatchObject({
      asyncReceived: 7,
      asyncAgeMax: 1200,
      offsetLagMax: 3,
      deadLetterErrors: null,
    });
    expect(totals.find((t) => t.fn === "other")).toMatchObject({
      asyncReceived: null,
      destinationFailures: null,
    });
  });
});
