/**
 * Metrics of closed minutes through GetMetricData: every function's counts and duration moments at a 1-minute
 * period, the region-wide concurrency, and the optional metrics (provisioned concurrency, streams, async,
 * recursion) only for the functions CloudWatch lists as publishing them.
 *
 * Invariants:
 * - One plan per window: F × CORE.length + optional + REGION.length queries, packed 500 to a request by the
 *   adapter; the cost never depends on how many viewers or how long a range is.
 * - Rows are emitted only for minutes with a datapoint; a covered minute without a row is "no datapoint".
 */
import type { CloudWatchPort, LambdaDimensions, MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import {
  emptyMetric,
  REGION_ROW,
  versionRowKey,
  type MetricRollup,
  type RowScope,
} from "@/lib/core/rollup/types";
import { epochMs, seconds } from "@/lib/core/units";

type Field = keyof Pick<
  MetricRollup,
  | "invocations"
  | "errors"
  | "throttles"
  | "durationSum"
  | "durationCount"
  | "durationMax"
  | "concurrencyMax"
  | "unreservedMax"
  | "pcExecutionsMax"
  | "pcUtilizationMax"
  | "pcSpillover"
  | "iteratorAgeMax"
  | "asyncDropped"
  | "recursiveDropped"
  | "asyncReceived"
  | "asyncAgeMax"
  | "deadLetterErrors"
  | "destinationFailures"
  | "offsetLagMax"
>;

interface Spec {
  field: Field;
  metricName: string;
  stat: string;
}

const CORE: readonly Spec[] = [
  { field: "invocations", metricName: "Invocations", stat: "Sum" },
  { field: "errors", metricName: "Errors", stat: "Sum" },
  { field: "throttles", metricName: "Throttles", stat: "Sum" },
  { field: "durationSum", metricName: "Duration", stat: "Sum" },
  { field: "durationCount", metricName: "Duration", stat: "SampleCount" },
  { field: "durationMax", metricName: "Duration", stat: "Maximum" },
  { field: "concurrencyMax", metricName: "ConcurrentExecutions", stat: "Maximum" },
];

/** Published only by some functions: asked only of those ListMetrics names (see `optionalMetricNames`). */
export const OPTIONAL: readonly Spec[] = [
  { field: "pcExecutionsMax", metricName: "ProvisionedConcurrentExecutions", stat: "Maximum" },
  { field: "pcUtilizationMax", metricName: "ProvisionedConcurrencyUtilization", stat: "Maximum" },
  { field: "pcSpillover", metricName: "ProvisionedConcurrencySpilloverInvocations", stat: "Sum" },
  { field: "iteratorAgeMax", metricName: "IteratorAge", stat: "Maximum" },
  { field: "asyncDropped", metricName: "AsyncEventsDropped", stat: "Sum" },
  { field: "recursiveDropped", metricName: "RecursiveInvocationsDropped", stat: "Sum" },
  // Async invocation metrics (docs: "Asynchronous invocation metrics"): counts are Sum, the age Maximum (ms).
  { field: "asyncReceived", metricName: "AsyncEventsReceived", stat: "Sum" },
  { field: "asyncAgeMax", metricName: "AsyncEventAge", stat: "Maximum" },
  { field: "deadLetterErrors", metricName: "DeadLetterErrors", stat: "Sum" },
  { field: "destinationFailures", metricName: "DestinationDeliveryFailures", stat: "Sum" },
  // Kafka sources (MSK, self-managed): records behind the newest offset, Maximum over the period.
  { field: "offsetLagMax", metricName: "OffsetLag", stat: "Maximum" },
];

/**
 * The region-wide series (no dimension): the fleet's charts read these few rows per minute instead of adding up
 * every function's, so a 30-day fleet view costs the same at 50 functions as at 5,000.
 */
const REGION: readonly Spec[] = [
  ...CORE,
  { field: "unreservedMax", metricName: "UnreservedConcurrentExecutions", stat: "Maximum" },
];

/** Metric names of OPTIONAL → the functions publishing each (from ListMetrics). */
export type OptionalPublishers = ReadonlyMap<string, ReadonlySet<string>>;

export const optionalMetricNames = (): string[] => [...new Set(OPTIONAL.map((s) => s.metricName))];

const keyOf = (fn: string, field: Field) => `${fn}\u0000${field}`;

/** Versions served through a weighted alias: both sides of a canary, counted per executed version. */
export interface RoutedAlias {
  fn: string;
  alias: string;
  versions: string[];
}

const VERSION: readonly Spec[] = CORE.filter((s) =>
  ["Invocations", "Errors", "Duration"].includes(s.metricName),
);

export function planMinuteMetrics(
  functions: readonly string[],
  publishers: OptionalPublishers,
  routed: readonly RoutedAlias[] = [],
): MetricQuery[] {
  const period = seconds(60);
  const q = (fn: string, s: Spec, dimensions: LambdaDimensions): MetricQuery => ({
    key: keyOf(fn, s.field),
    metricName: s.metricName,
    stat: s.stat,
    dimensions,
    period,
  });
  const out: MetricQuery[] = REGION.map((s) => q(REGION_ROW, s, { kind: "region" }));
  for (const fn of functions) {
    const dims: LambdaDimensions = { kind: "function", functionName: fn };
    for (const s of CORE) out.push(q(fn, s, dims));
    for (const s of OPTIONAL) if (publishers.get(s.metricName)?.has(fn)) out.push(q(fn, s, dims));
  }
  for (const r of routed)
    for (const version of r.versions) {
      const dims: LambdaDimensions = {
        kind: "executedVersion",
        functionName: r.fn,
        resource: `${r.fn}:${r.alias}`,
        executedVersion: version,
      };
      for (const s of VERSION) out.push(q(versionRowKey(r.fn, r.alias, version), s, dims));
    }
  return out;
}

/** Series keyed by the plan's keys → one row per function (or region) and minute that has any datapoint. */
export function minuteRows(scope: RowScope, series: ReadonlyMap<string, MetricSeries>): MetricRollup[] {
  const rows = new Map<string, MetricRollup>();
  for (const [key, s] of series) {
    const [fn, field] = key.split("\u0000") as [string, Field];
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i] as number;
      const rowKey = `${fn}\u0000${t}`;
      let row = rows.get(rowKey);
      if (!row) {
        row = emptyMetric(scope, fn, 60, t);
        rows.set(rowKey, row);
      }
      (row as unknown as Record<Field, number | null>)[field] = s.values[i] as number;
    }
  }
  return [...rows.values()];
}

export interface MetricsRead {
  rows: MetricRollup[];
  requests: number;
}

export async function readMinuteMetrics(
  cw: CloudWatchPort,
  scope: RowScope,
  functions: readonly string[],
  publishers: OptionalPublishers,
  window: { start: number; end: number },
  routed: readonly RoutedAlias[] = [],
): Promise<MetricsRead> {
  let requests = 0;
  const series = await cw.getMetricData(
    planMinuteMetrics(functions, publishers, routed),
    { start: epochMs(window.start), end: epochMs(window.end) },
    { onRequest: () => requests++ },
  );
  return { rows: minuteRows(scope, series), requests };
}
