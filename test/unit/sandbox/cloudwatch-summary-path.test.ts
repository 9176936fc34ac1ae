/**
 * CloudWatch reads the real simulator through its metric-only summaries. Served from full MinuteRecords instead
 * (a simulator without `summary()`, the path test doubles take), every answer must be the same.
 */
import { describe, expect, it } from "vitest";
import { handleCloudWatch } from "@/lib/sandbox/cloudwatch/handler";
import { generateAccount } from "@/lib/sandbox/fleet/generate";
import type { SandboxContext } from "@/lib/sandbox/http/types";
import { createSimulator } from "@/lib/sandbox/sim/simulator";
import type { Simulator } from "@/lib/sandbox/sim/types";
import { request } from "./cloudwatch-fixture";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 25); // mid-minute: the current minute is partial
const HOUR = 3_600_000;
const account = generateAccount({ seed: 7, nowMs: NOW, functionsPerRegion: 20, regions: ["us-east-1"] });
const region = account.regions.get("us-east-1")!;

function contexts() {
  const sim = createSimulator(account, { now: () => NOW });
  const calls = { minutes: 0, summary: 0 };
  const counted: Simulator = {
    minute: (f, m) => sim.minute(f, m),
    minutes: (f, a, b) => (calls.minutes++, sim.minutes(f, a, b)),
    summary: (f, m) => (calls.summary++, sim.summary!(f, m)),
  };
  const recordsOnly: Simulator = { minute: sim.minute, minutes: sim.minutes };
  const ctx = (s: Simulator): SandboxContext => ({ account, now: () => NOW, sim: s });
  return { summaries: ctx(counted), records: ctx(recordsOnly), calls };
}

const STATS: [string, string][] = [
  ["Invocations", "Sum"],
  ["Errors", "Sum"],
  ["Errors", "Average"],
  ["Throttles", "Sum"],
  ["Duration", "p50"],
  ["Duration", "p99"],
  ["Duration", "p99.9"],
  ["Duration", "Average"],
  ["Duration", "Minimum"],
  ["Duration", "Maximum"],
  ["Duration", "SampleCount"],
  ["ConcurrentExecutions", "Maximum"],
  ["ClaimedAccountConcurrency", "Maximum"],
  ["ProvisionedConcurrencySpilloverInvocations", "Sum"],
  ["ProvisionedConcurrencyUtilization", "Average"],
];

/** Region, function, Resource (alias) and ExecutedVersion series of every function, for every stat. */
function queries(period: number) {
  const dims: { Name: string; Value: string }[][] = [[]];
  for (const fn of region.functions.values()) {
    dims.push([{ Name: "FunctionName", Value: fn.name }]);
    for (const alias of fn.aliases) {
      const resource = [
        { Name: "FunctionName", Value: fn.name },
        { Name: "Resource", Value: `${fn.name}:${alias.name}` },
      ];
      dims.push(resource);
      const versions = new Set(
        alias.history.flatMap((h) => [h.functionVersion, h.additional?.version ?? ""]),
      );
      for (const v of versions) if (v) dims.push([...resource, { Name: "ExecutedVersion", Value: v }]);
    }
  }
  const out: object[] = [];
  for (const d of dims)
    for (const [metric, stat] of STATS)
      out.push({
        Id: `q${out.length}`,
        MetricStat: {
          Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: d },
          Period: period,
          Stat: stat,
        },
      });
  return out;
}

async function answers(ctx: SandboxContext, period: number, hours: number): Promise<unknown[]> {
  const all = queries(period);
  const results: unknown[] = [];
  for (let i = 0; i < all.length; i += 500) {
    const res = await handleCloudWatch(
      request("GetMetricData", {
        MetricDataQueries: all.slice(i, i + 500),
        StartTime: (NOW - hours * HOUR) / 1000,
        EndTime: NOW / 1000,
        ScanBy: "TimestampAscending",
      }),
      ctx,
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(String(res.body)) as { MetricDataResults: unknown[]; NextToken?: string };
    expect(body.NextToken).toBeUndefined();
    results.push(...body.MetricDataResults);
  }
  return results;
}

describe("GetMetricData over simulator summaries", () => {
  it.each([
    [60, 2],
    [300, 6],
    [3600, 6],
  ])("answers exactly as from full records (period %i s over %i h), cold and warm", async (period, hours) => {
    const { summaries, records, calls } = contexts();
    const expected = await answers(records, period, hours);
    const points = expected.reduce<number>((n, r) => n + (r as { Values: number[] }).Values.length, 0);
    expect(points).toBeGreaterThan(1000);
    expect(await answers(summaries, period, hours)).toEqual(expected);
    expect(await answers(summaries, period, hours)).toEqual(expected); // served from cached summaries
    expect(calls.minutes).toBe(0);
    expect(calls.summary).toBeGreaterThan(0);
  });
});
