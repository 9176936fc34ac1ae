/**
 * Per event source mapping counts (prepare, then render): the six EventCount metrics Lambda publishes under the
 * dimension EventSourceMappingUUID when the mapping's MetricsConfig enables them.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics
 *
 * Invariants:
 * - Only mappings whose MetricsConfig lists EventCount are asked about; every other mapping is listed with why
 *   it has no counts (CloudWatch has none to give), never with zeros.
 * - A metric with no datapoint in the whole range is "not published" (total null): FilteredOutEventCount needs
 *   filter criteria, OnFailureDestinationDeliveredEventCount an on-failure destination. A metric with some
 *   datapoints is a count: its missing periods are 0 (series.ts), and its total is the sum of what was read.
 */
import type { EventSourceMapping } from "../triggers/types";
import type { EpochMs, Seconds } from "../units";
import { prepareSeries, type SeriesPoint } from "./series";

export const MAPPING_METRICS = [
  "PolledEventCount",
  "InvokedEventCount",
  "FilteredOutEventCount",
  "FailedInvokeEventCount",
  "DroppedEventCount",
  "OnFailureDestinationDeliveredEventCount",
] as const;

export type MappingMetric = (typeof MAPPING_METRICS)[number];

export const MAPPING_METRIC_LABEL: Readonly<Record<MappingMetric, string>> = {
  PolledEventCount: "Polled",
  InvokedEventCount: "Invoked",
  FilteredOutEventCount: "Filtered out",
  FailedInvokeEventCount: "Failed invoke",
  DroppedEventCount: "Dropped",
  OnFailureDestinationDeliveredEventCount: "To on-failure destination",
};

/** Why a mapping's metric may have no datapoint at all (the two that need a setting, per the docs above). */
const NO_DATAPOINT: Readonly<Record<MappingMetric, string>> = {
  PolledEventCount: "no datapoint in this range",
  InvokedEventCount: "no datapoint in this range",
  FilteredOutEventCount: "no datapoint in this range: published only for a mapping with filter criteria",
  FailedInvokeEventCount: "no datapoint in this range",
  DroppedEventCount: "no datapoint in this range",
  OnFailureDestinationDeliveredEventCount:
    "no datapoint in this range: published only for a mapping with an on-failure destination",
};

/** The MetricsConfig value that turns these metrics on. */
export const EVENT_COUNT = "EventCount";

export const reportsEventCounts = (m: Pick<EventSourceMapping, "metrics">): boolean =>
  (m.metrics ?? []).includes(EVENT_COUNT);

/** The query key of one mapping's metric (a UUID holds no `|`). */
export const mappingMetricKey = (uuid: string, metric: MappingMetric) => `${uuid}|${metric}`;

export interface MappingCount {
  metric: MappingMetric;
  label: string;
  /** Sum over the range; null when the metric had no datapoint in it (not published for this mapping). */
  total: number | null;
  /** With a null total: why there is none. */
  why: string | null;
  points: SeriesPoint[];
}

export interface MappingCounts {
  uuid: string;
  sourceArn: string | null;
  state: string;
  /** Null when the mapping reports no counts, and `why` says so. */
  counts: MappingCount[] | null;
  why: string | null;
}

export interface RawSeries {
  timestamps: readonly number[];
  values: readonly number[];
}

export function prepareMappingCounts(
  mappings: readonly EventSourceMapping[],
  series: ReadonlyMap<string, RawSeries>,
  grid: { start: EpochMs; end: EpochMs; period: Seconds },
): MappingCounts[] {
  return mappings.map((m) => {
    const head = { uuid: m.uuid, sourceArn: m.sourceArn, state: m.state };
    if (!reportsEventCounts(m))
      return {
        ...head,
        counts: null,
        why: "its MetricsConfig does not enable EventCount, so Lambda publishes no mapping metrics for it",
      };
    const counts = MAPPING_METRICS.map((metric): MappingCount => {
      const s = series.get(mappingMetricKey(m.uuid, metric));
      const points = prepareSeries({
        timestamps: s?.timestamps ?? [],
        values: s?.values ?? [],
        ...grid,
        kind: "count",
      });
      const read = (s?.timestamps.length ?? 0) > 0;
      return {
        metric,
        label: MAPPING_METRIC_LABEL[metric],
        total: read ? points.reduce((sum, p) => sum + (p.v ?? 0), 0) : null,
        why: read ? null : NO_DATAPOINT[metric],
        points,
      };
    });
    return { ...head, counts, why: null };
  });
}
