/**
 * GetMetricData over the real simulator, answered two ways: through the simulator's metric-only summaries (what
 * CloudWatch reads) and from full MinuteRecords (a simulator without `summary()`, the path test doubles take).
 * Shared by the small unit check and the full-size one in test/integration/sandbox-sim.
 */
import { expect } from "vitest";
import { handleCloudWatch } from "../../src/cloudwatch/handler";
import type { SandboxAccount } from "../../src/fleet/model";
import type { SandboxContext } from "../../src/http/types";
import { createSimulator } from "../../src/sim/simulator";
import type { Simulator } from "../../src/sim/types";
import { request } from "./cloudwatch-fixture";

/** Mid-minute: the current minute is partial. */
export const SUMMARY_PATH_NOW = Date.UTC(2026, 10, 23, 12, 0, 25);
const NOW = SUMMARY_PATH_NOW;

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

/** Both paths over the us-east-1 functions of `account`, at SUMMARY_PATH_NOW. */
export function summaryPaths(account: SandboxAccount) {
  const region = account.regions.get("us-east-1")!;

  /** A fresh simulator seen both ways, counting the calls of the summary side. */
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

  /** Every query's answer over the `windowMs` before now, 500 queries a request. */
  async function answers(ctx: SandboxContext, period: number, windowMs: number): Promise<unknown[]> {
    const all = queries(period);
    const results: unknown[] = [];
    for (let i = 0; i < all.length; i += 500) {
      const res = await handleCloudWatch(
        request("GetMetricData", {
          MetricDataQueries: all.slice(i, i + 500),
          StartTime: (NOW - windowMs) / 1000,
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

  return { contexts, answers };
}

/** How many datapoints the answers hold. */
export const pointsIn = (answers: unknown[]): number =>
  answers.reduce<number>((n, r) => n + (r as { Values: number[] }).Values.length, 0);
