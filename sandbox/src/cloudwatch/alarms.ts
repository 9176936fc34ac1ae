/**
 * DescribeAlarms over a few planted metric alarms whose state is computed from the simulated metrics at `now`
 * (never stored): `payments-api-canary-errors` watches the error rate of the version the `live` alias is
 * shifting to, so it is in ALARM while the failing canary takes traffic; the others watch healthy signals (OK) or
 * a metric this fleet never emits (INSUFFICIENT_DATA). An alarm is planted only if its function exists.
 *
 * Evaluation (as CloudWatch documents it, TreatMissingData=missing): the last EvaluationPeriods complete periods
 * before now; ALARM when at least DatapointsToAlarm of them breach, INSUFFICIENT_DATA when none has data, else OK.
 */
import type { z } from "zod";
import type { RegionState, SimFunction } from "../fleet/model";
import type { Simulator } from "../sim/types";
import type { Dimension } from "./lambda-metrics";
import { LAMBDA_NAMESPACE } from "./lambda-metrics";
import { MetricStore } from "./metric-store";
import type { DescribeAlarmsSchema } from "./schemas";
import { SIMPLE_STATISTICS, computeStatistic, mergeSamples, parseStatistic, type Samples } from "./stats";
import { CloudWatchError, decodeToken, encodeToken, msToSeconds } from "./wire";

type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
type StateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

interface AlarmDef {
  name: string;
  description: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  configuredMs: number;
}

const fnDims = (fn: SimFunction): Dimension[] => [{ Name: "FunctionName", Value: fn.name }];

