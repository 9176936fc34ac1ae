/**
 * The function page's "Event sources and async" charts (prepare, then render): stream and queue health
 * (IteratorAge, OffsetLag), asynchronous invocation (AsyncEventsReceived, AsyncEventsDropped, AsyncEventAge,
 * DeadLetterErrors, DestinationDeliveryFailures) and RecursiveInvocationsDropped.
 * Metric list: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 *
 * Invariants:
 * - A metric is charted only when the function published it in the range; otherwise it is named with why it is
 *   absent, never drawn as a flat zero line. A chart none of whose metrics was published is absent as a whole.
 * - AsyncEventsDropped counts as published whenever AsyncEventsReceived is (an async function that dropped
 *   nothing dropped 0); RecursiveInvocationsDropped only when some were dropped (AWS publishes it only then).
 * - Ages (ms) are charted in hours or minutes when their peak is that large, so a backlog growing over hours
 *   reads in hours; the trend (first and last measured point, peak) stays in ms. Gaps stay gaps.
 * - The series given share one grid (series.ts); counts are 0 where no datapoint, gauges null.
 */
import { formatCount, formatDuration } from "../format";
import { ms } from "../units";
import type { ChartUnit } from "./metrics";
import type { SeriesPoint } from "./series";

export type SourceMetric =
  | "IteratorAge"
  | "OffsetLag"
  | "AsyncEventsReceived"
  | "AsyncEventsDropped"
  | "AsyncEventAge"
  | "DeadLetterErrors"
  | "DestinationDeliveryFailures"
  | "RecursiveInvocationsDropped";

export interface SourceSeries {
  points: readonly SeriesPoint[];
  /** Whether any datapoint of the metric was read in the range (for always-counted fields: any above 0). */
  read: boolean;
}

export type SourceChartsInput = Readonly<Record<SourceMetric, SourceSeries>>;

export interface SourceLine {
  key: SourceMetric;
  label: string;
  color: string;
  points: SeriesPoint[];
  /** Counts only: the sum of the points shown (gaps add nothing). */
  total: number | null;
}

/** How an age went over the range, in ms: the first and last measured points and the peak. */
export interface AgeTrend {
  firstMs: number;
  lastMs: number;
  peakMs: number;
  summary: string;
}

export type SourceChart =
  | {
      kind: "chart";
      id: string;
      title: string;
      unit: ChartUnit;
      lines: SourceLine[];
      /** This chart's metrics that were not published, with why. */
      notPublished: { metric: SourceMetric; why: string }[];
      trend: AgeTrend | null;
    }
  | { kind: "absent"; id: string; title: string; why: string };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Why a metric has no datapoint: what AWS publishes it for. */
export const NOT_PUBLISHED_WHY: Readonly<Record<SourceMetric, string>> = {
  IteratorAge:
    "Lambda publishes IteratorAge only for stream event sources (Kinesis, DynamoDB Streams, Kafka)",
  OffsetLag:
    "Lambda publishes OffsetLag only for Kafka event sources (Amazon MSK, self-managed Apache Kafka)",
  AsyncEventsReceived:
    "Lambda publishes the async metrics only for functions invoked asynchronously (S3, SNS, EventBridge, …)",
  AsyncEventsDropped:
    "Lambda publishes the async metrics only for functions invoked asynchronously (S3, SNS, EventBridge, …)",
  AsyncEventAge:
    "Lambda publishes the async metrics only for functions invoked asynchronously (S3, SNS, EventBridge, …)",
  DeadLetterErrors: "published only for async functions with a dead-letter queue",
  DestinationDeliveryFailures:
    "published only with an async destination or a stream mapping's on-failure destination",
  RecursiveInvocationsDropped:
    "none dropped: Lambda publishes RecursiveInvocationsDropped only when its loop detection stops an invocation",
};

const LABEL: Readonly<Record<SourceMetric, string>> = {
  IteratorAge: "Iterator age (max)",
  OffsetLag: "Offset lag (max)",
  AsyncEventsReceived: "Received",
  AsyncEventsDropped: "Dropped",
  AsyncEventAge: "Event age (max)",
  DeadLetterErrors: "Dead-letter errors",
  DestinationDeliveryFailures: "Destination delivery failures",
  RecursiveInvocationsDropped: "Recursive invocations dropped",
};

const COLOR: Readonly<Record<SourceMetric, string>> = {
  IteratorAge: "#D55E00",
  OffsetLag: "#E69F00",
  AsyncEventsReceived: "#0072B2",
  AsyncEventsDropped: "#D62728",
  AsyncEventAge: "#CC79A7",
  DeadLetterErrors: "#6A3D9A",
  DestinationDeliveryFailures: "#FF7F0E",
  RecursiveInvocationsDropped: "#D62728",
};

