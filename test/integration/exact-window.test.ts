/**
 * The numbers a page shows for a custom window are the numbers of exactly that window (issue 11): the collector
 * fills a real SQLite store from the sandbox over HTTP, the fleet overview and the function page read it for an
 * aligned custom range, and each figure equals what the `aws` CLI (an independent client) computes for the same
 * [start, end): GetMetricData sums for invocations, errors and throttles; Logs Insights over REPORT lines for cold
 * starts, init and billed duration; CloudWatch's own p99 within the store's histogram error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import { RELATIVE_ERROR } from "@/lib/core/rollup/histogram";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { bucketForWindow } from "@/lib/data/telemetry/window";
import type { Sandbox } from "@/lib/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { awsCliJson } from "@/test/support/awscli";
import { TEST_NOW, startTestSandbox } from "@/test/support/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
const HORIZON = 3 * HOUR;
const FUNCTIONS = ["payments-api", "webhook-ingest", "notify-sms", "checkout-api"];

let sb: Sandbox;
let store: Store;
let collector: Collector;
const clock = { t: TEST_NOW };

beforeAll(async () => {
  resetPublishers();
  sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  store = createStore(openDatabase(":memory:"));
  collector = createCollector({
    regions: [REGION],
    portsFor: sandboxPorts(sb.url, 3),
    store,
    owner: "test",
    settings: { horizonMs: HORIZON },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  const settings = { ...DEFAULT_SETTINGS, horizonMs: HORIZON };
  const done = () =>
    (["metrics", "logs"] as const).every((source) => {
      const p = backfillProgress({ region: REGION, telemetry: store.telemetry, settings }, source, clock.t);
      return p.collectedMs >= p.targetMs;
    });
  for (let i = 0; !done(); i++) {
    if (i > 200) throw new Error("backfill did not finish");
    await collector.tick();
    clock.t += 20_000;
  }
}, 240_000);

afterAll(async () => {
  await collector?.stop();
  await sb?.close();
});

function deps(): TelemetryDeps {
  const refuse = () => {
    throw new Error("a store-backed view must not call AWS");
  };
  return {
    lambda: refuse,
    cloudwatch: refuse,
    logs: refuse,
    store: () => store,
    liveCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    settledCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    now: () => epochMs(clock.t),
    insightsTimeoutMs: 5_000,
  };
}

/**
 * 17:00–18:00-like: a whole hour on the clock, ending at least 20 minutes before now (settled), inside the
 * collector's 3-hour horizon.
 */
function alignedWindow(): { start: EpochMs; end: EpochMs } {
  const end = Math.floor((clock.t - 20 * MINUTE) / HOUR) * HOUR;
  return { start: epochMs(end - HOUR), end: epochMs(end) };
}

