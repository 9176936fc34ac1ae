/**
 * Turning the answers of one overview plan into what the dashboard shows. Pure.
 *
 * Invariants:
 * - Series are on the bucket's grid (prepareSeries): a missing count point is 0, a missing gauge point a gap.
 * - Across regions, counts add up; percentile and concurrency series are not additive, so the fleet line is the
 *   worst (largest) region's value at each point, and concurrency stays one line per region.
 * - A function without data in a source shows null for that source's columns, never 0 ("no REPORT lines read"
 *   is not "no cold starts").
 * - Cost is an estimate (lib/core/pricing/estimate.ts): invocations and cold starts over the range projected to a
 *   730-hour month plus provisioned concurrency as configured (average billed duration from REPORT lines when
 *   read, else ceil(Duration Average)). A part it cannot price (INIT without logs, provisioned concurrency not
 *   read) makes it a lower bound that says what it lacks, and so does the fleet's sum.
 * - Store-backed answers carry where they were collected (`covered`): a slot outside it is null ("not
 *   collected") in count series too, a count slot missing in any region is missing in the fleet sum, and
 *   monthly rates are projected from the collected span, not the asked one.
 */
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import { errorRateSeries, prepareSeries, ratioSeries, type SeriesPoint } from "@/lib/core/charts/series";
import {
  billedMs,
  estimateCost,
  scaleToSpan,
  sumEstimates,
  type CostEstimate,
  type CostSum,
} from "@/lib/core/pricing";
import { isCovered, intersectIntervals, type Interval } from "@/lib/core/rollup/tiling";
import { slotInWindow, type RangeBucket } from "@/lib/core/time/bucket";
import { rate } from "@/lib/core/telemetry/stats";
import { ms, type EpochMs, type Mb, type MicroUsd, type Ms, type Ratio } from "@/lib/core/units";
import {
  fleetKey,
  functionKey,
  type FunctionLogTotals,
  type InventoryFunction,
  type LogAggregates,
} from "./plan";
import { statOf, sumOf } from "../metric-values";

export interface FunctionRow {
  account: string;
  /** The account's Organizations name, when known. */
  accountName: string | null;
  region: string;
  name: string;
  memory: Mb;
  invocations: number | null;
  errors: number | null;
  errorRate: Ratio | null;
  throttles: number | null;
  p99: Ms | null;
  coldStarts: number | null;
  coldStartRate: Ratio | null;
  avgInit: Ms | null;
  maxMemoryUsed: Mb | null;
  /** `cost.total` (for sorting); null when it could not be estimated at all. */
  monthlyCost: MicroUsd | null;
  cost: CostEstimate | null;
}

/** How long the counts were observed (ms): invocations (metrics) and cold starts (REPORT lines) separately. */
export interface ObservedSpans {
  metricsMs: number;
  logsMs: number;
}

const spansOf = (bucket: RangeBucket): ObservedSpans => ({
  metricsMs: bucket.end - bucket.start,
  logsMs: bucket.end - bucket.start,
});

/** Observed usage of one function over the spans; cold starts null when the logs could not say (with why). */
export interface ObservedUsage {
  invocations: number;
  avgBilled: Ms | null;
  coldStarts: { count: number; avgInit: Ms | null } | { unknown: string };
  /** SnapStart restores and their billed restore duration; absent or unknown when not collected. */
  restores?: { count: number; billedSumMs: number } | { unknown: string };
  /** ProvisionedConcurrencySpilloverInvocations Sum; null when not collected. */
  spillover: number | null;
}

export function estimateMonthlyCost(
  f: InventoryFunction,
  bucket: RangeBucket,
  now: EpochMs,
  usage: ObservedUsage,
  spans: ObservedSpans = spansOf(bucket),
): CostEstimate | null {
  // No duration to price invocations with: no estimate (counted as unpriced), rather than a guess.
  if (usage.avgBilled === null && usage.invocations > 0) return null;
  return estimateCost({
    config: { ...f, snapStart: f.snapStart ?? false },
    now,
    invocations: usage.invocations,
    metricsMs: spans.metricsMs,
    avgBilled: usage.avgBilled ?? ms(0),
    coldStarts:
      "unknown" in usage.coldStarts ? usage.coldStarts : { ...usage.coldStarts, spanMs: spans.logsMs },
    provisioned: f.provisioned ?? { unknown: "not read yet" },
    spillover: usage.spillover,
    snapStartVersions: f.aliasVersions,
    restores:
      usage.restores === undefined || "unknown" in usage.restores
        ? usage.restores
        : { ...usage.restores, spanMs: spans.logsMs },
  });
}

