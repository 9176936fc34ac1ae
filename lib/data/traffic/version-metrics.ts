/**
 * Per-version metrics of an alias from the ExecutedVersion dimension (FunctionName + Resource=name:alias +
 * ExecutedVersion): one GetMetricData call for every version and statistic. Totals use one period spanning the
 * whole window (so p99 is the window's p99, not an average of minute p99s); the per-minute invocations, errors
 * and p99 feed the side-by-side charts.
 */
import type { MetricQuery } from "@/lib/aws/cloudwatch";
import type { VersionStats } from "@/lib/core/traffic/guards";
import { epochMs, ms, seconds, type EpochMs, type Ms } from "@/lib/core/units";
import { byTimestamp, statOf, sumOf } from "../metric-values";
import type { Scope } from "@/lib/core/accounts/scope";
import type { TrafficDeps } from "./deps";

export interface VersionMetrics extends VersionStats {
  version: string;
  throttles: number;
  p50: Ms | null;
  /**
   * Per-minute invocations and errors (missing minutes are 0: CloudWatch omits empty periods) and p99 duration
   * (a missing minute is a gap, null, never 0).
   */
  minutes: { t: EpochMs; invocations: number; errors: number; p99: Ms | null }[];
}

const MINUTE = 60_000;

export async function versionMetrics(
  deps: Pick<TrafficDeps, "cloudwatch">,
  scope: Scope,
  functionName: string,
  alias: string,
  versions: readonly string[],
  window: { start: number; end: number },
): Promise<VersionMetrics[]> {
  const start = Math.floor(window.start / MINUTE) * MINUTE;
  const end = Math.max(start + MINUTE, Math.ceil(window.end / MINUTE) * MINUTE);
  const whole = seconds((end - start) / 1000);
  const queries: MetricQuery[] = versions.flatMap((v) => {
    const dimensions = {
      kind: "executedVersion" as const,
      functionName,
      resource: `${functionName}:${alias}`,
      executedVersion: v,
    };
    return [
      { key: `${v}|inv`, metricName: "Invocations", stat: "Sum", dimensions, period: whole },
      { key: `${v}|err`, metricName: "Errors", stat: "Sum", dimensions, period: whole },
      { key: `${v}|thr`, metricName: "Throttles", stat: "Sum", dimensions, period: whole },
      { key: `${v}|p50`, metricName: "Duration", stat: "p50", dimensions, period: whole },
      { key: `${v}|p99`, metricName: "Duration", stat: "p99", dimensions, period: whole },
      { key: `${v}|inv/m`, metricName: "Invocations", stat: "Sum", dimensions, period: seconds(60) },
      { key: `${v}|err/m`, metricName: "Errors", stat: "Sum", dimensions, period: seconds(60) },
      { key: `${v}|p99/m`, metricName: "Duration", stat: "p99", dimensions, period: seconds(60) },
    ];
  });
  const r = await deps.cloudwatch(scope).getMetricData(queries, { start: epochMs(start), end: epochMs(end) });
  return versions.map((v) => {
    const invocations = sumOf(r.get(`${v}|inv`));
    const p50 = statOf(r.get(`${v}|p50`));
    const p99 = statOf(r.get(`${v}|p99`));
    const errs = byTimestamp(r.get(`${v}|err/m`));
    const inv = byTimestamp(r.get(`${v}|inv/m`));
    const p99s = byTimestamp(r.get(`${v}|p99/m`));
    const minutes: VersionMetrics["minutes"] = [];
    for (let t = start; t < end; t += MINUTE) {
      const invocationsThen = inv.get(t) ?? 0;
      const p99Then = p99s.get(t);
      minutes.push({
        t: epochMs(t),
        invocations: invocationsThen,
        errors: errs.get(t) ?? 0,
        p99: invocationsThen > 0 && p99Then !== undefined ? ms(p99Then) : null,
      });
    }
    return {
      version: v,
      invocations,
      errors: sumOf(r.get(`${v}|err`)),
      throttles: sumOf(r.get(`${v}|thr`)),
      p50: invocations > 0 && p50 !== null ? ms(p50) : null,
      p99: invocations > 0 && p99 !== null ? ms(p99) : null,
      minutes,
    };
  });
}
