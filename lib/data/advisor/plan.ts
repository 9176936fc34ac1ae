/**
 * The advisor's collection plan for one region: which GetMetricData queries and which Logs Insights aggregation
 * give every rule its observations, for the whole fleet, in as few AWS requests as the fleet overview.
 *
 * Invariants:
 * - Round 1 asks FUNCTION_METRICS.length queries per function plus REGION_METRICS.length per region, all in the
 *   caller's batches of 500; counts come at a period of one day (or the whole window when shorter), so totals
 *   and the per-day split are the same datapoints.
 * - Round 2 is targeted: only functions whose round-1 numbers show provisioned concurrency, aliases with routing
 *   weights (per-version errors) or event-source trouble flagged at region level get extra queries; the hourly
 *   IteratorAge series (the lag's trend) only for functions with a stream mapping while the region lags.
 * - Durations, memory, cold starts, timeouts and OOM kills come from ONE Insights query per 50 log groups
 *   (text REPORT lines and JSON platform.report records both), never per function.
 * - A metric with no datapoints is null (gauges) or 0 (counts, which CloudWatch omits when nothing happened).
 */
import type { LambdaDimensions, MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import type { DayStats, IteratorAgePoint, ProvisionedStats } from "@/lib/core/advisor";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { TimeWindow } from "@/lib/core/time/range";
import { epochMs, ms, seconds, type Seconds } from "@/lib/core/units";
import { sumOf } from "../metric-values";

const DAY_S = 86_400;

/** One datapoint per day, or one for the whole window when it is shorter (a multiple of 60 s). */
export function dayPeriod(window: TimeWindow): Seconds {
  const span = Math.floor((window.end - window.start) / 1000 / 60) * 60;
  return seconds(Math.max(60, Math.min(DAY_S, span)));
}

/** Per-function metrics of round 1: what every function needs, nothing more. */
export const FUNCTION_METRICS = [
  { id: "inv", metricName: "Invocations", stat: "Sum" },
  { id: "err", metricName: "Errors", stat: "Sum" },
  { id: "thr", metricName: "Throttles", stat: "Sum" },
  { id: "conc", metricName: "ConcurrentExecutions", stat: "Maximum" },
  // Emitted only while provisioned environments serve: the cheap detector for round 2.
  { id: "pce", metricName: "ProvisionedConcurrentExecutions", stat: "Maximum" },
] as const;

/** Region-wide (no dimension) metrics: one query each for the whole fleet, drilled into only when non-zero. */
export const REGION_METRICS = [
  { id: "unreserved", metricName: "UnreservedConcurrentExecutions", stat: "Maximum" },
  { id: "iterAge", metricName: "IteratorAge", stat: "Maximum" },
  { id: "asyncDropped", metricName: "AsyncEventsDropped", stat: "Sum" },
  { id: "recursiveDropped", metricName: "RecursiveInvocationsDropped", stat: "Sum" },
  // Published only by functions with a destination or a DLQ: absent in most regions.
  { id: "destFailures", metricName: "DestinationDeliveryFailures", stat: "Sum" },
  { id: "dlqErrors", metricName: "DeadLetterErrors", stat: "Sum" },
] as const;

type FunctionMetricId = (typeof FUNCTION_METRICS)[number]["id"];
type RegionMetricId = (typeof REGION_METRICS)[number]["id"];

export const fnKey = (name: string, id: string) => `f|${name}|${id}`;
export const regionKey = (id: RegionMetricId) => `r|${id}`;

export function planRoundOne(functionNames: readonly string[], window: TimeWindow): MetricQuery[] {
  const period = dayPeriod(window);
  const out: MetricQuery[] = REGION_METRICS.map((m) => ({
    key: regionKey(m.id),
    metricName: m.metricName,
    stat: m.stat,
    dimensions: { kind: "region" },
    period: seconds(Math.floor((window.end - window.start) / 1000 / 60) * 60 || 60),
  }));
  for (const name of functionNames) {
    const dimensions: LambdaDimensions = { kind: "function", functionName: name };
    for (const m of FUNCTION_METRICS) {
      out.push({ key: fnKey(name, m.id), metricName: m.metricName, stat: m.stat, dimensions, period });
    }
  }
  return out;
}

const maxOrNull = (s: MetricSeries | undefined): number | null =>
  s && s.values.length > 0 ? Math.max(...s.values) : null;

export interface FunctionMetricTotals {
  invocations: number;
  errors: number;
  throttles: number;
  concurrencyMax: number | null;
  provisionedExecutionsMax: number | null;
  perDay: DayStats[];
}

export interface RegionTotals {
  unreservedMax: number | null;
  iteratorAgeMax: number | null;
  asyncEventsDropped: number;
  recursiveInvocationsDropped: number;
  destinationDeliveryFailures: number;
  deadLetterErrors: number;
}

export function readRegionTotals(results: ReadonlyMap<string, MetricSeries>): RegionTotals {
  return {
    unreservedMax: maxOrNull(results.get(regionKey("unreserved"))),
    iteratorAgeMax: maxOrNull(results.get(regionKey("iterAge"))),
    asyncEventsDropped: sumOf(results.get(regionKey("asyncDropped"))),
    recursiveInvocationsDropped: sumOf(results.get(regionKey("recursiveDropped"))),
    destinationDeliveryFailures: sumOf(results.get(regionKey("destFailures"))),
    deadLetterErrors: sumOf(results.get(regionKey("dlqErrors"))),
  };
}

/** Whether any function of the region may have event-source trouble: round 2 then asks per function. */
export const eventSourcesActive = (t: RegionTotals): boolean =>
  (t.iteratorAgeMax ?? 0) > 0 ||
  t.asyncEventsDropped > 0 ||
  t.recursiveInvocationsDropped > 0 ||
  t.destinationDeliveryFailures > 0 ||
  t.deadLetterErrors > 0;

/** Totals and the per-day split of one function's round-1 series (days keyed by datapoint timestamp). */
export function readFunctionTotals(
  results: ReadonlyMap<string, MetricSeries>,
  name: string,
): FunctionMetricTotals {
  const get = (id: FunctionMetricId) => results.get(fnKey(name, id));
  const days = new Map<number, DayStats>();
  const add = (id: "inv" | "err" | "thr", field: "invocations" | "errors" | "throttles") => {
    const s = get(id);
    s?.timestamps.forEach((t, i) => {
      const d = days.get(t) ?? { day: epochMs(t), invocations: 0, errors: 0, throttles: 0, timeouts: 0 };
      d[field] += s.values[i] ?? 0;
      days.set(t, d);
    });
  };
  add("inv", "invocations");
  add("err", "errors");
  add("thr", "throttles");
  return {
    invocations: sumOf(get("inv")),
    errors: sumOf(get("err")),
    throttles: sumOf(get("thr")),
    concurrencyMax: maxOrNull(get("conc")),
    provisionedExecutionsMax: maxOrNull(get("pce")),
    perDay: [...days.values()].sort((a, b) => a.day - b.day),
  };
}

/** An alias seen serving several versions (ListMetrics' FunctionName + Resource + ExecutedVersion series). */
export interface RoutedAlias {
  resource: string;
  versions: string[];
}

/**
 * Aliases with traffic on several versions, per function, from the ExecutedVersion series ListMetrics returns
 * for the whole region in a few pages: no ListAliases per function.
 */
export function routedAliasesFrom(series: readonly Record<string, string>[]): Map<string, RoutedAlias[]> {
  const byResource = new Map<string, { fn: string; versions: Set<string> }>();
  for (const d of series) {
    const fn = d.FunctionName;
    const resource = d.Resource;
    const version = d.ExecutedVersion;
    if (!fn || !resource || !version) continue;
    const r = byResource.get(resource) ?? { fn, versions: new Set<string>() };
    r.versions.add(version);
    byResource.set(resource, r);
  }
  const out = new Map<string, RoutedAlias[]>();
  for (const [resource, r] of byResource) {
    if (r.versions.size < 2) continue;
    const versions = [...r.versions].sort((a, b) => Number(a) - Number(b));
    out.set(r.fn, [...(out.get(r.fn) ?? []), { resource, versions }]);
  }
  return out;
}

/** What round 2 needs to know about one function after round 1. */
export interface FollowUpTarget {
  name: string;
  /** Qualifiers with provisioned concurrency (from ListProvisionedConcurrencyConfigs). */
  provisionedQualifiers: string[];
  /** Aliases (Resource `name:alias`) whose traffic ran on two or more versions, with those versions. */
  routedAliases: RoutedAlias[];
  /** Region-level event-source metrics were non-zero: ask this function for them. */
  eventSources: boolean;
  /** Its IteratorAge hour by hour, for the trend (a function with a stream mapping, while the region lags). */
  iteratorAgeHourly?: boolean;
}

const HOUR_S = 3600;

const wholeWindow = (window: TimeWindow): Seconds =>
  seconds(Math.max(60, Math.floor((window.end - window.start) / 1000 / 60) * 60));

export function planRoundTwo(targets: readonly FollowUpTarget[], window: TimeWindow): MetricQuery[] {
  const period = wholeWindow(window);
  const out: MetricQuery[] = [];
  for (const t of targets) {
    for (const q of t.provisionedQualifiers) {
      const dimensions: LambdaDimensions = {
        kind: "resource",
        functionName: t.name,
        resource: `${t.name}:${q}`,
      };
      const key = (id: string) => `p|${t.name}|${q}|${id}`;
      out.push(
        {
          key: key("utilMax"),
          metricName: "ProvisionedConcurrencyUtilization",
          stat: "Maximum",
          dimensions,
          period,
        },
        {
          key: key("utilAvg"),
          metricName: "ProvisionedConcurrencyUtilization",
          stat: "Average",
          dimensions,
          period,
        },
        {
          key: key("spill"),
          metricName: "ProvisionedConcurrencySpilloverInvocations",
          stat: "Sum",
          dimensions,
          period,
        },
        {
          key: key("pceMax"),
          metricName: "ProvisionedConcurrentExecutions",
          stat: "Maximum",
          dimensions,
          period,
        },
      );
    }
    for (const alias of t.routedAliases) {
      for (const version of alias.versions) {
        const dimensions: LambdaDimensions = {
          kind: "executedVersion",
          functionName: t.name,
          resource: alias.resource,
          executedVersion: version,
        };
        for (const [id, metricName] of [
          ["inv", "Invocations"],
          ["err", "Errors"],
        ] as const) {
          out.push({
            key: `v|${alias.resource}|${version}|${id}`,
            metricName,
            stat: "Sum",
            dimensions,
            period,
          });
        }
      }
    }
    if (t.eventSources) {
      const dimensions: LambdaDimensions = { kind: "function", functionName: t.name };
      out.push(
        { key: `e|${t.name}|iterAge`, metricName: "IteratorAge", stat: "Maximum", dimensions, period },
        {
          key: `e|${t.name}|asyncDropped`,
          metricName: "AsyncEventsDropped",
          stat: "Sum",
          dimensions,
          period,
        },
        {
          key: `e|${t.name}|recursiveDropped`,
          metricName: "RecursiveInvocationsDropped",
          stat: "Sum",
          dimensions,
          period,
        },
        {
          key: `e|${t.name}|destFailures`,
          metricName: "DestinationDeliveryFailures",
          stat: "Sum",
          dimensions,
          period,
        },
        { key: `e|${t.name}|dlqErrors`, metricName: "DeadLetterErrors", stat: "Sum", dimensions, period },
      );
    }
    if (t.iteratorAgeHourly) {
      const dimensions: LambdaDimensions = { kind: "function", functionName: t.name };
      out.push({
        key: `e|${t.name}|iterAgeHourly`,
        metricName: "IteratorAge",
        stat: "Maximum",
        dimensions,
        period: seconds(HOUR_S),
      });
    }
  }
  return out;
}

export function readProvisioned(
  results: ReadonlyMap<string, MetricSeries>,
  name: string,
  qualifier: string,
): ProvisionedStats {
  const get = (id: string) => results.get(`p|${name}|${qualifier}|${id}`);
  const avg = get("utilAvg");
  return {
    qualifier,
    utilisationMax: maxOrNull(get("utilMax")) as ProvisionedStats["utilisationMax"],
    // One datapoint over the whole window: its Average is the window's average while emitted.
    utilisationAvg: (avg && avg.values.length > 0
      ? sumOf(avg) / avg.values.length
      : null) as ProvisionedStats["utilisationAvg"],
    spilloverInvocations: sumOf(get("spill")),
    concurrencyMax: maxOrNull(get("pceMax")),
  };
}

/** Invocations and errors per executed version, summed over every routed alias of the function. */
export function readPerVersion(
  results: ReadonlyMap<string, MetricSeries>,
  aliases: readonly RoutedAlias[],
): { version: string; invocations: number; errors: number }[] {
  const byVersion = new Map<string, { version: string; invocations: number; errors: number }>();
  for (const alias of aliases) {
    for (const version of alias.versions) {
      const v = byVersion.get(version) ?? { version, invocations: 0, errors: 0 };
      v.invocations += sumOf(results.get(`v|${alias.resource}|${version}|inv`));
      v.errors += sumOf(results.get(`v|${alias.resource}|${version}|err`));
      byVersion.set(version, v);
    }
  }
  return [...byVersion.values()].sort((a, b) => Number(a.version) - Number(b.version));
}

export function readEventSources(
  results: ReadonlyMap<string, MetricSeries>,
  name: string,
): {
  iteratorAgeMaxMs: ReturnType<typeof ms> | null;
  asyncEventsDropped: number;
  recursiveInvocationsDropped: number;
  destinationDeliveryFailures: number;
  deadLetterErrors: number;
  iteratorAgeHourly: IteratorAgePoint[] | null;
} {
  const age = maxOrNull(results.get(`e|${name}|iterAge`));
  const hourly = results.get(`e|${name}|iterAgeHourly`);
  return {
    iteratorAgeMaxMs: age === null ? null : ms(age),
    asyncEventsDropped: sumOf(results.get(`e|${name}|asyncDropped`)),
    recursiveInvocationsDropped: sumOf(results.get(`e|${name}|recursiveDropped`)),
    // A function not asked had none in a region whose totals were 0: a count of 0, not an unknown.
    destinationDeliveryFailures: sumOf(results.get(`e|${name}|destFailures`)),
    deadLetterErrors: sumOf(results.get(`e|${name}|dlqErrors`)),
    // An hour without a datapoint is a gap (CloudWatch omits it), never an age of 0.
    iteratorAgeHourly: hourly
      ? hourly.timestamps
          .map((t, i) => ({ t: epochMs(t), maxMs: ms(hourly.values[i] ?? 0) }))
          .filter((_, i) => Number.isFinite(hourly.values[i]))
          .sort((a, b) => a.t - b.t)
      : null,
  };
}

/**
 * Reserved concurrency costs one GetFunctionConcurrency per function, so it is asked only where it can matter:
 * the function throttled, or its peak concurrency is high enough that a reservation could be near.
 */
export const RESERVED_PROBE_CONCURRENCY = 10;

export function needsReservedConcurrency(
  t: Pick<FunctionMetricTotals, "throttles" | "concurrencyMax">,
): boolean {
  return t.throttles > 0 || (t.concurrencyMax ?? 0) >= RESERVED_PROBE_CONCURRENCY;
}

/** The log groups to aggregate: each function's own (LoggingConfig), deduplicated by the adapter. */
export const logGroupsOf = (configs: readonly FunctionConfig[]): string[] => [
  ...new Set(configs.map((c) => c.logGroup)),
];
