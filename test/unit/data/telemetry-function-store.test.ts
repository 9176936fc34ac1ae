/**
 * The function page's telemetry served from the store (lib/data/telemetry/function-store.ts, function.ts), against
 * a real in-memory SQLite with hand-written rollups; the live parts (split series, recent invocations) against
 * fake ports that record what they were asked.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { CloudWatchPort, MetricQuery } from "@/lib/aws/cloudwatch";
import type { LogsPort } from "@/lib/aws/logs";
import type { SeriesPoint } from "@/lib/core/charts/series";
import { FleetscopeError } from "@/lib/core/errors";
import type { Alias } from "@/lib/core/lambda/types";
import { bucketValue, merge, quantile, type Histogram } from "@/lib/core/rollup/histogram";
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  RESOLUTIONS,
  rollUp,
  type LogRollup,
  type MetricRollup,
  type Resolution,
} from "@/lib/core/rollup/types";
import { bucketRange, type RangeBucket } from "@/lib/core/time/bucket";
import { epochMs, ratio, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { lastLogsFailure, startFunctionTelemetry } from "@/lib/data/telemetry/function";
import type { StoreReader } from "@/lib/data/telemetry/store-source";
import { createMeter } from "@/lib/data/traces/meter";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { withRegionLogs, withRegionMetrics } from "@/test/support/region-rows";
import { config } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const HOME: AccountTarget = {
  id: parseAccountId("123456789012"),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const SCOPE = { account: HOME.id, region: REGION };
const M = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

async function openStore() {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  await inventory.putConfigs(
    SCOPE,
    [
      config({ name: "a" }),
      config({ name: "b" }),
      config({ name: "c", logGroup: "/shared" }),
      config({ name: "d", logGroup: "/shared" }),
    ],
    NOW,
  );
  return { telemetry, inventory };
}

const metric = (fn: string, t: number, over: Partial<MetricRollup> = {}): MetricRollup => ({
  ...emptyMetric(SCOPE, fn, 60, t),
  ...over,
});
const log = (group: string, t: number, durations: Histogram, over: Partial<LogRollup> = {}): LogRollup => ({
  ...emptyLog(SCOPE, group, 60, t),
  reports: Object.values(durations).reduce((a, n) => a + n, 0),
  durations,
  ...over,
});

const live: Alias = {
  name: "live",
  arn: "arn:aws:lambda:us-east-1:000000000000:function:a:live",
  functionVersion: "7",
  description: "",
  routing: { additionalVersion: "8", weight: ratio(0.1) },
  revisionId: "r",
};

/** Fake AWS: GetMetricData and FilterLogEvents answer and report each request; anything else fails the test. */
function fakeDeps(reader: StoreReader, opts: { throttleMetrics?: boolean } = {}) {
  const asked: MetricQuery[][] = [];
  const calls: string[] = [];
  const cloudwatch: CloudWatchPort = {
    region: REGION,
    async getMetricData(queries, _window, options) {
      calls.push("GetMetricData");
      options?.onRequest?.();
      if (opts.throttleMetrics) throw new FleetscopeError("Throttled", "Rate exceeded");
      asked.push([...queries]);
      return new Map(queries.map((q) => [q.key, { timestamps: [], values: [] }]));
    },
  };
  const logs = {
    region: REGION,
    runInsights: () => Promise.reject(new Error("Insights called")),
    async filterLogEvents(_group: string, _w: unknown, options?: { onRequest?: (op: string) => void }) {
      calls.push("FilterLogEvents");
      options?.onRequest?.("FilterLogEvents");
      return [];
    },
  } as unknown as LogsPort;
  const deps: TelemetryDeps = {
    lambda: () => {
      throw new Error("Lambda called");
    },
    cloudwatch: () => cloudwatch,
    logs: () => logs,
    store: () => reader,
    liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
    settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
    now: () => epochMs(NOW),
    insightsTimeoutMs: 1000,
  };
  return { deps, asked, calls };
}

