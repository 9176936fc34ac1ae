/**
 * A dashboard-sized GetMetricData against the sandbox, through the SDK over HTTP: 500 queries (p99/p50/Average
 * Duration, Invocations, Errors, Throttles, ConcurrentExecutions … of the default fleet) over 24 h at 60 s,
 * every page followed via NextToken. Baseline in the same run: reading the same 24 h of MinuteRecords straight
 * from the simulator (the ground truth's own cost, which the HTTP figure includes), and the same request served
 * in-process from those pre-read records (the CloudWatch aggregation and paging alone, no simulation, no HTTP).
 * Prints one JSON line: {"bench":"sandbox-getmetricdata", …}.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { startSandbox, type SimFunction } from "@/lib/sandbox";
import { handleCloudWatch } from "@/lib/sandbox/cloudwatch/handler";
import type { Invocation, MinuteRecord, Simulator } from "@/lib/sandbox/sim/types";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;
const STATS: [string, string][] = [
  ["Duration", "p99"],
  ["Duration", "p90"],
  ["Duration", "p50"],
  ["Duration", "Average"],
  ["Duration", "Maximum"],
  ["Invocations", "Sum"],
  ["Errors", "Sum"],
  ["Throttles", "Sum"],
  ["ConcurrentExecutions", "Maximum"],
  ["Errors", "Average"],
  ["Duration", "SampleCount"],
  ["Duration", "p99.9"],
  ["Duration", "Minimum"],
];

async function main(): Promise<void> {
  const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW });
  const cw = new CloudWatchClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const fns = [...(sb.account.regions.get("us-east-1")?.functions.values() ?? [])];
  const queries: MetricDataQuery[] = [];
  for (const [metric, stat] of STATS) {
    for (const fn of fns) {
      if (queries.length === 500) break;
      queries.push({
        Id: `q${queries.length}`,
        MetricStat: {
          Metric: {
            Namespace: "AWS/Lambda",
            MetricName: metric,
            Dimensions: [{ Name: "FunctionName", Value: fn.name }],
          },
          Period: 60,
          Stat: stat,
        },
      });
    }
  }

  const run = async () => {
    const t0 = performance.now();
    let token: string | undefined;
    let pages = 0;
    let points = 0;
    let firstPageMs = 0;
    do {
      const out = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(NOW - DAY),
          EndTime: new Date(NOW),
          NextToken: token,
        }),
      );
      if (pages === 0) firstPageMs = performance.now() - t0;
      pages++;
      for (const r of out.MetricDataResults ?? []) points += r.Values?.length ?? 0;
      token = out.NextToken;
    } while (token);
    return { totalMs: performance.now() - t0, firstPageMs, pages, points };
  };

  const http = await run();

  const t1 = performance.now();
  const captured = new Map<string, MinuteRecord[]>();
  let invocations = 0;
  for (const fn of fns) {
    // Keep only what CloudWatch reads, so a day of the fleet fits in memory twice over.
    const slim = sb.ctx.sim.minutes(fn, NOW - DAY, NOW).map((r) => ({
      ...r,
      invocations: r.invocations.map(
        (i) =>
          ({
            functionName: i.functionName,
            version: i.version,
            alias: i.alias,
            durationMs: i.durationMs,
            outcome: i.outcome,
          }) as Invocation,
      ),
    }));
    for (const r of slim) invocations += r.invocations.length;
    captured.set(fn.name, slim);
  }
  const simReadMs = performance.now() - t1;
  const replay: Simulator = {
    minute: (fn: SimFunction, m: number) => sb.ctx.sim.minute(fn, m),
    minutes: (fn: SimFunction, from: number, to: number) =>
      (captured.get(fn.name) ?? []).filter((r) => r.minuteMs >= from && r.minuteMs < to),
  };
  const t2 = performance.now();
  let token: string | undefined;
  let localPages = 0;
  do {
    const res = await handleCloudWatch(
      {
        method: "POST",
        path: "/",
        query: new URLSearchParams(),
        headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" },
        body: Buffer.from(
          JSON.stringify({
            MetricDataQueries: queries,
            StartTime: (NOW - DAY) / 1000,
            EndTime: NOW / 1000,
            NextToken: token,
          }),
        ),
        region: "us-east-1",
        service: "monitoring",
      },
      { ...sb.ctx, sim: replay },
    );
    token = (JSON.parse(String(res.body)) as { NextToken?: string }).NextToken;
    localPages++;
  } while (token);
  const aggregateOnlyMs = performance.now() - t2;

  cw.destroy();
  await sb.close();
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      bench: "sandbox-getmetricdata",
      queries: queries.length,
      functions: fns.length,
      periodSeconds: 60,
      windowHours: 24,
      pages: http.pages,
      datapoints: http.points,
      httpTotalMs: round(http.totalMs),
      httpFirstPageMs: round(http.firstPageMs),
      baselineSimReadMs: round(simReadMs),
      aggregateOnlyMs: round(aggregateOnlyMs),
      aggregateOnlyPages: localPages,
      minuteRecords: [...captured.values()].reduce((n, r) => n + r.length, 0),
      invocations,
    }),
  );
}

void main();
