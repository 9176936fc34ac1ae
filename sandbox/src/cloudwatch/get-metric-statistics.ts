/**
 * GetMetricStatistics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html):
 * one metric, its simple Statistics or its ExtendedStatistics (never both), one datapoint per non-empty period,
 * at most 1,440 datapoints per request. Same samples, periods and statistics as GetMetricData.
 */
import type { z } from "zod";
import type { RegionState } from "../fleet/model";
import type { Simulator } from "../sim/types";
import { mergePeriods } from "./get-metric-data";
import { METRIC_UNITS } from "./lambda-metrics";
import { MetricStore } from "./metric-store";
import { roundStart, validatePeriod } from "./periods";
import type { GetMetricStatisticsSchema } from "./schemas";
import { SIMPLE_STATISTICS, computeStatistic, tryParseStatistic, type Statistic } from "./stats";
import { CloudWatchError, msToSeconds } from "./wire";

const MAX_DATAPOINTS = 1440;

type Input = z.infer<typeof GetMetricStatisticsSchema>;

const invalidValue = (message: string) => new CloudWatchError("InvalidParameterValueException", message);
const combination = (message: string) => new CloudWatchError("InvalidParameterCombinationException", message);

export function getMetricStatistics(
  input: Input,
  env: { sim: Simulator; region: RegionState | undefined; nowMs: number },
) {
  const simple = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (simple.length > 0 && extended.length > 0)
    throw combination("Parameters Statistics and ExtendedStatistics are mutually exclusive.");
  if (simple.length === 0 && extended.length === 0)
    throw new CloudWatchError(
      "MissingRequiredParameterException",
      "Must specify either Statistics or ExtendedStatistics.",
    );
  simple.forEach((s, i) => {
    if (!SIMPLE_STATISTICS.has(s))
      throw invalidValue(
        `The parameter Statistics.member.${i + 1} must be a value in the set [ Minimum, Maximum, Average, SampleCount, Sum ].`,
      );
  });
  const stats = extended.map((s, i): [string, Statistic] => {
    const parsed = tryParseStatistic(s);
    if (!parsed || SIMPLE_STATISTICS.has(s))
      throw invalidValue(
        `The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not a valid statistic.`,
      );
    return [s, parsed];
  });
  validatePeriod(input.Period, "Period");
  const startMs = input.StartTime * 1000;
  const endMs = input.EndTime * 1000;
  if (!(startMs < endMs))
    throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  const t0 = roundStart(startMs, env.nowMs);
  const requested = Math.ceil((endMs - t0) / (input.Period * 1000));
  if (requested > MAX_DATAPOINTS)
    throw combination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. ` +
        "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
    );

  const unit = METRIC_UNITS[input.MetricName] ?? "None";
  const out = { Label: input.MetricName, Datapoints: [] as Record<string, unknown>[] };
  if (input.Unit !== undefined && input.Unit !== unit) return out;
  const store = new MetricStore(env.sim, env.region, t0, endMs, env.nowMs);
  const series = store.get(input.Namespace, input.MetricName, input.Dimensions ?? []);
  const merged = mergePeriods(series, input.Period, t0, endMs, env.nowMs);
  merged.samples.forEach((samples, i) => {
    const point: Record<string, unknown> = { Timestamp: msToSeconds(merged.starts[i] as number) };
    for (const s of simple) point[s] = computeStatistic(samples, { kind: s as "Sum" });
    if (stats.length > 0) {
      const values: Record<string, number> = {};
      for (const [name, stat] of stats) {
        const v = computeStatistic(samples, stat);
        if (v !== undefined) values[name] = v;
      }
      point.ExtendedStatistics = values;
    }
    point.Unit = unit;
    out.Datapoints.push(point);
  });
  return out;
}