const hourBucket = (): RangeBucket =>
  bucketRange({ start: epochMs(NOW - 61 * M), end: epochMs(NOW) }, epochMs(NOW), seconds(60));

const at = (b: RangeBucket, k: number) => b.start + k * M;
const valueAt = (s: readonly SeriesPoint[], t: number) => s.find((p) => p.t === t)?.v;

async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const o = await p;
  if (!o.ok) throw new Error(`source failed: ${JSON.stringify(o.error)}`);
  return o.value;
}

describe("store-backed function page, one hour at minute resolution", () => {
  const bucket = hourBucket();
  const coveredFrom = at(bucket, 20);
  const coveredTo = at(bucket, 59);

  async function seed() {
    const s = await openStore();
    const rows: MetricRollup[] = [];
    for (let k = 0; k <= 60; k += 2)
      rows.push(metric("a", at(bucket, k), { invocations: 10, errors: 1, throttles: k % 4 === 0 ? 1 : 0 }));
    rows.push(metric("a", at(bucket, 30), { invocations: 10, errors: 1, concurrencyMax: 7 }));
    rows.push(metric("b", at(bucket, 31), { invocations: 500 }));
    await s.telemetry.putMetrics(withRegionMetrics(rows));
    await s.telemetry.putLogs(
      withRegionLogs([
        log(
          "/aws/lambda/a",
          at(bucket, 20),
          { 10: 98 },
          {
            coldStarts: 2,
            initSumMs: 600,
            initMaxMs: 400,
            billedSumMs: 9800,
            maxMemoryUsedMb: 70,
            memorySizeMb: 1024,
          },
        ),
        log(
          "/aws/lambda/a",
          at(bucket, 21),
          { 50: 2 },
          { billedSumMs: 400, maxMemoryUsedMb: 90, memorySizeMb: 1024, timeouts: 1, ooms: 1 },
        ),
        log("/aws/lambda/a", at(bucket, 10), { 60: 50 }), // before the logs' coverage
        log("/aws/lambda/b", at(bucket, 20), { 70: 5 }),
        log("/shared", at(bucket, 25), { 30: 4 }, { coldStarts: 1, initSumMs: 100, initMaxMs: 100 }),
      ]),
    );
    await s.telemetry.setCoverage(SCOPE, "metrics", 60, coveredFrom, coveredTo, NOW - 30_000);
    await s.telemetry.setCoverage(SCOPE, "logs", 60, at(bucket, 15), coveredTo, NOW - 40_000);
    return s;
  }

  const start = async (reader: StoreReader, name: string, aliases: Alias[] = [], opts = {}) => {
    const fake = fakeDeps(reader, opts);
    const meter = createMeter();
    const t = startFunctionTelemetry(
      {
        account: HOME,
        region: REGION,
        name,
        // The configuration the page passes: the stored one (its log group), or a just-deployed function's.
        config: (await reader.inventory.get(SCOPE, name))?.config ?? config({ name }),
        aliases,
        bucket,
        meter,
      },
      fake.deps,
    );
    return { t, meter, ...fake };
  };

  it("the per-function bucket reads add up one key's rows per epoch-aligned bucket", async () => {
    const s = await seed();
    // 11:20–11:40 in 10-minute buckets: five rows of `a` each (its rows are every other minute).
    const m = await s.telemetry.functionMetricBuckets(SCOPE, "a", 60, NOW - 40 * M, NOW - 20 * M, 10 * M);
    expect(m.map((r) => [r.t, r.fn, r.invocations, r.errors])).toEqual([
      [NOW - 40 * M, "a", 50, 5],
      [NOW - 30 * M, "a", 50, 5],
    ]);
    expect(m[0]?.concurrencyMax).toBe(7);
    expect(m[1]?.concurrencyMax).toBeNull();
    const l = await s.telemetry.logGroupBuckets(SCOPE, "/aws/lambda/a", 60, NOW - 60 * M, NOW, 60 * M);
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ logGroup: "/aws/lambda/a", reports: 150, coldStarts: 2, timeouts: 1 });
    expect(l[0]?.durations).toEqual({ 10: 98, 50: 2, 60: 50 });
    expect(await s.telemetry.logGroupBuckets(SCOPE, "/nobody", 60, at(bucket, 0), NOW, M)).toEqual([]);
  });

  it("totals are the sums over the covered window, and say how much that is", async () => {
    const { t } = await start(await seed(), "a");
    const m = await value(t.metrics);
    // Even minutes 20…58 (20 rows) plus the second write of minute 30, which replaced the first.
    expect(m.totals).toEqual({ invocations: 200, errors: 20, throttles: 10 });
    const sum = (s: readonly SeriesPoint[]) => s.reduce((a, p) => a + (p.v ?? 0), 0);
    expect(sum(m.invocations)).toBe(m.totals.invocations);
    expect(m.coverage[0]).toMatchObject({ source: "metrics", coveredMs: coveredTo - coveredFrom });
    expect(m.status).toMatchObject({ source: "store", now: NOW });
    expect(m.status.coverage.map((c) => c.source)).toEqual(["metrics", "logs"]);
  });

  it("series: outside coverage a gap, never 0; a covered minute without rows is 0 (counts) or a gap (gauges)", async () => {
    const { t } = await start(await seed(), "a");
    const m = await value(t.metrics);
    expect(valueAt(m.invocations, at(bucket, 0))).toBeNull();
    expect(valueAt(m.invocations, at(bucket, 19))).toBeNull();
    expect(valueAt(m.invocations, at(bucket, 20))).toBe(10);
    expect(valueAt(m.invocations, at(bucket, 21))).toBe(0);
    expect(valueAt(m.invocations, at(bucket, 59))).toBeNull();
    expect(valueAt(m.errorRate, at(bucket, 20))).toBe(0.1);
    expect(valueAt(m.errorRate, at(bucket, 21))).toBeNull();
    expect(valueAt(m.concurrency, at(bucket, 30))).toBe(7);
    expect(valueAt(m.concurrency, at(bucket, 32))).toBeNull();
  });

  it("percentiles come from the function's merged histograms, per slot and over the range", async () => {
    const { t } = await start(await seed(), "a");
    const m = await value(t.metrics);
    expect(valueAt(m.p50, at(bucket, 20))).toBe(bucketValue(10));
    expect(valueAt(m.p99, at(bucket, 21))).toBe(bucketValue(50));
    // Minute 10 is outside the logs' coverage: no point, although a row is stored.
    expect(valueAt(m.p50, at(bucket, 10))).toBeNull();
    const l = await value(t.logs);
    // 98 durations in bucket 10 and 2 in bucket 50: the 99th of 100 is in bucket 50, not an average.
    expect(l.stats.p99Duration).toBe(quantile(merge([{ 10: 98 }, { 50: 2 }]), 0.99));
    expect(l.stats.p99Duration).toBe(bucketValue(50));
    expect(l.stats.p50Duration).toBe(bucketValue(10));
  });

  it("REPORT-line figures: cold starts, average and max init, billed, memory, timeouts and OOM kills", async () => {
    const { t } = await start(await seed(), "a");
    const l = await value(t.logs);
    expect(l.stats).toMatchObject({
      invocations: 100,
      coldStarts: 2,
      avgInit: 300,
      maxInit: 400,
      billedSum: 10_200,
      maxMemoryUsed: 90,
      memorySize: 1024,
      timeouts: 1,
      ooms: 1,
    });
    expect(l.sharedWith).toEqual([]);
    expect(l.bin).toBe(60);
    expect(valueAt(l.coldStartRate, at(bucket, 20))).toBe(2 / 98);
    expect(valueAt(l.avgInit, at(bucket, 20))).toBe(300);
    expect(valueAt(l.coldStarts, at(bucket, 21))).toBe(0);
    expect(valueAt(l.coldStarts, at(bucket, 14))).toBeNull();
    expect(l.coverage.map((c) => c.source)).toEqual(["logs"]);
  });

  it("the cold-start chart splits init and SnapStart restores; restores not collected are gaps, said why", async () => {
    const s = await seed();
    await s.telemetry.putLogs(
      withRegionLogs([
        log(
          "/aws/lambda/b",
          at(bucket, 22),
          { 70: 5 },
          { coldStarts: 1, restores: 3, restoreBilledSumMs: 90 },
        ),
        log("/aws/lambda/b", at(bucket, 24), { 70: 4 }, { restores: null, restoreBilledSumMs: null }),
      ]),
    );
    const { t } = await start(s, "b");
    const k = (await value(t.logs)).coldStartKinds;
    expect(k.lines.map((l) => l.key)).toEqual(["init", "restore"]);
    const [init, restore] = k.lines;
    expect(valueAt(init!.points, at(bucket, 22))).toBe(1 / 5);
    expect(valueAt(restore!.points, at(bucket, 22))).toBe(3 / 5);
    expect(valueAt(restore!.points, at(bucket, 20))).toBe(0);
    expect(valueAt(restore!.points, at(bucket, 24))).toBeNull();
    expect(k.restoreNote).toMatch(/not collected for 1 of 3 points/);
  });

  it("a shared log group is said, and gives no per-function percentiles", async () => {
    const { t } = await start(await seed(), "c");
    const m = await value(t.metrics);
    expect(m.sharedWith).toEqual(["d"]);
    expect(m.p99.every((p) => p.v === null)).toBe(true);
    expect(m.coverage.map((c) => c.source)).toEqual(["metrics"]);
    const l = await value(t.logs);
    expect(l.sharedWith).toEqual(["d"]);
    expect(l.logGroup).toBe("/shared");
    // The whole group's figures, labelled as such by the page.
    expect(l.stats).toMatchObject({ invocations: 4, coldStarts: 1, avgInit: 100 });
  });

  it("a function the collector has not listed is 'not collected', not zeros", async () => {
    const { t } = await start(await seed(), "just-deployed");
    const m = await value(t.metrics);
    expect(m.listed).toBe(false);
    expect(m.invocations.every((p) => p.v === null)).toBe(true);
    expect((await value(t.logs)).listed).toBe(false);
  });

  it("store-backed parts make no AWS request; split series and recent invocations are live and counted", async () => {
    const { t, meter, asked, calls } = await start(await seed(), "a", [live]);
    await Promise.all([t.metrics, t.logs]);
    const splits = await value(t.splits);
    expect(splits.byAlias.map((s) => s.key)).toEqual(["alias:live"]);
    expect(splits.byVersion.map((s) => s.label)).toEqual(["live → v7", "live → v8"]);
    // One narrow plan: the split series only (3 per alias and per routed version), none of the function's own.
    expect(asked).toHaveLength(1);
    expect(asked[0]?.map((q) => q.key.split("|")[0])).toEqual([
      ...Array(3).fill("alias:live"),
      ...Array(3).fill("version:live:7"),
      ...Array(3).fill("version:live:8"),
    ]);
    expect(asked[0]?.every((q) => q.dimensions.kind !== "function")).toBe(true);
    const cost = await t.cost;
    expect(cost).toEqual({ total: 2, byOperation: { GetMetricData: 1, FilterLogEvents: 1 } });
    expect(calls.sort()).toEqual(["FilterLogEvents", "GetMetricData"]);
    expect(meter.cost().total).toBe(2);
  });

  it("without aliases no GetMetricData at all", async () => {
    const { t, calls } = await start(await seed(), "a");
    expect(await value(t.splits)).toEqual({ byAlias: [], byVersion: [] });
    expect((await t.cost).byOperation).toEqual({ FilterLogEvents: 1 });
    expect(calls).toEqual(["FilterLogEvents"]);
  });

  it("a throttled CloudWatch degrades the split series only", async () => {
    const { t } = await start(await seed(), "a", [live], { throttleMetrics: true });
    const splits = await t.splits;
    expect(splits.ok === false && splits.error.code).toBe("Throttled");
    expect((await t.metrics).ok).toBe(true);
    expect((await t.logs).ok).toBe(true);
  });

  it("a failing store read degrades its panels, not the live parts", async () => {
    const s = await seed();
    const broken: StoreReader = {
      inventory: s.inventory,
      telemetry: {
        ...s.telemetry,
        logGroupBuckets: () => {
          throw new Error("disk I/O error");
        },
      },
    };
    const { t } = await start(broken, "a");
    expect((await t.logs).ok).toBe(false);
    expect((await t.recent).ok).toBe(true);
  });
});

