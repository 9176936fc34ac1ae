/**
 * One function's event source mapping counts, live: the collector keeps per-function rows only (mapping metrics
 * have their own dimension, EventSourceMappingUUID), so one narrow GetMetricData plan reads the six EventCount
 * metrics of every mapping of the function whose MetricsConfig enables them — one call for all of them, batched
 * by the adapter, cached like the per-alias splits, counted on the view's meter.
 *
 * Invariants:
 * - No mapping reporting counts, no request.
 * - The mappings come from the triggers' own live read: when that failed, this panel fails with the same reason.
 */
import "server-only";
import type { MetricQuery } from "@/lib/aws/cloudwatch";
import type { AccountTarget } from "@/lib/core/accounts";
import {
  MAPPING_METRICS,
  mappingMetricKey,
  prepareMappingCounts,
  reportsEventCounts,
  type MappingCounts,
} from "@/lib/core/charts/mapping-counts";
import { FleetscopeError, type Outcome } from "@/lib/core/errors";
import { seriesWindow, type RangeBucket } from "@/lib/core/time/bucket";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import type { Seconds } from "@/lib/core/units";
import type { TelemetryDeps } from "./deps";
import { cachedForFunction } from "./function-cache";

/** Sum per period of each mapping reporting EventCount metrics, by EventSourceMappingUUID. */
export function planMappingMetrics(mappings: readonly EventSourceMapping[], period: Seconds): MetricQuery[] {
  return mappings.filter(reportsEventCounts).flatMap((m) =>
    MAPPING_METRICS.map((metric) => ({
      key: mappingMetricKey(m.uuid, metric),
      metricName: metric,
      stat: "Sum",
      dimensions: { kind: "eventSourceMapping", uuid: m.uuid } as const,
      period,
    })),
  );
}

export async function loadMappingMetrics(
  input: {
    /** The function's account: its CloudWatch (or the monitoring account's), and its cache entries. */
    account: AccountTarget;
    region: string;
    name: string;
    mappings: Promise<Outcome<EventSourceMapping[]>>;
    bucket: RangeBucket;
    onRequest: (op: string) => void;
  },
  deps: TelemetryDeps,
): Promise<MappingCounts[]> {
  const o = await input.mappings;
  if (!o.ok) throw new FleetscopeError(o.error.code, `event source mappings unavailable: ${o.error.message}`);
  const mappings = o.value;
  const { bucket } = input;
  const plan = planMappingMetrics(mappings, bucket.period);
  if (plan.length === 0) return prepareMappingCounts(mappings, new Map(), bucket);
  const uuids = mappings
    .filter(reportsEventCounts)
    .map((m) => m.uuid)
    .sort()
    .join(",");
  // Only the series are shared between viewers: each view prepares them with the mappings it read, so a state
  // change (enabled, disabled) or a new mapping shows at once, not after the cache's TTL.
  const fn = { account: input.account.id, region: input.region, name: input.name };
  const series = await cachedForFunction(deps, fn, `telemetry:mapping-metrics:${uuids}`, bucket, () =>
    deps.cloudwatch(input.region, input.account).getMetricData(plan, seriesWindow(bucket), {
      onRequest: () => input.onRequest("GetMetricData"),
    }),
  );
  return prepareMappingCounts(mappings, series, bucket);
}
