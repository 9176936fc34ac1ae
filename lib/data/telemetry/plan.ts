/**
 * Planning the AWS calls of one fleet-overview refresh, and assembling their answers. Pure: no SDK, no clock.
 *
 * Invariants:
 * - Metrics: FLEET_SERIES.length region-wide series plus FUNCTION_METRICS.length whole-range values per
 *   function, all in one GetMetricData plan; the adapter packs them 500 to a request, so F functions cost
 *   ceil((F × 5 + 7) / 500) requests (plus paging), never one per function per metric.
 * - Per-function values use one period spanning the whole bucket (a multiple of the bucket's period, so it
 *   respects CloudWatch's retention rule), so each is a single datapoint: Sum over the range, p99 over the range.
 * - Logs: one Insights query per chunk of ≤ 50 log groups of one log format; groups shared by several functions
 *   are queried once and their numbers are attributed to no function (they cannot be split).
 * - Cold-start bins are at least the metric period and coarse enough that a chunk's rows (groups × bins) stay
 *   within Insights' 10,000-row answer.
 */
import type { LambdaDimensions, MetricQuery } from "@/lib/aws/cloudwatch";
import type { LogFormat } from "@/lib/core/lambda/types";
import type { ProvisionedConfig } from "@/lib/core/pricing";
import type { Interval } from "@/lib/core/rollup/tiling";
import { binPointsBudget, type ReportBin } from "@/lib/core/query/telemetry-insights";
import type { RangeBucket } from "@/lib/core/time/bucket";
import { choosePeriod, NICE_PERIODS } from "@/lib/core/time/period";
import { seconds, type EpochMs, type Mb, type Ms, type Seconds } from "@/lib/core/units";

/** What the overview needs to know about a function ($LATEST configuration). */
export interface InventoryFunction {
  /** The account the function lives in (12 digits): with region and name, what names one function. */
  account: string;
  region: string;
  name: string;
  memory: Mb;
  architecture: "x86_64" | "arm64";
  runtime: string | null;
  packageType: "Zip" | "Image";
  ephemeralStorage: Mb;
  logGroup: string;
  logFormat: LogFormat;
  /** Provisioned concurrency per alias or version; absent when not read (a live listing, details not read yet). */
  provisioned?: ProvisionedConfig[];
  snapStart?: boolean;
  /** Published versions aliases route to: SnapStart caches one snapshot per active version. */
  aliasVersions?: number;
}

export const FLEET_SERIES = [
  { id: "invocations", metricName: "Invocations", stat: "Sum" },
  { id: "errors", metricName: "Errors", stat: "Sum" },
  { id: "throttles", metricName: "Throttles", stat: "Sum" },
  { id: "p50", metricName: "Duration", stat: "p50" },
  { id: "p90", metricName: "Duration", stat: "p90" },
  { id: "p99", metricName: "Duration", stat: "p99" },
  { id: "concurrency", metricName: "ConcurrentExecutions", stat: "Maximum" },
] as const;
export type FleetSeriesId = (typeof FLEET_SERIES)[number]["id"];

export const FUNCTION_METRICS = [
  { id: "invocations", metricName: "Invocations", stat: "Sum" },
  { id: "errors", metricName: "Errors", stat: "Sum" },
  { id: "throttles", metricName: "Throttles", stat: "Sum" },
  { id: "p99", metricName: "Duration", stat: "p99" },
  { id: "avgDuration", metricName: "Duration", stat: "Average" },
] as const;
export type FunctionMetricId = (typeof FUNCTION_METRICS)[number]["id"];

export const fleetKey = (id: FleetSeriesId) => `fleet|${id}`;
/** Per-function values only the store answers (the live plan does not ask for them). */
export type StoreFunctionValueId = "pcSpillover";
export const functionKey = (name: string, id: FunctionMetricId | StoreFunctionValueId) => `fn|${name}|${id}`;

/** The whole bucket as one period (seconds). */
export const wholeRangePeriod = (bucket: RangeBucket): Seconds => seconds((bucket.end - bucket.start) / 1000);

export function planOverviewMetrics(
  functions: readonly InventoryFunction[],
  bucket: RangeBucket,
): MetricQuery[] {
  const region: LambdaDimensions = { kind: "region" };
  const out: MetricQuery[] = FLEET_SERIES.map((s) => ({
    key: fleetKey(s.id),
    metricName: s.metricName,
    stat: s.stat,
    dimensions: region,
    period: bucket.period,
  }));
  const whole = wholeRangePeriod(bucket);
  for (const f of functions) {
    const dimensions: LambdaDimensions = { kind: "function", functionName: f.name };
    for (const m of FUNCTION_METRICS) {
      out.push({
        key: functionKey(f.name, m.id),
        metricName: m.metricName,
        stat: m.stat,
        dimensions,
        period: whole,
      });
    }
  }
  return out;
}