describe("store-backed function page over days: tiers", () => {
  it("whole-range totals read the coarse tiers and equal the sums of the minute rows", async () => {
    const s = await openStore();
    const from = NOW - 4 * DAY;
    const to = NOW - 2 * M;
    const minutes: MetricRollup[] = [];
    const logs: LogRollup[] = [];
    for (let t = from, i = 0; t < to; t += 7 * M, i++) {
      minutes.push(metric("a", t, { invocations: (i % 5) + 1, errors: i % 2 }));
      minutes.push(metric("b", t, { invocations: 1000 }));
      logs.push(log("/aws/lambda/a", t, { [i % 40]: 1 + (i % 3) }, { coldStarts: i % 2 }));
    }
    for (const res of RESOLUTIONS) {
      const step = res * 1000;
      const up = <T extends { account: string; region: string; res: Resolution; t: number }>(
        rows: T[],
        key: (r: T) => string,
        empty: (r: T, t: number) => T,
        add: (a: T, b: T) => T,
      ) => (res === 60 ? rows : rollUp(rows, res, key, empty, add));
      await s.telemetry.putMetrics(
        withRegionMetrics(
          up(
            minutes,
            (r) => r.fn,
            (r, t) => emptyMetric(r, r.fn, res, t),
            addMetric,
          ),
        ),
      );
      await s.telemetry.putLogs(
        withRegionLogs(
          up(
            logs,
            (r) => r.logGroup,
            (r, t) => emptyLog(r, r.logGroup, res, t),
            addLog,
          ),
        ),
      );
      await s.telemetry.setCoverage(
        SCOPE,
        "metrics",
        res,
        Math.ceil(from / step) * step,
        Math.floor(to / step) * step,
        NOW,
      );
      await s.telemetry.setCoverage(
        SCOPE,
        "logs",
        res,
        Math.ceil(from / step) * step,
        Math.floor(to / step) * step,
        NOW,
      );
    }
    const asked: number[] = [];
    const reader: StoreReader = {
      inventory: s.inventory,
      telemetry: {
        ...s.telemetry,
        functionMetricBuckets: (...args) => {
          asked.push(args[2]);
          return s.telemetry.functionMetricBuckets(...args);
        },
      },
    };
    const w = { start: epochMs(NOW - 3 * DAY), end: epochMs(NOW) };
    const bucket = bucketRange(w, epochMs(NOW), seconds(3600));
    const { deps } = fakeDeps(reader);
    const t = startFunctionTelemetry(
      { account: HOME, region: REGION, name: "a", config: config({ name: "a" }), aliases: [], bucket },
      deps,
    );
    const m = await value(t.metrics);
    const l = await value(t.logs);
    expect(asked).toContain(86400);
    const inWindow = (r: { t: number }) => r.t >= bucket.start && r.t < to;
    const mine = minutes.filter((r) => r.fn === "a" && inWindow(r));
    expect(m.totals.invocations).toBe(mine.reduce((a, r) => a + r.invocations, 0));
    expect(m.totals.errors).toBe(mine.reduce((a, r) => a + r.errors, 0));
    const mineLogs = logs.filter(inWindow);
    expect(l.stats.coldStarts).toBe(mineLogs.reduce((a, r) => a + r.coldStarts, 0));
    expect(l.stats.p99Duration).toBe(quantile(merge(mineLogs.map((r) => r.durations)), 0.99));
    // Hourly points: every whole covered hour has its sum, the hour the collector has not closed is a gap.
    expect(m.invocations.at(-1)?.v).toBeNull();
    expect(m.invocations.filter((p) => p.v !== null).length).toBeGreaterThan(70);
  });
});

