/** Planning and assembling one fleet-overview refresh (pure: lib/data/telemetry/plan.ts, assemble.ts). */
import { describe, expect, it } from "vitest";
import { batchQueries } from "@/lib/aws/cloudwatch";
import type { ReportBin } from "@/lib/core/query/telemetry-insights";
import { bucketRange } from "@/lib/core/time/bucket";
import { choosePeriod } from "@/lib/core/time/period";
import { epochMs, mb, ms, type EpochMs } from "@/lib/core/units";
import { buildFleetColdStarts, buildFleetMetrics, buildFunctionRows } from "@/lib/data/telemetry/assemble";
import {
  aggregateReportBins,
  FLEET_SERIES,
  FUNCTION_METRICS,
  fleetKey,
  functionKey,
  planOverviewLogs,
  planOverviewMetrics,
  wholeRangePeriod,
  type InventoryFunction,
} from "@/lib/data/telemetry/plan";

const NOW = epochMs(Date.UTC(2026, 10, 23, 12, 0, 0));
const HOUR = 3_600_000;
const bucketOf = (hours: number) => {
  const w = { start: epochMs(NOW - hours * HOUR), end: NOW };
  return bucketRange(w, NOW, choosePeriod(w, NOW));
};

const fn = (name: string, over: Partial<InventoryFunction> = {}): InventoryFunction => ({
  account: "123456789012",
  region: "us-east-1",
  name,
  memory: mb(1024),
  architecture: "x86_64",
  runtime: "nodejs22.x",
  packageType: "Zip",
  ephemeralStorage: mb(512),
  logGroup: `/aws/lambda/${name}`,
  logFormat: "Text",
  ...over,
});

describe("overview metrics plan", () => {
  it.each([10, 100, 1000, 5000])("F = %i: ceil((5F + 7) / 500) requests, unique keys", (F) => {
    const functions = Array.from({ length: F }, (_, i) => fn(`f-${i}`));
    const plan = planOverviewMetrics(functions, bucketOf(24));
    expect(plan).toHaveLength(FLEET_SERIES.length + F * FUNCTION_METRICS.length);
    expect(new Set(plan.map((q) => q.key)).size).toBe(plan.length);
    expect(batchQueries(plan)).toHaveLength(Math.ceil((5 * F + 7) / 500));
  });

  it("uses the bucket period for fleet series and one whole-range period per function value", () => {
    const bucket = bucketOf(24);
    const plan = planOverviewMetrics([fn("a")], bucket);
    const fleet = plan.find((q) => q.key === fleetKey("invocations"));
    const one = plan.find((q) => q.key === functionKey("a", "p99"));
    expect(fleet?.period).toBe(bucket.period);
    expect(fleet?.dimensions).toEqual({ kind: "region" });
    expect(one?.period).toBe(wholeRangePeriod(bucket));
    expect((one?.period ?? 0) % bucket.period).toBe(0);
    expect(one).toMatchObject({ metricName: "Duration", stat: "p99" });
  });
});

describe("overview logs plan", () => {
  it("separates log formats, marks shared groups, and keeps chunk rows under 10,000", () => {
    const functions = [
      fn("a"),
      fn("b", { logGroup: "/custom/shared" }),
      fn("c", { logGroup: "/custom/shared" }),
      fn("d", { logGroup: "/custom/audit", logFormat: "JSON" }),
    ];
    for (const hours of [0.25, 24, 24 * 30]) {
      const bucket = bucketOf(hours);
      const plan = planOverviewLogs(functions, bucket, 50);
      expect(plan.byFormat).toEqual([
        { format: "Text", groups: ["/aws/lambda/a", "/custom/shared"] },
        { format: "JSON", groups: ["/custom/audit"] },
      ]);
      expect(plan.owner.get("/custom/shared")).toBeNull();
      expect(plan.bin % bucket.period).toBe(0);
      expect(50 * Math.ceil((bucket.end - bucket.start) / (plan.bin * 1000))).toBeLessThanOrEqual(10_000);
    }
  });
});

const bin = (logGroup: string, t: number, over: Partial<ReportBin> = {}): ReportBin => ({
  logGroup,
  t,
  invocations: 10,
  coldStarts: 1,
  initSum: ms(500),
  maxInit: ms(500),
  maxMemoryUsed: mb(300),
  memorySize: mb(1024),
  billedSum: ms(1000),
  ...over,
});