/** The planted alarms of a region, in name order. */
export function plantedAlarms(region: RegionState | undefined): AlarmDef[] {
  if (!region) return [];
  const fn = (name: string) => region.functions.get(name);
  const out: AlarmDef[] = [];
  const payments = fn("payments-api");
  const live = payments?.aliases.find((a) => a.name === "live");
  const routing = live?.history[live.history.length - 1];
  if (payments && live && routing) {
    const canary = routing.additional?.version ?? routing.functionVersion;
    out.push({
      name: "payments-api-canary-errors",
      description: `Error rate of version ${canary} behind payments-api:live above 5%`,
      metricName: "Errors",
      dimensions: [
        ...fnDims(payments),
        { Name: "Resource", Value: `payments-api:${live.name}` },
        { Name: "ExecutedVersion", Value: canary },
      ],
      stat: "Average",
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 0.05,
      comparison: "GreaterThanThreshold",
      configuredMs: routing.fromMs,
    });
  }
  const orders = fn("orders-api");
  if (orders) {
    out.push({
      name: "orders-api-error-rate",
      description: "orders-api error rate above 5%",
      metricName: "Errors",
      dimensions: fnDims(orders),
      stat: "Average",
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 0.05,
      comparison: "GreaterThanThreshold",
      configuredMs: orders.createdMs,
    });
  }
  const resizer = fn("image-resizer");
  if (resizer) {
    out.push({
      name: "image-resizer-p99-duration",
      description: "image-resizer p99 duration above 90% of its timeout",
      metricName: "Duration",
      dimensions: fnDims(resizer),
      stat: "p99",
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: resizer.latest.timeout * 1000 * 0.9,
      comparison: "GreaterThanThreshold",
      configuredMs: resizer.createdMs,
    });
  }
  const checkout = fn("checkout-api");
  if (checkout) {
    out.push({
      name: "checkout-api-iterator-age",
      description: "checkout-api stream iterator age above 1 minute",
      metricName: "IteratorAge",
      dimensions: fnDims(checkout),
      stat: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: 60_000,
      comparison: "GreaterThanThreshold",
      configuredMs: checkout.createdMs,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const BREACHES: Record<Comparison, (v: number, t: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
};

const WORDS: Record<Comparison, string> = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
};

export interface AlarmState {
  value: StateValue;
  reason: string;
  datapoints: { t: number; v: number }[];
}

/** The alarm's state at `nowMs`, from the last EvaluationPeriods complete periods. */
export function evaluateAlarm(def: AlarmDef, sim: Simulator, region: RegionState, nowMs: number): AlarmState {
  const periodMs = def.periodSeconds * 1000;
  const end = Math.floor(nowMs / periodMs) * periodMs;
  const start = end - def.evaluationPeriods * periodMs;
  const store = new MetricStore(sim, region, start, end, nowMs);
  const { minutes, samples } = store.get(LAMBDA_NAMESPACE, def.metricName, def.dimensions);
  const stat = parseStatistic(def.stat, "Statistic");
  const datapoints: { t: number; v: number }[] = [];
  for (let t = end - periodMs; t >= start; t -= periodMs) {
    const parts: Samples[] = [];
    minutes.forEach((m, i) => {
      if (m >= t && m < t + periodMs) parts.push(samples[i] as Samples);
    });
    const merged = mergeSamples(parts);
    const v = merged ? computeStatistic(merged, stat) : undefined;
    if (v !== undefined) datapoints.push({ t, v });
  }
  if (datapoints.length === 0) {
    return {
      value: "INSUFFICIENT_DATA",
      reason: `Insufficient Data: ${def.evaluationPeriods} datapoints were unknown.`,
      datapoints,
    };
  }
  const breaching = datapoints.filter((d) => BREACHES[def.comparison](d.v, def.threshold));
  const list = (ds: { t: number; v: number }[]) =>
    ds.map((d) => `${+d.v.toFixed(4)} (${new Date(d.t).toISOString().slice(0, 19)})`).join(", ");
  if (breaching.length >= def.datapointsToAlarm) {
    return {
      value: "ALARM",
      reason:
        `Threshold Crossed: ${breaching.length} out of the last ${def.evaluationPeriods} datapoints ` +
        `[${list(breaching)}] were ${WORDS[def.comparison]} the threshold (${def.threshold}) ` +
        `(minimum ${def.datapointsToAlarm} datapoints for OK -> ALARM transition).`,
      datapoints,
    };
  }
  return {
    value: "OK",
    reason:
      `Threshold Crossed: ${datapoints.length - breaching.length} datapoints [${list(datapoints)}] ` +
      `were not ${WORDS[def.comparison]} the threshold (${def.threshold}).`,
    datapoints,
  };
}

type Input = z.infer<typeof DescribeAlarmsSchema>;

export function describeAlarms(
  input: Input,
  env: {
    sim: Simulator;
    region: RegionState | undefined;
    regionName: string;
    accountId: string;
    nowMs: number;
  },
): { MetricAlarms: unknown[]; CompositeAlarms: unknown[]; NextToken?: string } {
  if (input.AlarmNames && input.AlarmNamePrefix !== undefined) {
    throw new CloudWatchError(
      "InvalidParameterCombinationException",
      "AlarmNames and AlarmNamePrefix cannot be specified together.",
    );
  }
  const max = input.MaxRecords ?? 50;
  const offset = input.NextToken !== undefined ? tokenOffset(input.NextToken) : 0;
  const wantMetric = !input.AlarmTypes || input.AlarmTypes.includes("MetricAlarm");
  const region = env.region;
  if (!region || !wantMetric || input.ChildrenOfAlarmName || input.ParentsOfAlarmName || input.ActionPrefix) {
    return { MetricAlarms: [], CompositeAlarms: [] };
  }
  const defs = plantedAlarms(region)
    .filter((d) => !input.AlarmNames || input.AlarmNames.includes(d.name))
    .filter((d) => input.AlarmNamePrefix === undefined || d.name.startsWith(input.AlarmNamePrefix));
  const rendered = defs
    .map((d) => ({ def: d, state: evaluateAlarm(d, env.sim, region, env.nowMs) }))
    .filter((a) => input.StateValue === undefined || a.state.value === input.StateValue)
    .map((a) => render(a.def, a.state, env));
  const items = rendered.slice(offset, offset + max);
  const out: { MetricAlarms: unknown[]; CompositeAlarms: unknown[]; NextToken?: string } = {
    MetricAlarms: items,
    CompositeAlarms: [],
  };
  if (offset + max < rendered.length) out.NextToken = encodeToken({ o: offset + max });
  return out;
}

function tokenOffset(token: string): number {
  const t = decodeToken(token) as { o?: unknown } | null;
  if (!t || typeof t.o !== "number" || !Number.isInteger(t.o) || t.o < 0) {
    throw new CloudWatchError("InvalidNextToken", "The service couldn't process the provided NextToken.");
  }
  return t.o;
}

function render(
  def: AlarmDef,
  state: AlarmState,
  env: { regionName: string; accountId: string; nowMs: number },
) {
  const percentile = !SIMPLE_STATISTICS.has(def.stat);
  const minuteNow = Math.floor(env.nowMs / 60_000) * 60_000;
  return {
    AlarmName: def.name,
    AlarmArn: `arn:aws:cloudwatch:${env.regionName}:${env.accountId}:alarm:${def.name}`,
    AlarmDescription: def.description,
    AlarmConfigurationUpdatedTimestamp: msToSeconds(def.configuredMs),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: state.value,
    StateReason: state.reason,
    StateReasonData: JSON.stringify({
      version: "1.0",
      queryDate: new Date(env.nowMs).toISOString(),
      statistic: def.stat,
      period: def.periodSeconds,
      recentDatapoints: state.datapoints.map((d) => d.v),
      threshold: def.threshold,
      evaluatedDatapoints: state.datapoints.map((d) => ({
        timestamp: new Date(d.t).toISOString(),
        value: d.v,
      })),
    }),
    StateUpdatedTimestamp: msToSeconds(minuteNow),
    StateTransitionedTimestamp: msToSeconds(minuteNow),
    MetricName: def.metricName,
    Namespace: LAMBDA_NAMESPACE,
    ...(percentile ? { ExtendedStatistic: def.stat } : { Statistic: def.stat }),
    Dimensions: def.dimensions,
    Period: def.periodSeconds,
    EvaluationPeriods: def.evaluationPeriods,
    DatapointsToAlarm: def.datapointsToAlarm,
    Threshold: def.threshold,
    ComparisonOperator: def.comparison,
    TreatMissingData: "missing",
  };
}