describe("two accounts with a same-named function in one region", () => {
  const bucket = hourBucket();
  const MEMBER: AccountTarget = {
    ...HOME,
    id: parseAccountId("222222222222"),
    name: "member-1",
    source: "role",
    roleArn: "arn:aws:iam::222222222222:role/fleetscope",
  };
  const MEMBER_SCOPE = { account: MEMBER.id, region: REGION };

  /** `a` in both accounts: 10 invocations a minute at home, 3 in the member account; both fully covered. */
  async function seedBoth() {
    const s = await openStore();
    await s.inventory.putConfigs(MEMBER_SCOPE, [config({ name: "a" })], NOW);
    const rows: MetricRollup[] = [];
    for (let k = 0; k < 61; k++) {
      rows.push(metric("a", at(bucket, k), { invocations: 10 }));
      rows.push({ ...emptyMetric(MEMBER_SCOPE, "a", 60, at(bucket, k)), invocations: 3, errors: 1 });
    }
    await s.telemetry.putMetrics(withRegionMetrics(rows));
    for (const scope of [SCOPE, MEMBER_SCOPE]) {
      await s.telemetry.setCoverage(scope, "metrics", 60, bucket.start, bucket.end, NOW);
      await s.telemetry.setCoverage(scope, "logs", 60, bucket.start, bucket.end, NOW);
    }
    return s;
  }

  it("each account's page reads its own rows, cached apart, and its live reads go through its own account", async () => {
    const s = await seedBoth();
    const asked: (string | null)[] = [];
    const fake = fakeDeps(s);
    const deps: TelemetryDeps = {
      ...fake.deps,
      cloudwatch: (region, account) => {
        asked.push(account?.id ?? null);
        return fake.deps.cloudwatch(region, account);
      },
    };
    const view = (account: AccountTarget) =>
      startFunctionTelemetry(
        { account, region: REGION, name: "a", config: config({ name: "a" }), aliases: [live], bucket },
        deps,
      );
    const home = await value(view(HOME).metrics);
    const member = await value(view(MEMBER).metrics);
    expect(home.totals).toEqual({ invocations: 610, errors: 0, throttles: 0 });
    expect(member.totals).toEqual({ invocations: 183, errors: 61, throttles: 0 });
    await value(view(MEMBER).splits);
    await value(view(HOME).splits);
    // One live read per account (each view starts its splits): the later views hit their own account's entry.
    expect(asked).toEqual([HOME.id, MEMBER.id]);
  });

  it("a collector failure of another account in the same region is not this page's reason", async () => {
    const s = await openStore();
    await s.telemetry.addEvent({
      at: NOW - 60_000,
      account: MEMBER.id,
      region: REGION,
      source: "logs",
      level: "error",
      message: "AccessDenied: member-1's role refused",
    });
    const reader = { telemetry: s.telemetry, inventory: s.inventory };
    expect(await lastLogsFailure(reader, SCOPE)).toBeNull();
    expect(await lastLogsFailure(reader, MEMBER_SCOPE)).toMatch(/member-1's role refused$/);
    await s.telemetry.addEvent({
      at: NOW - 30_000,
      account: "",
      region: "*",
      source: "logs",
      level: "warn",
      message: "Insights quota reached",
    });
    expect(await lastLogsFailure(reader, SCOPE)).toMatch(/Insights quota reached$/);
  });
});
