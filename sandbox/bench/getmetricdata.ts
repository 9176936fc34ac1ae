/**
 * GetMetricData against the sandbox through the SDK over HTTP, every page followed via NextToken.
 *
 * - fleetOverview: what the console's fleet overview asks per region (lib/data/telemetry/plan.ts): 7 region-wide
 *   series (Invocations, Errors, Throttles Sum; Duration p50/p90/p99; ConcurrentExecutions Maximum) at 300 s,
 *   plus Invocations/Errors/Throttles Sum and Duration p99/Average per function over the whole 24 h, for both
 *   regions of the default fleet (2 × 40 functions). Cold (fresh sandbox) and warm (same request again).
 * - dashboard: 500 per-function queries (p99/p90/p50/Average/Maximum Duration, Invocations, …) at 60 s over 24 h
 *   in us-east-1, cold and warm (~700k datapoints, 7 pages).
 * - baseline, same run: the fleet overview of us-east-1 served from full MinuteRecords (a simulator without
 *   `summary()`: ids, cold starts, strings), which is how CloudWatch read the simulator before.
 * - scale: 1 h of 1,000 and 5,000 low-traffic functions (one region), the fleet-overview plan packed 500
 *   queries per request, cold.
 * Prints one JSON line: {"bench":"sandbox-getmetricdata", …}. `--no-baseline` / `--no-scale` skip those parts.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { startSandbox, type Sandbox, type SimFunction } from "../src/index";
import { handleCloudWatch } from "../src/cloudwatch/handler";
import type { Simulator } from "../src/sim/types";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGION_SERIES: [string, string][] = [
  ["Invocations", "Sum"],
  ["Errors", "Sum"],
  ["Throttles", "Sum"],
  ["Duration", "p50"],
  ["Duration", "p90"],
  ["Duration", "p99"],
  ["ConcurrentExecutions", "Maximum"],
];
const FUNCTION_METRICS: [string, string][] = [
  ["Invocations", "Sum"],
  ["Errors", "Sum"],
  ["Throttles", "Sum"],
  ["Duration", "p99"],
  ["Duration", "Average"],
];
const DASHBOARD: [string, string][] = [
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

const query = (id: string, metric: string, stat: string, period: number, fn?: string): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: "AWS/Lambda",
      MetricName: metric,
      Dimensions: fn === undefined ? [] : [{ Name: "FunctionName", Value: fn }],
    },
    Period: period,
    Stat: stat,
  },
});

function functionsOf(sb: Sandbox, region: string): SimFunction[] {
  return [...(sb.account.regions.get(region)?.functions.values() ?? [])];
}

/** The fleet-overview plan of one region, in requests of ≤ 500 queries. */
function overviewRequests(fns: SimFunction[], windowMs: number, seriesPeriod: number): MetricDataQuery[][] {
  const all: MetricDataQuery[] = REGION_SERIES.map(([m, s], i) => query(`r${i}`, m, s, seriesPeriod));
  fns.forEach((fn, f) =>
    FUNCTION_METRICS.forEach(([m, s], i) => all.push(query(`f${f}_${i}`, m, s, windowMs / 1000, fn.name))),
  );
  const out: MetricDataQuery[][] = [];
  for (let i = 0; i < all.length; i += 500) out.push(all.slice(i, i + 500));
  return out;
}

function dashboardRequest(fns: SimFunction[]): MetricDataQuery[] {
  const queries: MetricDataQuery[] = [];
  for (const [metric, stat] of DASHBOARD)
    for (const fn of fns)
      if (queries.length < 500) queries.push(query(`q${queries.length}`, metric, stat, 60, fn.name));
  return queries;
}

interface Run {
  ms: number;
  requests: number;
  pages: number;
  datapoints: number;
}

async function fetchAll(
  sb: Sandbox,
  region: string,
  requests: MetricDataQuery[][],
  windowMs: number,
): Promise<Run> {
  const cw = new CloudWatchClient({
    endpoint: sb.url,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const t0 = performance.now();
  let pages = 0;
  let datapoints = 0;
  for (const queries of requests) {
    let token: string | undefined;
    do {
      const out = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(NOW - windowMs),
          EndTime: new Date(NOW),
          NextToken: token,
        }),
      );
      pages++;
      for (const r of out.MetricDataResults ?? []) datapoints += r.Values?.length ?? 0;
      token = out.NextToken;
    } while (token);
  }
  const ms = performance.now() - t0;
  cw.destroy();
  return { ms: round(ms), requests: requests.length, pages, datapoints };
}