/** What the logs say of SnapStart restores: no row for the group is none; a source that does not read them, unknown. */
function restoresOf(
  logs: LogAggregates | null,
  shared: boolean,
  l: FunctionLogTotals | undefined,
): ObservedUsage["restores"] {
  if (logs === null) return { unknown: "logs unavailable" };
  if (shared) return { unknown: "log group shared with other functions" };
  if (l === undefined) return { count: 0, billedSumMs: 0 };
  if (l.restores === undefined || l.restores === null) return { unknown: "not collected" };
  return { count: l.restores.count, billedSumMs: l.restores.billedSum };
}

const avgInitOf = (t: FunctionLogTotals | undefined): Ms | null =>
  t === undefined || t.initSum === null || t.coldStarts === 0 ? null : ms(t.initSum / t.coldStarts);

export function buildFunctionRows(
  functions: readonly InventoryFunction[],
  metrics: ReadonlyMap<string, MetricSeries> | null,
  logs: LogAggregates | null,
  bucket: RangeBucket,
  now: EpochMs,
  spans: ObservedSpans = spansOf(bucket),
  /** The functions' account's Organizations name (one account-region's functions per call). */
  accountName: string | null = null,
): FunctionRow[] {
  return functions.map((f) => {
    const m = (id: Parameters<typeof functionKey>[1]) => metrics?.get(functionKey(f.name, id));
    const invocations = metrics ? sumOf(m("invocations")) : null;
    const errors = metrics ? sumOf(m("errors")) : null;
    const throttles = metrics ? sumOf(m("throttles")) : null;
    const p99 = statOf(m("p99"));
    const avgDuration = statOf(m("avgDuration"));
    const l = logs?.perFunction.get(f.name);
    const shared = logs !== null && !logs.perFunction.has(f.name) && logs.sharedGroups.has(f.logGroup);
    // A SnapStart restore is a cold start without INIT: counted here, priced apart (restoresOf).
    const coldStarts = logs === null || shared ? null : (l?.coldStarts ?? 0) + (l?.restores?.count ?? 0);
    const reports = l?.invocations ?? 0;
    const avgBilled =
      l !== undefined && reports > 0
        ? ms(l.billedSum / reports)
        : avgDuration === null
          ? null
          : billedMs(avgDuration);
    const avgInit = avgInitOf(l);
    const cost =
      invocations === null
        ? null
        : estimateMonthlyCost(
            f,
            bucket,
            now,
            {
              invocations,
              avgBilled,
              coldStarts:
                logs === null
                  ? { unknown: "logs unavailable" }
                  : shared
                    ? { unknown: "log group shared with other functions" }
                    : { count: l?.coldStarts ?? 0, avgInit },
              restores: restoresOf(logs, shared, l),
              spillover: statOf(m("pcSpillover")),
            },
            spans,
          );
    return {
      account: f.account,
      accountName,
      region: f.region,
      name: f.name,
      memory: f.memory,
      invocations,
      errors,
      errorRate: invocations === null || errors === null ? null : rate(errors, invocations),
      throttles,
      p99: p99 === null ? null : ms(p99),
      coldStarts,
      coldStartRate: coldStarts === null ? null : rate(coldStarts, reports),
      avgInit,
      maxMemoryUsed: l?.maxMemoryUsed ?? null,
      monthlyCost: cost?.total ?? null,
      cost,
    };
  });
}

/** One account-region's series (concurrency is per account and region: each account has its own pool). */
export interface RegionSeries {
  account: string;
  region: string;
  points: SeriesPoint[];
}

export interface FleetMetrics {
  invocations: SeriesPoint[];
  errors: SeriesPoint[];
  errorRate: SeriesPoint[];
  throttles: SeriesPoint[];
  p50: SeriesPoint[];
  p90: SeriesPoint[];
  p99: SeriesPoint[];
  concurrency: RegionSeries[];
  totals: { invocations: number; errors: number; errorRate: Ratio | null; throttles: number };
}

const prep = (
  s: MetricSeries | undefined,
  bucket: RangeBucket,
  kind: "count" | "gauge",
  covered?: readonly Interval[],
) =>
  prepareSeries({
    timestamps: s?.timestamps ?? [],
    values: s?.values ?? [],
    start: bucket.start,
    end: bucket.end,
    period: bucket.period,
    kind,
    covered,
  });

const combine = (
  series: readonly SeriesPoint[][],
  pick: (a: number | null, b: number | null) => number | null,
): SeriesPoint[] => {
  const [first, ...rest] = series;
  if (!first) return [];
  return first.map((p, i) => ({ t: p.t, v: rest.reduce((acc, s) => pick(acc, s[i]?.v ?? null), p.v) }));
};
/** Counts: a slot one region has not collected is unknown for the fleet, not the other regions' sum. */
const addCounts = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
const larger = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * The fleet series of several regions' metric answers (each region's map keyed as planOverviewMetrics). A
 * store-backed region gives `covered`: its count and concurrency slots outside are "not collected"; its
 * percentile series (from REPORT lines) carry no points outside their own coverage.
 */
