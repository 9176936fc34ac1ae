/**
 * The telemetry store's writes and bookkeeping on SQLite and PostgreSQL (lib/store/telemetry.ts): upserts that
 * replace whole rows, puts larger than one statement, coverage that only widens, pruning that moves coverage,
 * costs that add up, events kept newest-first.
 */
import { expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { emptyLog, emptyMetric, type MetricRollup } from "@/lib/core/rollup/types";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { describeStores } from "../../support/stores";

const R = "eu-west-1";
const ACCOUNT = "111111111111" as AccountId;
const S = { account: ACCOUNT, region: R };
const M = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

const metric = (fn: string, t: number, over: Partial<MetricRollup>): MetricRollup => ({
  ...emptyMetric(S, fn, 60, t),
  ...over,
});

describeStores("telemetry store: writes", (fresh) => {
  it("replaces a re-read minute, and within one put the last row of a key wins", async () => {
    const store = createTelemetryStore(await fresh());
    await store.putMetrics([metric("a", T0, { invocations: 1, durationMax: 5 })]);
    await store.putMetrics([
      metric("a", T0, { invocations: 4, durationMax: 9 }),
      metric("a", T0, { invocations: 6, durationMax: null }),
    ]);
    const rows = await store.metricRows(S, 60, T0, T0 + M, "a");
    expect(rows.map((r) => [r.invocations, r.durationMax])).toEqual([[6, null]]);
  });

  it("writes a put larger than one statement completely, in one transaction", async () => {
    const db = await fresh();
    const store = createTelemetryStore(db);
    // 23 parameters a row: 3,000 rows take several statements.
    const rows = Array.from({ length: 3_000 }, (_, i) => metric(`fn-${i}`, T0, { invocations: i }));
    await store.putMetrics(rows);
    const totals = await store.metricTotals(S, 60, T0, T0 + M);
    expect(totals).toHaveLength(3_000);
    expect(totals.reduce((s, r) => s + r.invocations, 0)).toBe((2_999 * 3_000) / 2);

    // Inside a caller's transaction (a fenced write) the put joins it: a rollback leaves no row behind.
    const later = rows.map((r) => ({ ...r, t: T0 + M }));
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await createTelemetryStore({ ...db, kysely: trx }).putMetrics(later);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await store.metricTotals(S, 60, T0 + M, T0 + 2 * M)).toEqual([]);
  });

  it("round-trips log rows with their histogram, and reads one key's buckets", async () => {
    const store = createTelemetryStore(await fresh());
    await store.putLogs([
      { ...emptyLog(S, "/g/a", 60, T0), reports: 2, durationMaxMs: 12, durations: { 10: 1, 12: 1 } },
      { ...emptyLog(S, "/g/a", 60, T0 + M), reports: 1, durations: { 10: 1 } },
      { ...emptyLog(S, "/g/b", 60, T0), reports: 9, durations: {} },
    ]);
    const [first] = await store.logRows(S, 60, T0, T0 + M, "/g/a");
    expect(first).toMatchObject({
      logGroup: "/g/a",
      reports: 2,
      durationMaxMs: 12,
      durations: { 10: 1, 12: 1 },
    });
    expect(first?.initMaxMs).toBeNull();
    const buckets = await store.logGroupBuckets(S, "/g/a", 60, T0, T0 + 5 * M, 5 * M);
    expect(buckets.map((b) => [b.t, b.logGroup, b.reports, b.durations])).toEqual([
      [T0, "/g/a", 3, { 10: 2, 12: 1 }],
    ]);

    await store.putMetrics([
      metric("a", T0, { invocations: 2, durationSum: 20, durationCount: 2 }),
      metric("a", T0 + 7 * M, { invocations: 3 }),
    ]);
    const fn = await store.functionMetricBuckets(S, "a", 60, T0, T0 + 10 * M, 5 * M);
    expect(fn.map((b) => [b.t, b.fn, b.invocations, b.durationSum])).toEqual([
      [T0, "a", 2, 20],
      [T0 + 5 * M, "a", 3, null],
    ]);
  });

  it("widens coverage whichever step finishes first, and setCoverage replaces it", async () => {
    const store = createTelemetryStore(await fresh());
    expect(await store.coverage(S, "metrics", 60)).toBeNull();
    await store.extendCoverage(S, "metrics", 60, T0 + 10 * M, T0 + 20 * M, 1);
    await store.extendCoverage(S, "metrics", 60, T0, T0 + 10 * M, 2); // the backfill, older
    await store.extendCoverage(S, "metrics", 60, T0 + 5 * M, T0 + 15 * M, 3); // inside: changes nothing
    expect(await store.coverage(S, "metrics", 60)).toEqual({ from: T0, to: T0 + 20 * M, updatedAt: 3 });
    await store.setCoverage(S, "metrics", 60, T0 + M, T0 + 2 * M, 4);
    expect(await store.coverage(S, "metrics", 60)).toEqual({ from: T0 + M, to: T0 + 2 * M, updatedAt: 4 });
  });

  it("prunes one resolution's old rows and moves its coverage start, never past its end", async () => {
    const store = createTelemetryStore(await fresh());
    await store.putMetrics([
      metric("a", T0, {}),
      metric("a", T0 + 5 * M, {}),
      { ...metric("a", T0, {}), res: 300 },
    ]);
    await store.putLogs([{ ...emptyLog(S, "/g/a", 60, T0), reports: 1 }]);
    await store.setCoverage(S, "metrics", 60, T0, T0 + 10 * M, 0);
    await store.setCoverage(S, "logs", 60, T0, T0 + M, 0);
    await store.setCoverage(S, "metrics", 300, T0, T0 + 10 * M, 0);

    expect(await store.prune(60, T0 + 2 * M)).toBe(2);
    expect((await store.metricRows(S, 60, 0, T0 + 10 * M)).map((r) => r.t)).toEqual([T0 + 5 * M]);
    expect(await store.metricRows(S, 300, 0, T0 + 10 * M)).toHaveLength(1);
    expect((await store.coverage(S, "metrics", 60))?.from).toBe(T0 + 2 * M);
    expect(await store.coverage(S, "logs", 60)).toMatchObject({ from: T0 + M, to: T0 + M });
    expect((await store.coverage(S, "metrics", 300))?.from).toBe(T0);
  });

  it("adds costs up per region, source and hour", async () => {
    const store = createTelemetryStore(await fresh());
    const H = 3_600_000;
    await store.addCost(S, "metrics", T0, { requests: 2, bytesScanned: 0, minutes: 5 });
    await store.addCost(S, "metrics", T0, { requests: 3, bytesScanned: 1.5, minutes: 1 });
    await store.addCost(S, "logs", T0 + H, { requests: 1, bytesScanned: 1e9, minutes: 6 });
    await store.addCost(S, "logs", T0 - H, { requests: 7, bytesScanned: 0, minutes: 1 });
    expect(await store.costs(T0)).toEqual([
      {
        account: ACCOUNT,
        region: R,
        source: "metrics",
        hour: T0,
        requests: 5,
        bytesScanned: 1.5,
        minutes: 6,
      },
      {
        account: ACCOUNT,
        region: R,
        source: "logs",
        hour: T0 + H,
        requests: 1,
        bytesScanned: 1e9,
        minutes: 6,
      },
    ]);
  });

  it("keeps the newest 500 events, newest first", async () => {
    const store = createTelemetryStore(await fresh());
    for (let i = 0; i < 503; i++)
      await store.addEvent({ at: i, ...S, source: "logs", level: "warn", message: `event ${i}` });
    const newest = await store.events(1_000);
    expect(newest).toHaveLength(500);
    expect(newest[0]).toEqual({ at: 502, ...S, source: "logs", level: "warn", message: "event 502" });
    expect(newest.at(-1)?.at).toBe(3);
  });

  it("reports rows per table and resolution, with bytes split by row share", async () => {
    const db = await fresh();
    const store = createTelemetryStore(db);
    await store.putMetrics([metric("a", T0, {}), metric("b", T0, {}), { ...metric("a", T0, {}), res: 300 }]);
    const size = await store.size();
    const rows = size.map((s) => [s.table, s.res, s.rows]).sort();
    expect(rows).toEqual([
      ["metric_rollups", 300, 1],
      ["metric_rollups", 60, 2],
    ]);
    for (const s of size) {
      // PostgreSQL always measures; SQLite may be built without DBSTAT, and then says so with null.
      if (db.dialect === "postgres" || s.bytes !== null) expect(s.bytes).toBeGreaterThan(0);
    }
  });
});