describe("assembling", () => {
  const bucket = bucketOf(1);
  const t0 = bucket.start;

  it("folds report bins per function and per time, leaving shared groups out of the table", () => {
    const owner = new Map<string, string | null>([
      ["/aws/lambda/a", "a"],
      ["/custom/shared", null],
    ]);
    const agg = aggregateReportBins(
      [
        bin("/aws/lambda/a", t0),
        bin("/aws/lambda/a", t0 + 60_000, {
          coldStarts: 0,
          initSum: null,
          maxInit: null,
          maxMemoryUsed: mb(400),
        }),
        bin("/custom/shared", t0, { coldStarts: 3, initSum: ms(900) }),
      ],
      owner,
    );
    expect(agg.perFunction.get("a")).toMatchObject({
      invocations: 20,
      coldStarts: 1,
      initSum: 500,
      maxMemoryUsed: 400,
    });
    expect(agg.perFunction.has("shared")).toBe(false);
    expect(agg.series.get(t0)).toEqual({ invocations: 20, coldStarts: 4, initSum: 1400 });

    const rows = buildFunctionRows(
      [fn("a"), fn("b", { logGroup: "/custom/shared" }), fn("c", { logGroup: "/custom/shared" })],
      new Map(),
      agg,
      bucket,
      NOW,
    );
    expect(rows[0]).toMatchObject({ coldStarts: 1, avgInit: 500 });
    expect(rows[0]?.coldStartRate).toBeCloseTo(1 / 20);
    expect(rows[1]?.coldStarts).toBeNull();

    const cold = buildFleetColdStarts([agg], bucket, bucket.period);
    expect(cold.totals).toMatchObject({ reports: 30, coldStarts: 4, avgInit: 350 });
  });

  it("shows unknown (null), not zero, for a source that failed", () => {
    const [row] = buildFunctionRows([fn("a")], null, null, bucket, NOW);
    expect(row).toMatchObject({ invocations: null, errorRate: null, coldStarts: null, monthlyCost: null });
  });

  it("prices a function linearly in its invocations, and at zero with none", () => {
    const series = (inv: number) =>
      new Map([
        [functionKey("a", "invocations"), { timestamps: [t0], values: [inv] }],
        [functionKey("a", "avgDuration"), { timestamps: [t0], values: [120.4] }],
      ]);
    const cost = (inv: number) =>
      buildFunctionRows([fn("a")], series(inv), null, bucket, NOW)[0]?.monthlyCost;
    expect(cost(0)).toBe(0);
    const one = cost(1000) ?? 0;
    expect(one).toBeGreaterThan(0);
    expect(Math.abs((cost(2000) ?? 0) - 2 * one)).toBeLessThanOrEqual(2);
  });

  it("adds counts across regions, keeps the worst percentile, zero-fills counts and leaves gauge gaps", () => {
    const at = (i: number) => (t0 + i * bucket.period * 1000) as EpochMs;
    const region = (inv: number[], p99: (number | null)[]) => ({
      account: "123456789012",
      region: "r",
      series: new Map([
        [fleetKey("invocations"), { timestamps: inv.map((_, i) => at(i)), values: inv }],
        [
          fleetKey("p99"),
          {
            timestamps: p99.flatMap((v, i) => (v === null ? [] : [at(i)])),
            values: p99.filter((v): v is number => v !== null),
          },
        ],
      ]),
    });
    const m = buildFleetMetrics([region([1, 2], [100, null]), region([10], [50, null])], bucket);
    expect(m.invocations.slice(0, 3).map((p) => p.v)).toEqual([11, 2, 0]);
    expect(m.p99.slice(0, 2).map((p) => p.v)).toEqual([100, null]);
    expect(m.totals.invocations).toBe(13);
    expect(m.errorRate[2]?.v).toBeNull();
  });

  it("store-backed regions: a slot one region has not collected is unknown for the fleet, not a partial sum", () => {
    const step = bucket.period * 1000;
    const at = (i: number) => (t0 + i * step) as EpochMs;
    const ones = (n: number) => ({
      timestamps: Array.from({ length: n }, (_, i) => at(i)),
      values: Array.from({ length: n }, () => 1),
    });
    const whole = {
      account: "123456789012",
      region: "a",
      series: new Map([[fleetKey("invocations"), ones(4)]]),
    };
    const half = {
      account: "123456789012",
      region: "b",
      series: new Map([[fleetKey("invocations"), ones(4)]]),
      covered: [{ from: at(2), to: bucket.end }],
    };
    const m = buildFleetMetrics([whole, half], bucket);
    expect(m.invocations.slice(0, 4).map((p) => p.v)).toEqual([null, null, 2, 2]);
    expect(m.totals.invocations).toBe(4);

    const agg = (covered?: { from: number; to: number }[]) => ({
      ...aggregateReportBins([bin("/aws/lambda/a", at(0)), bin("/aws/lambda/a", at(3))], new Map()),
      covered,
    });
    const cold = buildFleetColdStarts([agg(), agg([{ from: at(1), to: bucket.end }])], bucket, bucket.period);
    expect(cold.coldStarts.slice(0, 4).map((p) => p.v)).toEqual([null, 0, 0, 2]);
    expect(cold.totals).toMatchObject({ reports: 20, coldStarts: 2 });
  });

  it("projects a store-backed function's monthly cost from the span collected, not the span asked", () => {
    const series = new Map([
      [functionKey("a", "invocations"), { timestamps: [t0], values: [1000] }],
      [functionKey("a", "avgDuration"), { timestamps: [t0], values: [120.4] }],
    ]);
    const span = bucket.end - bucket.start;
    const cost = (metricsMs: number) =>
      buildFunctionRows([fn("a")], series, null, bucket, NOW, { metricsMs, logsMs: span })[0]?.monthlyCost ??
      0;
    expect(cost(span)).toBe(buildFunctionRows([fn("a")], series, null, bucket, NOW)[0]?.monthlyCost);
    // The same 1,000 invocations seen in half the time are twice the rate.
    expect(Math.abs(cost(span / 2) - 2 * cost(span))).toBeLessThanOrEqual(2);
  });
});