interface ChartSpec {
  id: string;
  title: string;
  metrics: SourceMetric[];
  /** "age": ms values, charted in the unit their peak calls for. */
  unit: "count" | "age";
}

const CHARTS: readonly ChartSpec[] = [
  {
    id: "fn-chart-iterator-age",
    title: "Iterator age (oldest record behind)",
    metrics: ["IteratorAge"],
    unit: "age",
  },
  { id: "fn-chart-offset-lag", title: "Kafka offset lag (records)", metrics: ["OffsetLag"], unit: "count" },
  {
    id: "fn-chart-async-events",
    title: "Async events received and dropped",
    metrics: ["AsyncEventsReceived", "AsyncEventsDropped"],
    unit: "count",
  },
  { id: "fn-chart-async-age", title: "Async event age", metrics: ["AsyncEventAge"], unit: "age" },
  {
    id: "fn-chart-delivery-failures",
    title: "Dead-letter and destination delivery failures",
    metrics: ["DeadLetterErrors", "DestinationDeliveryFailures"],
    unit: "count",
  },
  {
    id: "fn-chart-recursive-dropped",
    title: "Recursive invocations dropped",
    metrics: ["RecursiveInvocationsDropped"],
    unit: "count",
  },
];

/** Whether the function published `metric` in the range (see the invariants for the two dropped counts). */
export function isPublished(input: SourceChartsInput, metric: SourceMetric): boolean {
  if (metric === "AsyncEventsDropped") return input.AsyncEventsDropped.read || input.AsyncEventsReceived.read;
  return input[metric].read;
}

/** The unit an age series is charted in, from its peak (ms): hours from 2 h, minutes from 2 min. */
export function ageUnit(peakMs: number | null): { unit: ChartUnit; perMs: number } {
  if (peakMs !== null && peakMs >= 2 * HOUR_MS) return { unit: "hours", perMs: 1 / HOUR_MS };
  if (peakMs !== null && peakMs >= 2 * MINUTE_MS) return { unit: "minutes", perMs: 1 / MINUTE_MS };
  return { unit: "ms", perMs: 1 };
}

/** First and last measured points and the peak of an age series (ms); null without any point. */
export function ageTrend(points: readonly SeriesPoint[]): AgeTrend | null {
  const measured = points.filter((p): p is SeriesPoint & { v: number } => p.v !== null);
  const first = measured[0];
  const last = measured[measured.length - 1];
  if (!first || !last) return null;
  const peakMs = Math.max(...measured.map((p) => p.v));
  const d = (v: number) => formatDuration(ms(v));
  const direction = last.v > first.v ? "rising" : last.v < first.v ? "falling" : "flat";
  return {
    firstMs: first.v,
    lastMs: last.v,
    peakMs,
    summary: `${direction}: ${d(first.v)} at the start of the range, ${d(last.v)} at its end (peak ${d(peakMs)})`,
  };
}

const sumOf = (points: readonly SeriesPoint[]): number | null =>
  points.some((p) => p.v !== null) ? points.reduce((s, p) => s + (p.v ?? 0), 0) : null;

export function prepareSourceCharts(input: SourceChartsInput): SourceChart[] {
  return CHARTS.map((spec): SourceChart => {
    const shown = spec.metrics.filter((m) => isPublished(input, m));
    const notPublished = spec.metrics
      .filter((m) => !shown.includes(m))
      .map((metric) => ({ metric, why: NOT_PUBLISHED_WHY[metric] }));
    if (shown.length === 0)
      return {
        kind: "absent",
        id: spec.id,
        title: spec.title,
        // One sentence per distinct reason (the async metrics share theirs).
        why: [...new Set(notPublished.map((n) => n.why))].join("; "),
      };
    const peak = Math.max(
      ...shown.flatMap((m) => input[m].points.flatMap((p) => (p.v === null ? [] : [p.v]))),
      -Infinity,
    );
    const scale = spec.unit === "age" ? ageUnit(Number.isFinite(peak) ? peak : null) : null;
    const lines = shown.map((m): SourceLine => ({
      key: m,
      label: LABEL[m],
      color: COLOR[m],
      points: input[m].points.map((p) => ({
        t: p.t,
        v: p.v === null || scale === null ? p.v : p.v * scale.perMs,
      })),
      total: spec.unit === "count" ? sumOf(input[m].points) : null,
    }));
    const first = shown[0] as SourceMetric;
    return {
      kind: "chart",
      id: spec.id,
      title: spec.title,
      unit: scale?.unit ?? "count",
      lines,
      notPublished,
      trend: spec.unit === "age" ? ageTrend(input[first].points) : null,
    };
  });
}

/** "Received 1.2k · Dropped 3": a count chart's totals over the range, for its caption. */
export const totalsText = (lines: readonly SourceLine[]): string =>
  lines
    .filter((l) => l.total !== null)
    .map((l) => `${l.label} ${formatCount(l.total)}`)
    .join(" · ");