/** Both regions' overviews, concurrently (as the console loads them). */
async function overview(sb: Sandbox): Promise<Run> {
  const t0 = performance.now();
  const runs = await Promise.all(
    [...sb.account.regions.keys()].map((r) =>
      fetchAll(sb, r, overviewRequests(functionsOf(sb, r), DAY, 300), DAY),
    ),
  );
  return {
    ms: round(performance.now() - t0),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    pages: runs.reduce((n, r) => n + r.pages, 0),
    datapoints: runs.reduce((n, r) => n + r.datapoints, 0),
  };
}

/** The us-east-1 overview served in-process from full MinuteRecords (no summary path), cold. */
async function recordsBaseline(): Promise<number> {
  const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW });
  const full = sb.ctx.sim;
  const recordsOnly: Simulator = {
    minute: (f, m) => full.minute(f, m),
    minutes: (f, a, b) => full.minutes(f, a, b),
  };
  const t0 = performance.now();
  for (const queries of overviewRequests(functionsOf(sb, "us-east-1"), DAY, 300)) {
    const res = await handleCloudWatch(
      {
        method: "POST",
        path: "/",
        query: new URLSearchParams(),
        headers: { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" },
        body: Buffer.from(
          JSON.stringify({ MetricDataQueries: queries, StartTime: (NOW - DAY) / 1000, EndTime: NOW / 1000 }),
        ),
        region: "us-east-1",
        service: "monitoring",
      },
      { ...sb.ctx, sim: recordsOnly },
    );
    if (res.status !== 200) throw new Error(`baseline: HTTP ${res.status}`);
  }
  const ms = performance.now() - t0;
  await sb.close();
  return round(ms);
}

async function scale(functionsPerRegion: number): Promise<Run & { functions: number }> {
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => NOW,
    functionsPerRegion,
    regions: ["us-east-1"],
  });
  const fns = functionsOf(sb, "us-east-1");
  const run = await fetchAll(sb, "us-east-1", overviewRequests(fns, HOUR, 60), HOUR);
  await sb.close();
  return { functions: fns.length, ...run };
}

const round = (n: number) => Math.round(n * 10) / 10;
const cpuMs = () => round(process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000);

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW });
  const cpu0 = cpuMs();
  const overviewCold = await overview(sb);
  const overviewWarm = await overview(sb);
  const dashboardQueries = [dashboardRequest(functionsOf(sb, "us-east-1"))];
  const dashboardWarm = await fetchAll(sb, "us-east-1", dashboardQueries, DAY);
  await sb.close();
  const cpuOverviewAndDashboard = round(cpuMs() - cpu0);

  // A fresh sandbox for a cold dashboard (the overview above warmed every minute of us-east-1).
  const sb2 = await startSandbox({ port: 0, seed: 7, now: () => NOW });
  const dashboardCold = await fetchAll(sb2, "us-east-1", dashboardQueries, DAY);
  await sb2.close();

  const baselineRecordsMs = args.has("--no-baseline") ? null : await recordsBaseline();
  const scaleRuns = args.has("--no-scale") ? [] : [await scale(1000), await scale(5000)];

  console.log(
    JSON.stringify({
      bench: "sandbox-getmetricdata",
      windowHours: 24,
      fleetOverview: { regions: 2, functions: 80, cold: overviewCold, warm: overviewWarm },
      dashboard: {
        region: "us-east-1",
        queries: 500,
        periodSeconds: 60,
        cold: dashboardCold,
        warm: dashboardWarm,
      },
      cpuMsOverviewColdWarmAndDashboardWarm: cpuOverviewAndDashboard,
      baselineUsEast1OverviewFromRecordsMs: baselineRecordsMs,
      scale: scaleRuns.map((r) => ({ windowHours: 1, ...r })),
    }),
  );
}

void main();
