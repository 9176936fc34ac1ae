/**
 * CloudWatch extended statistics on AWS/Lambda Duration (Statistics-definitions page: pNN, tm, wm, tc, ts, PR,
 * IQM), through the SDK and the aws CLI, each checked against a value computed here from the raw REPORT lines
 * that FilterLogEvents returns for the same function and window (Duration excludes init, as the metric does).
 * An invocation counts in the period of its arrival: its START line's time minus its Init Duration.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const FN = "orders-api";
const FROM = TEST_NOW - 10 * 60_000;
let sandbox: Sandbox;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;
/** Handler durations (ms) with their arrival time, from REPORT and START lines. */
let invocations: { arrivalMs: number; durationMs: number }[];

async function readInvocations(): Promise<{ arrivalMs: number; durationMs: number }[]> {
  const starts = new Map<string, number>();
  const reports = new Map<string, { duration: number; init: number }>();
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/lambda/${FN}`,
        startTime: FROM - 60_000,
        endTime: TEST_NOW + 120_000, // REPORT lines land after their invocation's start
        nextToken,
      }),
    );
    for (const e of page.events ?? []) {
      const msg = e.message ?? "";
      const id = /RequestId: ([0-9a-f-]+)/.exec(msg)?.[1];
      if (!id) continue;
      if (msg.startsWith("START ")) starts.set(id, e.timestamp as number);
      if (msg.startsWith("REPORT ")) {
        const duration = Number(/\tDuration: ([\d.]+) ms/.exec(msg)?.[1]);
        const init = Number(/Init Duration: ([\d.]+) ms/.exec(msg)?.[1] ?? 0);
        reports.set(id, { duration, init });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const out: { arrivalMs: number; durationMs: number }[] = [];
  for (const [id, r] of reports) {
    const start = starts.get(id);
    if (start === undefined) continue;
    out.push({ arrivalMs: start - r.init, durationMs: r.duration });
  }
  return out;
}

/** Durations of the invocations that arrived in [t, t + periodMs), ascending; throws when rounding makes it moot. */
function durationsIn(t: number, periodMs: number): number[] {
  for (const i of invocations) {
    // START times are rounded to the ms and Init Duration to 0.01 ms: within 1 ms of an edge, the side is unknown.
    const nearEdge = Math.min(Math.abs(i.arrivalMs - t), Math.abs(i.arrivalMs - (t + periodMs))) < 1;
    if (nearEdge) throw new Error(`invocation at ${i.arrivalMs} is too close to a period edge to attribute`);
  }
  return invocations
    .filter((i) => i.arrivalMs >= t && i.arrivalMs < t + periodMs)
    .map((i) => i.durationMs)
    .sort((a, b) => a - b);
}

// ---- the statistics, written from the definitions page, independently of the sandbox -------------------------

/** ⌈q·n/100⌉ for q with at most one decimal, in integers (exact). */
const rank = (q: number, n: number) => Math.ceil((Math.round(q * 10) * n) / 1000);
const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pct = (v: number[], q: number) => v[Math.max(1, rank(q, v.length)) - 1] as number;
const keptByRank = (v: number[], lo: number, hi: number) => v.slice(rank(lo, v.length), rank(hi, v.length));
const keptByValue = (v: number[], lo: number, hi: number) => v.filter((x) => x > lo && x <= hi);
const mean = (xs: number[]) => (xs.length === 0 ? undefined : sumOf(xs) / xs.length);
const winsor = (v: number[], lo: number, hi: number) =>
  sumOf(v.map((x) => Math.min(hi, Math.max(lo, x)))) / v.length;

type Expect = (v: number[]) => number | undefined;

function statistics(lo: number, hi: number): Record<string, Expect> {
  return {
    p50: (v) => pct(v, 50),
    "p99.9": (v) => pct(v, 99.9),
    tm90: (v) => mean(keptByRank(v, 0, 90)),
    "TM(10%:90%)": (v) => mean(keptByRank(v, 10, 90)),
    IQM: (v) => mean(keptByRank(v, 25, 75)),
    [`TM(${lo}:${hi})`]: (v) => mean(keptByValue(v, lo, hi)),
    wm90: (v) => winsor(v, -Infinity, pct(v, 90)),
    "WM(5%:95%)": (v) => winsor(v, pct(v, 5), pct(v, 95)),
    [`WM(${lo}:${hi})`]: (v) => winsor(v, lo, hi),
    tc90: (v) => keptByRank(v, 0, 90).length,
    [`TC(${lo}:${hi})`]: (v) => keptByValue(v, lo, hi).length,
    ts90: (v) => sumOf(keptByRank(v, 0, 90)),
    "TS(10%:)": (v) => sumOf(keptByRank(v, 10, 100)),
    [`PR(:${hi})`]: (v) => (keptByValue(v, -Infinity, hi).length * 100) / v.length,
    [`PR(${lo}:${hi})`]: (v) => (keptByValue(v, lo, hi).length * 100) / v.length,
  };
}

let stats: Record<string, Expect>;
const ids = (names: string[]) => new Map(names.map((n, i) => [`s${i}`, n]));

function queries(names: string[], period: number): MetricDataQuery[] {
  return names.map((stat, i) => ({
    Id: `s${i}`,
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        Dimensions: [{ Name: "FunctionName", Value: FN }],
      },
      Period: period,
      Stat: stat,
    },
  }));
}

/** What each statistic should read per period start, from the REPORT lines. */
function expected(names: string[], periodMs: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const name of names) {
    const points: [number, number][] = [];
    for (let t = FROM; t < TEST_NOW; t += periodMs) {
      const v = durationsIn(t, periodMs);
      const value = v.length > 0 ? (stats[name] as Expect)(v) : undefined;
      if (value !== undefined) points.push([t, value]);
    }
    out.set(name, points);
  }
  return out;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
  const client = { endpoint: sandbox.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  cw = new CloudWatchClient(client);
  logs = new CloudWatchLogsClient(client);
  invocations = await readInvocations();
  // Absolute bounds from the data itself (its quartiles, rounded), so they cut through the samples.
  const all = invocations.map((i) => i.durationMs).sort((a, b) => a - b);
  stats = statistics(Math.round(pct(all, 25)), Math.round(pct(all, 75)));
});

afterAll(async () => {
  cw.destroy();
  logs.destroy();
  await sandbox.close();
});

describe("extended statistics through the SDK equal the REPORT lines' own", () => {
  it.each([60, 300])("Period %i", async (period) => {
    const names = Object.keys(stats);
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries(names, period),
        StartTime: new Date(FROM),
        EndTime: new Date(TEST_NOW),
        ScanBy: "TimestampAscending",
      }),
    );
    const byId = ids(names);
    const want = expected(names, period * 1000);
    expect(out.MetricDataResults).toHaveLength(names.length);
    for (const r of out.MetricDataResults ?? []) {
      const name = byId.get(r.Id as string) as string;
      const got = (r.Timestamps ?? []).map((t, i): [number, number] => [
        t.getTime(),
        r.Values?.[i] as number,
      ]);
      expect({ name, points: got }).toEqual({ name, points: want.get(name) });
    }
    expect((want.get("p50") ?? []).length).toBe(600 / period); // every period had invocations
  });
});

describe("through the aws CLI", () => {
  const window = [
    "--start-time",
    new Date(FROM).toISOString(),
    "--end-time",
    new Date(TEST_NOW).toISOString(),
  ];

  it("get-metric-data and get-metric-statistics read the same values", async () => {
    const names = ["tm90", "IQM", "WM(5%:95%)", "TS(10%:)", "p99.9"];
    const want = expected(names, 300_000);
    const gmd = await awsCliJson<{ MetricDataResults: { Id: string; Values: number[] }[] }>(sandbox.url, [
      "cloudwatch",
      "get-metric-data",
      "--scan-by",
      "TimestampAscending",
      "--metric-data-queries",
      JSON.stringify(queries(names, 300)),
      ...window,
    ]);
    const byId = ids(names);
    for (const r of gmd.MetricDataResults) {
      expect(r.Values).toEqual(want.get(byId.get(r.Id) as string)?.map(([, v]) => v));
    }
    const gms = await awsCliJson<{
      Datapoints: { Timestamp: number | string; ExtendedStatistics: Record<string, number> }[];
    }>(sandbox.url, [
      "cloudwatch",
      "get-metric-statistics",
      "--namespace",
      "AWS/Lambda",
      "--metric-name",
      "Duration",
      "--dimensions",
      `Name=FunctionName,Value=${FN}`,
      "--period",
      "300",
      "--extended-statistics",
      ...names,
      ...window,
    ]);
    // CLI v1 prints timestamps as the wire has them: epoch seconds for awsJson1_0.
    const ms = (t: number | string) => (typeof t === "number" ? t * 1000 : Date.parse(t));
    const points = [...gms.Datapoints].sort((a, b) => ms(a.Timestamp) - ms(b.Timestamp));
    for (const name of names) {
      expect(points.map((p) => [ms(p.Timestamp), p.ExtendedStatistics[name]])).toEqual(want.get(name));
    }
  });

  it("refuses what CloudWatch refuses, with its codes", async () => {
    const bad = ["p101", "TM(10%:500)", "PR(10%:50%)", "TM(90%:10%)", "tm", "Median"];
    const r = await awsCli(sandbox.url, [
      "cloudwatch",
      "get-metric-data",
      "--metric-data-queries",
      JSON.stringify([...queries(["p50"], 60), ...queries(bad, 60).map((q, i) => ({ ...q, Id: `b${i}` }))]),
      ...window,
    ]);
    expect(r.ok ? null : r.errorCode).toBe("ValidationError");
    if (!r.ok) {
      bad.forEach((stat, i) =>
        expect(r.stderr).toContain(
          `The value ${stat} for parameter MetricDataQueries.member.${i + 2}.MetricStat.Stat is not a valid statistic.`,
        ),
      );
      expect(r.stderr).not.toContain("member.1.MetricStat");
    }
    const gms = (extra: string[]) =>
      awsCli(sandbox.url, [
        "cloudwatch",
        "get-metric-statistics",
        "--namespace",
        "AWS/Lambda",
        "--metric-name",
        "Duration",
        "--period",
        "60",
        ...extra,
        ...window,
      ]);
    const both = await gms(["--statistics", "Sum", "--extended-statistics", "p90"]);
    expect(both.ok ? null : both.errorCode).toBe("InvalidParameterCombination");
    const code = (input: Partial<GetMetricStatisticsCommandInput>) =>
      cw
        .send(
          new GetMetricStatisticsCommand({
            Namespace: "AWS/Lambda",
            MetricName: "Duration",
            Period: 60,
            StartTime: new Date(FROM),
            EndTime: new Date(TEST_NOW),
            ...input,
          }),
        )
        .then(
          () => null,
          (e: { Code?: string }) => e.Code,
        );
    expect(await code({ Statistics: ["Median" as "Sum"] })).toBe("InvalidParameterValue");
    expect(await code({ ExtendedStatistics: ["TM(10%:500)"] })).toBe("InvalidParameterValue");
    expect(await code({})).toBe("MissingParameter");
    // Two days of 1-minute periods: 2,880 datapoints, over GetMetricStatistics' 1,440.
    expect(await code({ ExtendedStatistics: ["p50"], StartTime: new Date(TEST_NOW - 2 * 86_400_000) })).toBe(
      "InvalidParameterCombination",
    );
  });
});
