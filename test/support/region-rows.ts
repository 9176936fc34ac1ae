/**
 * Region rows as the collector writes them (lib/collector: CloudWatch's region-wide series, and the sum of a
 * minute's log groups), for tests that seed the store by hand: function rows go in as given, and each bucket
 * gains a REGION_ROW row adding them up (keeping a hand-written region row's concurrency).
 */
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  type LogRollup,
  type MetricRollup,
} from "@/lib/core/rollup/types";

export function withRegionMetrics(rows: readonly MetricRollup[]): MetricRollup[] {
  const region = new Map<string, MetricRollup>();
  const key = (r: MetricRollup) => `${r.account}|${r.region}|${r.res}|${r.t}`;
  for (const r of rows) {
    let acc = region.get(key(r));
    if (!acc) region.set(key(r), (acc = emptyMetric(r, REGION_ROW, r.res, r.t)));
    if (r.fn === REGION_ROW) {
      acc.concurrencyMax = r.concurrencyMax;
      acc.unreservedMax = r.unreservedMax;
    } else addMetric(acc, { ...r, concurrencyMax: null, unreservedMax: null });
  }
  return [...rows.filter((r) => r.fn !== REGION_ROW), ...region.values()];
}

export function withRegionLogs(rows: readonly LogRollup[]): LogRollup[] {
  const region = new Map<string, LogRollup>();
  for (const r of rows) {
    const k = `${r.account}|${r.region}|${r.res}|${r.t}`;
    let acc = region.get(k);
    if (!acc) region.set(k, (acc = emptyLog(r, REGION_ROW, r.res, r.t)));
    addLog(acc, { ...r, durations: { ...r.durations } });
  }
  return [...rows, ...region.values()];
}