async function cliInsights(group: string, w: { start: number; end: number }) {
  const started = await awsCliJson<{ queryId: string }>(sb.url, [
    "logs",
    "start-query",
    "--log-group-name",
    group,
    "--start-time",
    String(w.start / 1000),
    // Insights' end time is inclusive, in seconds: the last second of the window.
    "--end-time",
    String(w.end / 1000 - 1),
    "--query-string",
    'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as init, sum(@billedDuration) as billed',
  ]);
  for (let i = 0; i < 100; i++) {
    const r = await awsCliJson<{ status: string; results: { field: string; value: string }[][] }>(sb.url, [
      "logs",
      "get-query-results",
      "--query-id",
      started.queryId,
    ]);
    if (r.status === "Complete") {
      const row = Object.fromEntries((r.results[0] ?? []).map((c) => [c.field, Number(c.value)]));
      return {
        reports: row.n ?? 0,
        coldStarts: row.cold ?? 0,
        initSum: row.init ?? 0,
        billedSum: row.billed ?? 0,
      };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("query did not complete");
}

interface CliFigures {
  invocations: number;
  errors: number;
  throttles: number;
  p99: number | null;
}

/** One `aws cloudwatch get-metric-data` call: each function's sums and p99 over the whole window (one period). */
async function cliMetrics(w: { start: number; end: number }): Promise<Map<string, CliFigures>> {
  const stats = [
    ["invocations", "Invocations", "Sum"],
    ["errors", "Errors", "Sum"],
    ["throttles", "Throttles", "Sum"],
    ["p99", "Duration", "p99"],
  ] as const;
  const queries = FUNCTIONS.flatMap((fn, i) =>
    stats.map(([id, metric, stat]) => ({
      Id: `${id}_${i}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: metric,
          Dimensions: [{ Name: "FunctionName", Value: fn }],
        },
        Period: (w.end - w.start) / 1000,
        Stat: stat,
      },
    })),
  );
  const r = await awsCliJson<{ MetricDataResults: { Id: string; Values: number[] }[] }>(sb.url, [
    "cloudwatch",
    "get-metric-data",
    "--start-time",
    new Date(w.start).toISOString(),
    "--end-time",
    new Date(w.end).toISOString(),
    "--metric-data-queries",
    JSON.stringify(queries),
  ]);
  const value = (id: string) => r.MetricDataResults.find((m) => m.Id === id)?.Values[0];
  return new Map(
    FUNCTIONS.map((fn, i) => [
      fn,
      {
        // CloudWatch omits a period without data: no invocations is 0, no duration is no p99.
        invocations: value(`invocations_${i}`) ?? 0,
        errors: value(`errors_${i}`) ?? 0,
        throttles: value(`throttles_${i}`) ?? 0,
        p99: value(`p99_${i}`) ?? null,
      },
    ]),
  );
}

const logGroupOf = (fn: string) => store.inventory.get(REGION, fn)?.config.logGroup ?? `/aws/lambda/${fn}`;

describe("an aligned custom window reads exactly that window", () => {
  it("the bucket is the asked window, not one period wider", () => {
    const w = alignedWindow();
    const bucket = bucketForWindow(w.start, w.end, epochMs(clock.t));
    expect([bucket.start, bucket.end]).toEqual([w.start, w.end]);
    expect(bucket.aligned).toBe(false);
    expect(w.start).toBeGreaterThanOrEqual(clock.t - HORIZON);
  });

  it("fleet rows: invocations, errors, throttles, p99, cold starts and init equal the CLI's", async () => {
    const w = alignedWindow();
    const bucket = bucketForWindow(w.start, w.end, epochMs(clock.t));
    const overview = await loadFleetOverview([REGION], bucket, deps());
    const cli = await cliMetrics(w);
    const logs = new Map(
      await Promise.all(FUNCTIONS.map(async (fn) => [fn, await cliInsights(logGroupOf(fn), w)] as const)),
    );
    for (const fn of FUNCTIONS) {
      const row = overview.table.rows.find((r) => r.name === fn);
      const c = cli.get(fn);
      const l = logs.get(fn);
      if (!row || !c || !l) throw new Error(`${fn}: no row or no CLI figures`);
      expect(c.invocations, fn).toBeGreaterThan(0);
      expect({ invocations: row.invocations, errors: row.errors, throttles: row.throttles }, fn).toEqual({
        invocations: c.invocations,
        errors: c.errors,
        throttles: c.throttles,
      });
      expect(row.coldStarts, fn).toBe(l.coldStarts);
      if (l.coldStarts > 0) expect(row.avgInit, fn).toBeCloseTo(l.initSum / l.coldStarts, 6);
      else expect(row.avgInit, fn).toBeNull();
      if (c.p99 === null) throw new Error(`${fn}: no p99 from the CLI`);
      expect(row.p99, fn).not.toBeNull();
      expect(Math.abs((row.p99 ?? 0) - c.p99) / c.p99, fn).toBeLessThanOrEqual(RELATIVE_ERROR);
    }
    // The table's totals add up the same window: the fleet's invocations are the sum of every row's.
    const sum = overview.table.rows.reduce((a, r) => a + (r.invocations ?? 0), 0);
    expect(overview.metrics.fleet?.totals.invocations).toBe(sum);
  }, 120_000);

  it("the function page: totals, cold starts, init and billed duration equal the CLI's", async () => {
    const w = alignedWindow();
    const bucket = bucketForWindow(w.start, w.end, epochMs(clock.t));
    const cli = await cliMetrics(w);
    for (const fn of FUNCTIONS) {
      const config = store.inventory.get(REGION, fn)?.config;
      if (!config) throw new Error(`${fn} not in the stored inventory`);
      const t = startFunctionTelemetry({ region: REGION, name: fn, config, aliases: [], bucket }, deps());
      const metrics = await t.metrics;
      const logs = await t.logs;
      if (!metrics.ok || !logs.ok) throw new Error(`${fn}: a store-backed panel failed`);
      // The store holds all of the window: what follows compares whole windows.
      for (const c of [...metrics.value.coverage, ...logs.value.coverage]) {
        expect(c.coveredMs, `${fn} ${c.source}`).toBe(HOUR);
      }
      const c = cli.get(fn);
      expect(metrics.value.totals, fn).toEqual({
        invocations: c?.invocations,
        errors: c?.errors,
        throttles: c?.throttles,
      });
      // Every chart point is a whole minute of the window: the series add up to the totals.
      const sum = metrics.value.invocations.reduce((a, p) => a + (p.v ?? 0), 0);
      expect(sum, fn).toBe(metrics.value.totals.invocations);
      expect(metrics.value.invocations.length, fn).toBe(60);

      const l = await cliInsights(config.logGroup, w);
      const s = logs.value.stats;
      expect({ invocations: s.invocations, coldStarts: s.coldStarts, billedSum: s.billedSum }, fn).toEqual({
        invocations: l.reports,
        coldStarts: l.coldStarts,
        billedSum: l.billedSum,
      });
      if (l.coldStarts > 0) expect(s.avgInit, fn).toBeCloseTo(l.initSum / l.coldStarts, 6);
    }
  }, 120_000);
});
