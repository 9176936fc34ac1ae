/**
 * The numbers a page shows for a custom window are the numbers of exactly that window (issue 11): the collector
 * fills a real SQLite store from the sandbox over HTTP, the fleet overview and the function page read it for an
 * aligned custom range, and each figure equals what the `aws` CLI (an independent client) computes for the same
 * [start, end): GetMetricData sums for invocations, errors and throttles; Logs Insights over REPORT lines for cold
 * starts, init and billed duration; CloudWatch's own p99 within the store's histogram error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { TEST_SEED } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { RELATIVE_ERROR } from "@/lib/core/rollup/histogram";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { bucketForRange } from "@/lib/core/time/bucket";
import { awsCliJson, cliInsightsRow } from "@fleetscope/sandbox/testing/awscli";
import { collectedStore, type CollectedStore } from "@/test/support/collected-store";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
/** The sandbox's one account (its seed's), read with the console's own credentials. */
const HOME: AccountTarget = {
  id: parseAccountId(accountIdFor(TEST_SEED)),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const SCOPE = { account: HOME.id, region: REGION };
const HORIZON = 3 * HOUR;
const FUNCTIONS = ["payments-api", "webhook-ingest", "notify-sms", "checkout-api"];

let rig: CollectedStore;
beforeAll(async () => {
  rig = await collectedStore({ region: REGION, horizonMs: HORIZON });
}, 240_000);
afterAll(async () => {
  await rig?.close();
});

/**
 * 17:00–18:00-like: a whole hour on the clock, ending at least 20 minutes before now (settled), inside the
 * collector's 3-hour horizon.
 */
function alignedWindow(): { start: EpochMs; end: EpochMs } {
  const end = Math.floor((rig.clock.t - 20 * MINUTE) / HOUR) * HOUR;
  return { start: epochMs(end - HOUR), end: epochMs(end) };
}

async function cliInsights(group: string, w: { start: number; end: number }) {
  const row = await cliInsightsRow(
    rig.sb.url,
    group,
    w,
    'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as init, sum(@billedDuration) as billed',
  );
  return {
    reports: row.n ?? 0,
    coldStarts: row.cold ?? 0,
    initSum: row.init ?? 0,
    billedSum: row.billed ?? 0,
  };
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
  const r = await awsCliJson<{ MetricDataResults: { Id: string; Values: number[] }[] }>(rig.sb.url, [
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

const logGroupOf = async (fn: string) =>
  (await rig.store.inventory.get(SCOPE, fn))?.config.logGroup ?? `/aws/lambda/${fn}`;

describe("an aligned custom window reads exactly that window", () => {
  it("the bucket is the asked window, not one period wider", () => {
    const w = alignedWindow();
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(rig.clock.t),
    );
    expect([bucket.start, bucket.end]).toEqual([w.start, w.end]);
    expect(bucket.aligned).toBe(false);
    expect(w.start).toBeGreaterThanOrEqual(rig.clock.t - HORIZON);
  });

  it("fleet rows: invocations, errors, throttles, p99, cold starts and init equal the CLI's", async () => {
    const w = alignedWindow();
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(rig.clock.t),
    );
    const overview = await loadFleetOverview([{ ...SCOPE, target: HOME }], bucket, rig.deps());
    const cli = await cliMetrics(w);
    const logs = new Map(
      await Promise.all(
        FUNCTIONS.map(async (fn) => [fn, await cliInsights(await logGroupOf(fn), w)] as const),
      ),
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
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(rig.clock.t),
    );
    const cli = await cliMetrics(w);
    for (const fn of FUNCTIONS) {
      const config = (await rig.store.inventory.get(SCOPE, fn))?.config;
      if (!config) throw new Error(`${fn} not in the stored inventory`);
      const t = startFunctionTelemetry(
        { account: HOME, region: REGION, name: fn, config, aliases: [], bucket },
        rig.deps(),
      );
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
