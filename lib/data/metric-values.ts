/**
 * Reading one GetMetricData series as a single number. CloudWatch omits periods with no datapoints, so a count
 * with no series is 0, while a statistic with none is null (missing is not zero).
 */
import type { MetricSeries } from "@/lib/aws/cloudwatch";

/** A count: the sum of its datapoints; 0 when CloudWatch had none. */
export const sumOf = (series: MetricSeries | undefined): number =>
  series === undefined ? 0 : series.values.reduce((a, b) => a + b, 0);

/** A statistic over a period spanning the whole window (one datapoint), or null when there was no data. */
export const statOf = (series: MetricSeries | undefined): number | null => series?.values[0] ?? null;

/** A series' datapoints by timestamp (epoch ms); a period CloudWatch omitted is absent, for the caller to read. */
export function byTimestamp(series: MetricSeries | undefined): Map<number, number> {
  const out = new Map<number, number>();
  series?.timestamps.forEach((t, i) => {
    const v = series.values[i];
    if (v !== undefined) out.set(t, v);
  });
  return out;
}