export function buildFleetMetrics(
  perRegion: readonly {
    account: string;
    region: string;
    series: ReadonlyMap<string, MetricSeries>;
    covered?: readonly Interval[];
  }[],
  bucket: RangeBucket,
): FleetMetrics {
  const series = (id: Parameters<typeof fleetKey>[0], kind: "count" | "gauge") =>
    perRegion.map((r) =>
      prep(r.series.get(fleetKey(id)), bucket, kind, kind === "count" ? r.covered : undefined),
    );
  const invocations = combine(series("invocations", "count"), addCounts);
  const errors = combine(series("errors", "count"), addCounts);
  const throttles = combine(series("throttles", "count"), addCounts);
  const total = (s: SeriesPoint[]) => s.reduce((a, p) => a + (p.v ?? 0), 0);
  const inv = total(invocations);
  const err = total(errors);
  return {
    invocations,
    errors,
    errorRate: errorRateSeries(errors, invocations),
    throttles,
    p50: combine(series("p50", "gauge"), larger),
    p90: combine(series("p90", "gauge"), larger),
    p99: combine(series("p99", "gauge"), larger),
    concurrency: perRegion.map((r) => ({
      account: r.account,
      region: r.region,
      points: prep(r.series.get(fleetKey("concurrency")), bucket, "gauge", r.covered),
    })),
    totals: { invocations: inv, errors: err, errorRate: rate(err, inv), throttles: total(throttles) },
  };
}

export interface FleetColdStarts {
  coldStarts: SeriesPoint[];
  coldStartRate: SeriesPoint[];
  avgInit: SeriesPoint[];
  totals: { reports: number; coldStarts: number; coldStartRate: Ratio | null; avgInit: Ms | null };
}

/**
 * Cold-start series on the bin grid, from the aggregates of every region. Store-backed aggregates carry
 * `covered`: only bins every region has collected are shown and counted.
 */
export function buildFleetColdStarts(
  aggregates: readonly LogAggregates[],
  bucket: RangeBucket,
  bin: RangeBucket["period"],
): FleetColdStarts {
  const step = bin * 1000;
  const covered = aggregates.reduce<Interval[] | undefined>(
    (acc, a) =>
      a.covered === undefined ? acc : acc === undefined ? [...a.covered] : intersectIntervals(acc, a.covered),
    undefined,
  );
  const merged = new Map<number, { invocations: number; coldStarts: number; initSum: number }>();
  for (const a of aggregates) {
    for (const [t, s] of a.series) {
      if (covered !== undefined) {
        const part = slotInWindow(t, step, bucket);
        if (!isCovered(covered, part.from, part.to)) continue;
      }
      const m = merged.get(t) ?? { invocations: 0, coldStarts: 0, initSum: 0 };
      m.invocations += s.invocations;
      m.coldStarts += s.coldStarts;
      m.initSum += s.initSum;
      merged.set(t, m);
    }
  }
  const entries = [...merged].sort((a, b) => a[0] - b[0]);
  const grid = { start: bucket.start, end: bucket.end, period: bin, covered };
  const count = (pick: (s: { invocations: number; coldStarts: number; initSum: number }) => number) =>
    prepareSeries({
      ...grid,
      kind: "count",
      timestamps: entries.map(([t]) => t),
      values: entries.map(([, s]) => pick(s)),
    });
  const reports = count((s) => s.invocations);
  const cold = count((s) => s.coldStarts);
  const initSum = count((s) => s.initSum);
  const totalReports = entries.reduce((a, [, s]) => a + s.invocations, 0);
  const totalCold = entries.reduce((a, [, s]) => a + s.coldStarts, 0);
  const totalInit = entries.reduce((a, [, s]) => a + s.initSum, 0);
  return {
    coldStarts: cold,
    coldStartRate: ratioSeries(cold, reports),
    avgInit: ratioSeries(initSum, cold),
    totals: {
      reports: totalReports,
      coldStarts: totalCold,
      coldStartRate: rate(totalCold, totalReports),
      avgInit: totalCold === 0 ? null : ms(totalInit / totalCold),
    },
  };
}

/** The range's estimated cost: each function's monthly estimate scaled back to the bucket's span. */
export function rangeCost(rows: readonly FunctionRow[], bucket: RangeBucket): CostSum {
  return sumEstimates(
    rows.map((r) => r.cost),
    (m) => scaleToSpan(m, bucket.end - bucket.start),
  );
}
