/**
 * One function's telemetry: metric series for the function, each alias and each version an alias routed to
 * (one GetMetricData plan); REPORT summaries, cold-start bins and timeout/OOM markers from its own log group
 * (three Insights queries in parallel); and its latest invocations via FilterLogEvents over a short window.
 * Each source is cached per (region, query, bucket) and settles to an Outcome of its own.
 */
import "server-only";
import type { LambdaDimensions, MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import { toOutcomeError, type Outcome } from "@/lib/core/errors";
import type { Alias, FunctionConfig } from "@/lib/core/lambda/types";
import { anyTermPattern } from "@/lib/core/query/filter-pattern";
import {
  failureMarkersQuery,
  functionSummaryQuery,
  readFailureMarkers,
  readFunctionSummary,
  readReportBin,
  reportBinsQuery,
  type FunctionLogSummary,
  type ReportBin,
} from "@/lib/core/query/telemetry-insights";
import { errorRateSeries, prepareSeries, ratioSeries, type SeriesPoint } from "@/lib/core/charts/series";
import { assembleInvocations } from "@/lib/core/telemetry/invocation";
import type { Invocation } from "@/lib/core/telemetry/types";
import type { RangeBucket } from "@/lib/core/time/bucket";
import { epochMs, type Seconds } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { cached, defaultTelemetryDeps, type TelemetryDeps } from "./deps";
import { FLEET_SERIES, insightsBinFor } from "./plan";

const RECENT_WINDOW_MS = 15 * 60_000;
const RECENT_LIMIT = 50;

export interface SplitSeries {
  key: string;
  label: string;
  invocations: SeriesPoint[];
  errors: SeriesPoint[];
  p99: SeriesPoint[];
}

export interface FunctionMetrics {
  invocations: SeriesPoint[];
  errors: SeriesPoint[];
  errorRate: SeriesPoint[];
  throttles: SeriesPoint[];
  p50: SeriesPoint[];
  p90: SeriesPoint[];
  p99: SeriesPoint[];
  concurrency: SeriesPoint[];
  totals: { invocations: number; errors: number; throttles: number };
  byAlias: SplitSeries[];
  byVersion: SplitSeries[];
}

export interface FunctionLogs {
  summary: FunctionLogSummary;
  timeouts: number;
  oom: number;
  bin: Seconds;
  coldStarts: SeriesPoint[];
  coldStartRate: SeriesPoint[];
  avgInit: SeriesPoint[];
}

export interface FunctionTelemetry {
  bucket: RangeBucket;
  metrics: Promise<Outcome<FunctionMetrics>>;
  logs: Promise<Outcome<FunctionLogs>>;
  recent: Promise<Outcome<{ window: { start: number; end: number }; invocations: Invocation[] }>>;
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

const SPLIT = [
  { id: "inv", metricName: "Invocations", stat: "Sum" },
  { id: "err", metricName: "Errors", stat: "Sum" },
  { id: "p99", metricName: "Duration", stat: "p99" },
] as const;

interface Split {
  key: string;
  label: string;
  dimensions: LambdaDimensions;
}

/** Aliases by Resource, and every version an alias routes to by ExecutedVersion. */
export function splitsFor(name: string, aliases: readonly Alias[]): { byAlias: Split[]; byVersion: Split[] } {
  const byAlias = aliases.map((a) => ({
    key: `alias:${a.name}`,
    label: a.name,
    dimensions: { kind: "resource", functionName: name, resource: `${name}:${a.name}` } as const,
  }));
  const byVersion = aliases.flatMap((a) =>
    [a.functionVersion, ...(a.routing ? [a.routing.additionalVersion] : [])].map((v) => ({
      key: `version:${a.name}:${v}`,
      label: `${a.name} → v${v}`,
      dimensions: {
        kind: "executedVersion",
        functionName: name,
        resource: `${name}:${a.name}`,
        executedVersion: v,
      } as const,
    })),
  );
  return { byAlias, byVersion };
}

export function planFunctionMetrics(name: string, aliases: readonly Alias[], period: Seconds): MetricQuery[] {
  const fn: LambdaDimensions = { kind: "function", functionName: name };
  const { byAlias, byVersion } = splitsFor(name, aliases);
  return [
    // The fleet overview's charted series, for this one function.
    ...FLEET_SERIES.map((m) => ({
      key: m.id,
      metricName: m.metricName,
      stat: m.stat,
      dimensions: fn,
      period,
    })),
    ...[...byAlias, ...byVersion].flatMap((s) =>
      SPLIT.map((m) => ({
        key: `${s.key}|${m.id}`,
        metricName: m.metricName,
        stat: m.stat,
        dimensions: s.dimensions,
        period,
      })),
    ),
  ];
}

function assembleMetrics(
  name: string,
  aliases: readonly Alias[],
  series: ReadonlyMap<string, MetricSeries>,
  bucket: RangeBucket,
): FunctionMetrics {
  const prep = (key: string, kind: "count" | "gauge") =>
    prepareSeries({
      timestamps: series.get(key)?.timestamps ?? [],
      values: series.get(key)?.values ?? [],
      start: bucket.start,
      end: bucket.end,
      period: bucket.period,
      kind,
    });
  const total = (s: SeriesPoint[]) => s.reduce((a, p) => a + (p.v ?? 0), 0);
  const invocations = prep("invocations", "count");
  const errors = prep("errors", "count");
  const throttles = prep("throttles", "count");
  const { byAlias, byVersion } = splitsFor(name, aliases);
  const split = (s: Split): SplitSeries => ({
    key: s.key,
    label: s.label,
    invocations: prep(`${s.key}|inv`, "count"),
    errors: prep(`${s.key}|err`, "count"),
    p99: prep(`${s.key}|p99`, "gauge"),
  });
  return {
    invocations,
    errors,
    errorRate: errorRateSeries(errors, invocations),
    throttles,
    p50: prep("p50", "gauge"),
    p90: prep("p90", "gauge"),
    p99: prep("p99", "gauge"),
    concurrency: prep("concurrency", "gauge"),
    totals: { invocations: total(invocations), errors: total(errors), throttles: total(throttles) },
    byAlias: byAlias.map(split),
    byVersion: byVersion.map(split),
  };
}

function assembleLogs(
  summary: FunctionLogSummary,
  markers: { timeouts: number; oom: number },
  bins: readonly ReportBin[],
  bucket: RangeBucket,
  bin: Seconds,
): FunctionLogs {
  const grid = { start: bucket.start, end: bucket.end, period: bin, kind: "count" as const };
  const sorted = [...bins].sort((a, b) => a.t - b.t);
  const count = (pick: (b: ReportBin) => number) =>
    prepareSeries({ ...grid, timestamps: sorted.map((b) => b.t), values: sorted.map(pick) });
  const reports = count((b) => b.invocations);
  const cold = count((b) => b.coldStarts);
  const initSum = count((b) => b.initSum ?? 0);
  return {
    summary,
    ...markers,
    bin,
    coldStarts: cold,
    coldStartRate: ratioSeries(cold, reports),
    avgInit: ratioSeries(initSum, cold),
  };
}

/** Filter pattern keeping only the lines an invocation is rebuilt from (both log formats). */
const RECENT_PATTERN = {
  Text: anyTermPattern([
    "REPORT RequestId",
    "START RequestId",
    "Task timed out",
    "Runtime exited with error",
    "Runtime.OutOfMemory",
  ]),
  JSON: anyTermPattern([
    "platform.report",
    "platform.start",
    "platform.runtimeDone",
    "Task timed out",
    "Runtime.OutOfMemory",
  ]),
} as const;

export function startFunctionTelemetry(
  regionName: string,
  functionName: string,
  config: Pick<FunctionConfig, "logGroup" | "logFormat">,
  aliases: readonly Alias[],
  bucket: RangeBucket,
  deps: TelemetryDeps = defaultTelemetryDeps(),
): FunctionTelemetry {
  const region = parseRegion(regionName);
  const name = parseFunctionName(functionName);
  const routing = aliases
    .map((a) => `${a.name}=${a.functionVersion}${a.routing ? `+${a.routing.additionalVersion}` : ""}`)
    .join(",");

  const metrics = settle(
    cached(deps, region, `telemetry:function-metrics:${name}:${routing}`, bucket, async () =>
      assembleMetrics(
        name,
        aliases,
        await deps
          .cloudwatch(region)
          .getMetricData(planFunctionMetrics(name, aliases, bucket.period), bucket),
        bucket,
      ),
    ),
  );

  const logs = settle(
    cached(deps, region, `telemetry:function-logs:${name}:${config.logGroup}`, bucket, async () => {
      const port = deps.logs(region);
      const bin = insightsBinFor(bucket, 1);
      const options = { deadline: Date.now() + deps.insightsTimeoutMs };
      const groups = [config.logGroup];
      const [summary, markers, bins] = await Promise.all([
        port.runInsights(functionSummaryQuery(config.logFormat), groups, bucket, options),
        port.runInsights(failureMarkersQuery(), groups, bucket, options),
        port.runInsights(reportBinsQuery(config.logFormat, bin), groups, bucket, options),
      ]);
      return assembleLogs(
        readFunctionSummary(summary.rows, config.logFormat),
        readFailureMarkers(markers.rows),
        bins.rows.map((r) => readReportBin(r, config.logFormat)).filter((b): b is ReportBin => b !== null),
        bucket,
        bin,
      );
    }),
  );

  const recent = settle(
    cached(deps, region, `telemetry:recent:${name}:${config.logGroup}`, bucket, async () => {
      const end = Math.min(bucket.end, deps.now());
      const window = { start: epochMs(Math.max(bucket.start, end - RECENT_WINDOW_MS)), end: epochMs(end) };
      const events = await deps.logs(region).filterLogEvents(config.logGroup, window, {
        filterPattern: RECENT_PATTERN[config.logFormat],
        maxEvents: 20_000,
      });
      const { invocations } = assembleInvocations(events);
      return { window, invocations: invocations.slice(-RECENT_LIMIT).reverse() };
    }),
  );

  return { bucket, metrics, logs, recent };
}