export interface InsightsChunkPlan {
  format: LogFormat;
  groups: string[];
}

export interface OverviewLogsPlan {
  /** Group → the function it belongs to; shared groups map to null. */
  owner: Map<string, string | null>;
  byFormat: { format: LogFormat; groups: string[] }[];
  bin: Seconds;
}

/** Log group → the one function logging to it, or null when several share it (their lines cannot be split). */
export function logGroupOwners(functions: readonly InventoryFunction[]): Map<string, string | null> {
  const owner = new Map<string, string | null>();
  for (const f of functions) owner.set(f.logGroup, owner.has(f.logGroup) ? null : f.name);
  return owner;
}

export function planOverviewLogs(
  functions: readonly InventoryFunction[],
  bucket: RangeBucket,
  groupsPerQuery: number,
): OverviewLogsPlan {
  const owner = logGroupOwners(functions);
  const format = new Map<string, LogFormat>();
  for (const f of functions) format.set(f.logGroup, f.logFormat);
  const byFormat = (["Text", "JSON"] as const)
    .map((fmt) => ({ format: fmt, groups: [...format].filter(([, v]) => v === fmt).map(([g]) => g) }))
    .filter((p) => p.groups.length > 0);
  return { owner, byFormat, bin: insightsBinFor(bucket, groupsPerQuery) };
}

/** The cold-start bin: ≥ the metric period and within the row budget of one chunk. */
export function insightsBinFor(bucket: RangeBucket, groupsPerQuery: number): Seconds {
  const budget = binPointsBudget(groupsPerQuery);
  const window = { start: bucket.start, end: bucket.end };
  // `now` = end: the bucket is already aligned to a retention-valid period, so only density matters here.
  const dense = choosePeriod(window, bucket.end as EpochMs, budget);
  const p = Math.max(dense, bucket.period);
  return NICE_PERIODS.find((n) => n >= p && n % bucket.period === 0) ?? seconds(p);
}

export interface FunctionLogTotals {
  invocations: number;
  coldStarts: number;
  initSum: Ms | null;
  maxInit: Ms | null;
  maxMemoryUsed: Mb | null;
  memorySize: Mb | null;
  billedSum: Ms;
  /**
   * SnapStart restores and their Billed Restore Duration. Absent: the source does not read them (live Insights
   * bins); null: the store holds part of the window from before the collector read them.
   */
  restores?: { count: number; billedSum: Ms } | null;
}

export interface LogAggregates {
  /** Per function (groups owned by one function only). */
  perFunction: Map<string, FunctionLogTotals>;
  /** Per bin start (epoch ms): fleet invocations and cold starts, init sum for the average. */
  series: Map<number, { invocations: number; coldStarts: number; initSum: number }>;
  /** Groups several functions log to: their numbers count in the fleet series only. */
  sharedGroups: Set<string>;
  /**
   * Store-backed only: the sorted intervals (epoch ms) the series is known for; a bin outside is "not collected".
   * Absent: the whole window (a live answer).
   */
  covered?: Interval[];
}

const maxOrNull = <T extends number>(a: T | null, b: T | null): T | null =>
  a === null ? b : b === null ? a : ((a > b ? a : b) as T);

/** Folds report bins of every chunk into per-function totals and the fleet series. */
export function aggregateReportBins(
  bins: readonly ReportBin[],
  owner: ReadonlyMap<string, string | null>,
): LogAggregates {
  const perFunction = new Map<string, FunctionLogTotals>();
  const series = new Map<number, { invocations: number; coldStarts: number; initSum: number }>();
  for (const b of bins) {
    const s = series.get(b.t) ?? { invocations: 0, coldStarts: 0, initSum: 0 };
    s.invocations += b.invocations;
    s.coldStarts += b.coldStarts;
    s.initSum += b.initSum ?? 0;
    series.set(b.t, s);
    const name = owner.get(b.logGroup);
    if (name === undefined || name === null) continue;
    const prev = perFunction.get(name);
    perFunction.set(name, {
      invocations: (prev?.invocations ?? 0) + b.invocations,
      coldStarts: (prev?.coldStarts ?? 0) + b.coldStarts,
      initSum:
        prev?.initSum == null && b.initSum === null
          ? null
          : (((prev?.initSum ?? 0) + (b.initSum ?? 0)) as Ms),
      maxInit: maxOrNull(prev?.maxInit ?? null, b.maxInit),
      maxMemoryUsed: maxOrNull(prev?.maxMemoryUsed ?? null, b.maxMemoryUsed),
      memorySize: maxOrNull(prev?.memorySize ?? null, b.memorySize),
      billedSum: ((prev?.billedSum ?? 0) + b.billedSum) as Ms,
    });
  }
  const sharedGroups = new Set([...owner].filter(([, name]) => name === null).map(([g]) => g));
  return { perFunction, series, sharedGroups };
}
