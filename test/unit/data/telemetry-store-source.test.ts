/**
 * The fleet overview served from the store (lib/data/telemetry/store-source.ts, overview.ts with source
 * "store"), against a real in-memory SQLite with hand-written rollups.
 */
import { describe, expect, it } from "vitest";
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import type { LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import { isPartial, summarizeCoverage } from "@/lib/core/rollup/coverage";
import { isCovered } from "@/lib/core/rollup/tiling";
import { bucketValue, merge, quantile, type Histogram } from "@/lib/core/rollup/histogram";
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  RESOLUTIONS,
  rollUp,
  type LogRollup,
  type MetricRollup,
  type Resolution,
} from "@/lib/core/rollup/types";
import { bucketRange, type RangeBucket } from "@/lib/core/time/bucket";
import { choosePeriod } from "@/lib/core/time/period";
import { epochMs, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { buildFleetMetrics } from "@/lib/data/telemetry/assemble";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { fleetKey, functionKey } from "@/lib/data/telemetry/plan";
import { storeRegionRead, type StoreReader } from "@/lib/data/telemetry/store-source";
import { sumOf, statOf } from "@/lib/data/metric-values";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { withRegionLogs, withRegionMetrics } from "@/test/support/region-rows";
import { config } from "../core/advisor-fixtures";
import { parseAccountId } from "@/lib/core/accounts";

const REGION = "us-east-1";
const ACCOUNT = parseAccountId("123456789012");
const SCOPE = { account: ACCOUNT, region: REGION };
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
  await inventory.putAccount(
    SCOPE,
    {
      region: REGION,
      concurrentExecutions: 1000,
      unreservedConcurrentExecutions: 900,
      totalCodeSize: 0 as never,
      codeSizeLimit: 0 as never,
      codeSizeZipped: 0 as never,
      codeSizeUnzipped: 0 as never,
      functionCount: 4,
    },
    NOW,
  );
  return { db, telemetry, inventory };
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

/** Deps whose AWS ports fail the test if any is called: a store-backed view makes no AWS request. */
function storeDeps(reader: StoreReader, calls: string[]): TelemetryDeps {
  const refuse = (name: string) =>
    new Proxy(
      {},
      {
        get: (_t, prop) => () => {
          calls.push(`${name}.${String(prop)}`);
          return Promise.reject(new Error(`AWS called: ${name}.${String(prop)}`));
        },
      },
    );
  return {
    lambda: () => refuse("lambda") as LambdaPort,
    cloudwatch: () => refuse("cloudwatch") as CloudWatchPort,
    logs: () => refuse("logs") as LogsPort,
    store: () => reader,
    liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
    settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
    now: () => epochMs(NOW),
    insightsTimeoutMs: 1000,
  };
}

/** The last hour at one-minute points: 61 slots ending at NOW. */
const hourBucket = (): RangeBucket =>
  bucketRange({ start: epochMs(NOW - 61 * M), end: epochMs(NOW) }, epochMs(NOW), seconds(60));

describe("store-backed fleet overview, one hour at minute resolution", () => {
  const bucket = hourBucket();
  const at = (k: number) => bucket.start + k * M;
  const coveredFrom = at(20);
  const coveredTo = at(59); // the last two minutes are not collected yet

  async function seed() {
    const s = await openStore();
    const rows: MetricRollup[] = [];
    for (let k = 0; k <= 60; k += 2) {
      rows.push(
        metric("a", at(k), {
          invocations: 10,
          errors: 1,
          durationSum: 1000,
          durationCount: 10,
          durationMax: 200,
        }),
      );
      rows.push(metric(REGION_ROW, at(k), { concurrencyMax: k }));
    }
    rows.push(metric("b", at(5), { invocations: 4, durationSum: 80, durationCount: 4 })); // before coverage
    rows.push(metric("b", at(31), { invocations: 6, throttles: 2, durationSum: 60, durationCount: 6 }));
    rows.push(metric("not-in-inventory", at(31), { invocations: 99 }));
    await s.telemetry.putMetrics(withRegionMetrics(rows));
    await s.telemetry.putLogs(
      withRegionLogs([
        log(
          "/aws/lambda/a",
          at(20),
          { 10: 98 },
          {
            coldStarts: 1,
            initSumMs: 300,
            initMaxMs: 300,
            maxMemoryUsedMb: 70,
            memorySizeMb: 1024,
            billedSumMs: 9800,
          },
        ),
        log(
          "/aws/lambda/a",
          at(21),
          { 50: 2 },
          { maxMemoryUsedMb: 90, memorySizeMb: 1024, billedSumMs: 400 },
        ),
        log("/shared", at(20), { 30: 2 }, { coldStarts: 2, initSumMs: 500 }),
        log("/aws/lambda/b", at(10), { 20: 5 }), // before logs coverage
      ]),
    );
    await s.telemetry.setCoverage(SCOPE, "metrics", 60, coveredFrom, coveredTo, NOW - 30_000);
    await s.telemetry.setCoverage(SCOPE, "logs", 60, at(15), coveredTo, NOW - 40_000);
    return s;
  }

  it("reads the inventory in the live path's shape", async () => {
    const s = await seed();
    const inv = await storeRegionRead(s, SCOPE, bucket).inventory();
    expect(inv.concurrencyLimit).toBe(1000);
    expect(inv.functions.map((f) => f.name)).toEqual(["a", "b", "c", "d"]);
    expect(inv.functions[2]).toMatchObject({
      region: REGION,
      logGroup: "/shared",
      logFormat: "Text",
      memory: 1024,
    });
  });

  it("per-function totals are the sums of the covered rows; averages from Duration sum / count", async () => {
    const s = await seed();
    const read = storeRegionRead(s, SCOPE, bucket);
    const m = await read.metrics(await read.inventory());
    const value = (fn: string, id: Parameters<typeof functionKey>[1]) => m.series.get(functionKey(fn, id));
    // a: even minutes 20…58 are covered: 20 rows.
    expect(sumOf(value("a", "invocations"))).toBe(200);
    expect(sumOf(value("a", "errors"))).toBe(20);
    expect(statOf(value("a", "avgDuration"))).toBe(100);
    // b: its minute-5 row is outside coverage and not counted.
    expect(sumOf(value("b", "invocations"))).toBe(6);
    expect(sumOf(value("b", "throttles"))).toBe(2);
    expect(value("b", "invocations")?.timestamps).toEqual([bucket.start]);
    expect(m.series.has(functionKey("not-in-inventory", "invocations"))).toBe(false);
  });

  it("percentiles come from merged histograms, not averaged per minute", async () => {
    const s = await seed();
    const read = storeRegionRead(s, SCOPE, bucket);
    const m = await read.metrics(await read.inventory());
    // 98 durations in bucket 10 and 2 in bucket 50: the 99th of 100 is in bucket 50.
    expect(statOf(m.series.get(functionKey("a", "p99")))).toBe(bucketValue(50));
    expect(statOf(m.series.get(functionKey("a", "p99")))).not.toBe((bucketValue(10) + bucketValue(50)) / 2);
    // A group several functions share is not split between them.
    expect(m.series.has(functionKey("c", "p99"))).toBe(false);
    // The fleet's minute 20 merges every group: 98 × bucket 10 and 2 × bucket 30.
    const p50 = m.series.get(fleetKey("p50"));
    const p99 = m.series.get(fleetKey("p99"));
    expect(p50?.timestamps).toEqual([at(20), at(21)]);
    expect(p50?.values[0]).toBe(bucketValue(10));
    expect(p99?.values[0]).toBe(bucketValue(30));
    expect(p99?.values[1]).toBe(bucketValue(50));
  });

  it("series: counts outside coverage are gaps, a covered minute without rows is 0", async () => {
    const s = await seed();
    const read = storeRegionRead(s, SCOPE, bucket);
    const m = await read.metrics(await read.inventory());
    const inv = m.series.get(fleetKey("invocations"));
    expect(inv?.timestamps.every((t) => t >= coveredFrom && t < coveredTo)).toBe(true);
    expect(m.covered).toEqual([{ from: coveredFrom, to: coveredTo }]);
    const fleet = buildFleetMetrics(
      [{ account: ACCOUNT, region: REGION, series: m.series, covered: m.covered }],
      bucket,
    );
    const v = (k: number) => fleet.invocations[k]?.v;
    expect(v(0)).toBeNull(); // not collected, not 0
    expect(v(19)).toBeNull();
    expect(v(20)).toBe(10);
    expect(v(21)).toBe(0); // collected, no datapoint
    // The fleet is the whole region, as CloudWatch's region-wide series: a function the inventory no longer lists
    // still counts.
    expect(v(31)).toBe(105);
    expect(v(59)).toBeNull();
    expect(fleet.concurrency[0]?.points[10]?.v).toBeNull();
    expect(fleet.concurrency[0]?.points[22]?.v).toBe(22);
    expect(fleet.totals.invocations).toBe(305);
  });

  it("REPORT-line aggregates per function and per minute, shared groups in the fleet only", async () => {
    const s = await seed();
    const read = storeRegionRead(s, SCOPE, bucket);
    const l = await read.logs(await read.inventory());
    expect(l.queries).toBe(0);
    expect(l.bin).toBe(60);
    expect(l.aggregates.perFunction.get("a")).toEqual({
      invocations: 100,
      coldStarts: 1,
      initSum: 300,
      maxInit: 300,
      maxMemoryUsed: 90,
      memorySize: 1024,
      // Rows written with the restore columns: no SnapStart restore in them is a count of 0, not unknown.
      restores: { count: 0, billedSum: 0 },
      billedSum: 10_200,
    });
    expect(l.aggregates.perFunction.has("b")).toBe(false); // its only row is before coverage
    expect(l.aggregates.sharedGroups).toEqual(new Set(["/shared"]));
    expect(l.aggregates.series.get(at(20))).toEqual({ invocations: 100, coldStarts: 3, initSum: 800 });
    expect(l.aggregates.covered).toEqual([{ from: at(15), to: coveredTo }]);
  });

  it("reports partial coverage and freshness per source", async () => {
    const s = await seed();
    const read = storeRegionRead(s, SCOPE, bucket);
    const inv = await read.inventory();
    const m = (await read.metrics(inv)).coverage;
    expect(m).toMatchObject({
      region: REGION,
      source: "metrics",
      collected: { from: coveredFrom, to: coveredTo, updatedAt: NOW - 30_000 },
      window: { from: bucket.start, to: bucket.end },
      coveredMs: coveredTo - coveredFrom,
    });
    expect(m.gaps.map((g) => [g.from, g.to, g.within])).toEqual([
      [bucket.start, coveredFrom, null],
      [coveredTo, bucket.end, null],
    ]);
    expect(isPartial(m, NOW)).toBe(true);
    const logs = (await read.logs(inv)).coverage;
    const summary = summarizeCoverage([m, logs], NOW);
    expect(summary.dataTo).toBe(coveredTo);
    expect(summary.updatedAt).toBe(NOW - 40_000);
    expect(summary.partial.map((c) => c.source)).toEqual(["metrics", "logs"]);
  });

  it("the newest not-yet-collectable minutes do not make a source partial", async () => {
    const s = await seed();
    await s.telemetry.setCoverage(SCOPE, "metrics", 60, bucket.start, coveredTo, NOW);
    const read = storeRegionRead(s, SCOPE, bucket);
    expect(isPartial((await read.metrics(await read.inventory())).coverage, NOW)).toBe(false);
  });

  it("the overview makes no AWS request and carries coverage to every panel", async () => {
    const s = await seed();
    const calls: string[] = [];
    const o = await loadFleetOverview([SCOPE], bucket, storeDeps(s, calls));
    expect(calls).toEqual([]);
    expect(o.source).toBe("store");
    expect(o.metrics.failures).toEqual([]);
    expect(o.metrics.fleet?.totals.invocations).toBe(305);
    expect(o.metrics.fleet?.invocations[0]?.v).toBeNull();
    expect(o.metrics.status.coverage.map((c) => c.source)).toEqual(["metrics", "logs"]);
    expect(o.coldStarts.status.coverage.map((c) => c.source)).toEqual(["logs"]);
    expect(o.coldStarts.fleet?.totals).toMatchObject({ reports: 102, coldStarts: 3 });
    expect(o.coldStarts.fleet?.coldStarts[14]?.v).toBeNull(); // before logs coverage
    expect(o.coldStarts.fleet?.coldStarts[16]?.v).toBe(0);
    const row = (name: string) => o.table.rows.find((r) => r.name === name);
    expect(row("a")).toMatchObject({ invocations: 200, errors: 20, coldStarts: 1, p99: bucketValue(50) });
    expect(row("c")).toMatchObject({ invocations: 0, coldStarts: null });
    expect(o.table.cost).not.toBeNull();
    expect(o.metrics.limits).toEqual([{ account: ACCOUNT, region: REGION, limit: 1000 }]);
  });

  it("nothing collected: panels show no numbers (not zeros) and say so", async () => {
    const s = await openStore();
    const calls: string[] = [];
    const o = await loadFleetOverview([SCOPE], bucket, storeDeps(s, calls));
    expect(calls).toEqual([]);
    expect(o.metrics.fleet).toBeNull();
    expect(o.coldStarts.fleet).toBeNull();
    expect(o.table.rows.map((r) => [r.name, r.invocations, r.coldStarts])).toEqual([
      ["a", null, null],
      ["b", null, null],
      ["c", null, null],
      ["d", null, null],
    ]);
    expect(o.table.cost).toBeNull();
    expect(o.metrics.status.coverage.every((c) => c.collected === null && c.coveredMs === 0)).toBe(true);
    expect(summarizeCoverage(o.table.status.coverage, NOW)).toMatchObject({ dataTo: null });
  });

  it("a failing store read degrades its panels, not the page", async () => {
    const s = await seed();
    const broken: StoreReader = {
      inventory: s.inventory,
      telemetry: {
        ...s.telemetry,
        logTotals: () => {
          throw new Error("disk I/O error");
        },
      },
    };
    const o = await loadFleetOverview([SCOPE], bucket, storeDeps(broken, []));
    expect(o.coldStarts.failures.map((f) => f.source)).toEqual(["logs"]);
    expect(o.table.rows).toHaveLength(4);
  });
});

describe("two accounts with functions of the same names in one region", () => {
  const bucket = hourBucket();
  const MEMBER = parseAccountId("222222222222");
  const OTHER = { account: MEMBER, region: REGION };

  it("read each account's rows only: same-named functions are two rows with their own numbers", async () => {
    const s = await openStore();
    await s.inventory.putConfigs(OTHER, [config({ name: "a" })], NOW);
    await s.inventory.putAccount(OTHER, { concurrentExecutions: 50 } as never, NOW);
    const t = bucket.start + 30 * M;
    await s.telemetry.putMetrics(
      withRegionMetrics([
        metric("a", t, { invocations: 10, durationSum: 100, durationCount: 10 }),
        { ...emptyMetric(OTHER, "a", 60, t), invocations: 3, durationSum: 30, durationCount: 3 },
      ]),
    );
    for (const scope of [SCOPE, OTHER])
      await s.telemetry.setCoverage(scope, "metrics", 60, bucket.start, bucket.end, NOW);
    const calls: string[] = [];
    const target = {
      id: MEMBER,
      name: "member-1",
      source: "organization" as const,
      roleArn: null,
      externalId: null,
      telemetry: "direct" as const,
    };
    const o = await loadFleetOverview([SCOPE, { ...OTHER, target }], bucket, storeDeps(s, calls));
    expect(calls).toEqual([]);
    const a = o.table.rows.filter((r) => r.name === "a");
    expect(a.map((r) => [r.account, r.accountName, r.invocations])).toEqual([
      [ACCOUNT, null, 10],
      [MEMBER, "member-1", 3],
    ]);
    // The member lists one function: the home account's b, c, d are not its.
    expect(o.table.rows.filter((r) => r.account === MEMBER).map((r) => r.name)).toEqual(["a"]);
    expect(o.metrics.fleet?.totals.invocations).toBe(13);
    expect(o.metrics.limits).toEqual([
      { account: ACCOUNT, region: REGION, limit: 1000 },
      { account: MEMBER, region: REGION, limit: 50 },
    ]);
    expect(o.metrics.fleet?.concurrency.map((c) => [c.account, c.region])).toEqual([
      [ACCOUNT, REGION],
      [MEMBER, REGION],
    ]);
  });

  it("a failing account's read is its own failure, named with its account; the other account still shows", async () => {
    const s = await openStore();
    const broken: StoreReader = {
      telemetry: s.telemetry,
      inventory: {
        ...s.inventory,
        functions: (scope) =>
          scope.account === MEMBER
            ? Promise.reject(new Error("disk I/O error"))
            : s.inventory.functions(scope),
      },
    };
    const o = await loadFleetOverview([SCOPE, OTHER], bucket, storeDeps(broken, []));
    expect(o.table.failures.map((f) => [f.account, f.region, f.source])).toEqual([
      [MEMBER, REGION, "inventory"],
    ]);
    expect(o.table.rows.map((r) => r.name)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("store-backed fleet overview over days: tiers", () => {
  /** Minute rows of one function over 4 days, and their roll-ups to every tier, with coverage per tier. */
  async function seedTiers() {
    const s = await openStore();
    const from = NOW - 4 * DAY;
    const to = NOW - 2 * M;
    const minutes: MetricRollup[] = [];
    const logs: LogRollup[] = [];
    for (let t = from, i = 0; t < to; t += 7 * M, i++) {
      minutes.push(
        metric("a", t, { invocations: (i % 5) + 1, errors: i % 2, durationSum: 10 * i, durationCount: 1 }),
      );
      logs.push(log("/aws/lambda/a", t, { [i % 40]: 1 + (i % 3) }));
    }
    for (const res of RESOLUTIONS) {
      const step = res * 1000;
      const rows =
        res === 60
          ? minutes
          : rollUp(
              minutes,
              res as Resolution,
              (r) => r.fn,
              (r, t) => ({ ...emptyMetric(r, r.fn, res, t) }),
              addMetric,
            );
      const lrows =
        res === 60
          ? logs
          : rollUp(
              logs,
              res as Resolution,
              (r) => r.logGroup,
              (r, t) => ({ ...emptyLog(r, r.logGroup, res, t) }),
              addLog,
            );
      await s.telemetry.putMetrics(withRegionMetrics(rows));
      await s.telemetry.putLogs(withRegionLogs(lrows));
      const cFrom = Math.ceil(from / step) * step;
      const cTo = Math.floor(to / step) * step;
      await s.telemetry.setCoverage(SCOPE, "metrics", res, cFrom, cTo, NOW);
      await s.telemetry.setCoverage(SCOPE, "logs", res, cFrom, cTo, NOW);
    }
    return { s, minutes, logs, to };
  }

  /** Records which rows a read asks for. */
  function spy(reader: StoreReader, asked: { res: number; from: number; to: number }[]): StoreReader {
    return {
      inventory: reader.inventory,
      telemetry: {
        ...reader.telemetry,
        metricTotals: (region, res, from, to) => {
          asked.push({ res, from, to });
          return reader.telemetry.metricTotals(region, res, from, to);
        },
      },
    };
  }

  it("whole-range totals read days in the middle and equal the sums of the minute rows", async () => {
    const { s, minutes, logs, to } = await seedTiers();
    const w = { start: epochMs(NOW - 3 * DAY), end: epochMs(NOW) };
    const bucket = bucketRange(w, epochMs(NOW), choosePeriod(w, epochMs(NOW)));
    const asked: { res: number; from: number; to: number }[] = [];
    const read = storeRegionRead(spy(s, asked), SCOPE, bucket);
    const m = await read.metrics(await read.inventory());
    expect(asked.map((a) => a.res)).toContain(86400);
    expect(asked.every((a) => a.from >= bucket.start && a.to <= to)).toBe(true);

    const inWindow = (t: number) => t >= bucket.start && t < to;
    const expected = minutes.filter((r) => inWindow(r.t));
    expect(sumOf(m.series.get(functionKey("a", "invocations")))).toBe(
      expected.reduce((a, r) => a + r.invocations, 0),
    );
    expect(sumOf(m.series.get(functionKey("a", "errors")))).toBe(expected.reduce((a, r) => a + r.errors, 0));
    const merged = merge(logs.filter((r) => inWindow(r.t)).map((r) => r.durations));
    expect(statOf(m.series.get(functionKey("a", "p99")))).toBe(quantile(merged, 0.99));

    // The fleet series' slots (the bucket's period) add up to the same totals over the covered slots.
    const fleet = buildFleetMetrics(
      [{ account: ACCOUNT, region: REGION, series: m.series, covered: m.covered }],
      bucket,
    );
    const step = bucket.period * 1000;
    const slotted = expected.filter((r) => {
      const slot = Math.floor(r.t / step) * step;
      return isCovered(m.covered, slot, slot + step);
    });
    expect(slotted.length).toBeGreaterThan(expected.length - 20);
    const slots = m.series.get(fleetKey("invocations"))?.timestamps ?? [];
    expect(slots.length).toBeGreaterThan(200);
    expect(slots.every((t) => t % step === 0)).toBe(true);
    expect(m.series.get(fleetKey("p99"))?.timestamps.every((t) => t % step === 0)).toBe(true);
    expect(fleet.totals.invocations).toBe(slotted.reduce((a, r) => a + r.invocations, 0));
  });

  it("minute rows pruned: a window reaching back further is answered from coarser tiers", async () => {
    const { s, minutes, to } = await seedTiers();
    // Minute rows kept for the last day only.
    await s.telemetry.prune(60, NOW - DAY);
    const w = { start: epochMs(NOW - 3 * DAY - 10 * M), end: epochMs(NOW) };
    const bucket = bucketRange(w, epochMs(NOW), seconds(900));
    const read = storeRegionRead(s, SCOPE, bucket);
    const m = await read.metrics(await read.inventory());
    const expected = minutes.filter((r) => r.t >= bucket.start && r.t < to);
    expect(sumOf(m.series.get(functionKey("a", "invocations")))).toBe(
      expected.reduce((a, r) => a + r.invocations, 0),
    );
    expect(m.coverage.coveredMs).toBe(to - bucket.start);
  });
});
