/**
 * The sandbox's CloudWatch over HTTP, through the SDK (awsJson1_0) and the aws CLI (botocore), checked against
 * the simulator's ground truth: metrics must agree with the invocations and throttles the simulator produced.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox, SimFunction } from "../../src/index";
import { awsCli, awsCliJson } from "../support/awscli";
import { TEST_CREDENTIALS, TEST_NOW, startTestSandbox } from "../support/sandbox";

let sb: Sandbox;
let cw: CloudWatchClient;
const HOUR = 3_600_000;
const from = new Date(TEST_NOW - HOUR);
const to = new Date(TEST_NOW);

beforeAll(async () => {
  sb = await startTestSandbox();
  cw = new CloudWatchClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  cw.destroy();
  await sb.close();
});

const fnNamed = (name: string): SimFunction => {
  const f = sb.account.regions.get("us-east-1")?.functions.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
};

const q = (
  id: string,
  metric: string,
  stat: string,
  fn: string,
  period = 60,
  returnData = true,
): MetricDataQuery => ({
  Id: id,
  ReturnData: returnData,
  MetricStat: {
    Metric: {
      Namespace: "AWS/Lambda",
      MetricName: metric,
      Dimensions: [{ Name: "FunctionName", Value: fn }],
    },
    Period: period,
    Stat: stat,
  },
});

async function fetchAll(queries: MetricDataQuery[], maxDatapoints?: number) {
  const byId = new Map<string, MetricDataResult>();
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: from,
        EndTime: to,
        ScanBy: "TimestampAscending",
        NextToken: token,
        MaxDatapoints: maxDatapoints,
      }),
    );
    pages++;
    for (const r of out.MetricDataResults ?? []) {
      const acc = byId.get(r.Id as string);
      if (!acc)
        byId.set(r.Id as string, {
          ...r,
          Timestamps: [...(r.Timestamps ?? [])],
          Values: [...(r.Values ?? [])],
        });
      else {
        acc.Timestamps?.push(...(r.Timestamps ?? []));
        acc.Values?.push(...(r.Values ?? []));
        acc.StatusCode = r.StatusCode;
      }
    }
    token = out.NextToken;
  } while (token && pages < 50);
  return { byId, pages };
}

/** Nearest-rank percentile, computed here independently from the simulator's invocations. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

describe("GetMetricData through the SDK", () => {
  it("Invocations Sum over a window equals the simulator's invocations; p99 matches the invocation durations", async () => {
    const fn = fnNamed("payments-api");
    const minutes = sb.ctx.sim.minutes(fn, from.getTime(), to.getTime());
    const invocations = minutes.flatMap((m) => m.invocations);
    expect(invocations.length).toBeGreaterThan(0);
    const { byId } = await fetchAll([
      q("n", "Invocations", "Sum", fn.name, 3600),
      q("p", "Duration", "p99", fn.name, 3600),
    ]);
    expect(byId.get("n")?.Values).toEqual([invocations.length]);
    expect(byId.get("n")?.Timestamps?.map((t) => t.getTime())).toEqual([from.getTime()]);
    expect(byId.get("p")?.Values).toEqual([
      nearestRank(
        invocations.map((i) => i.durationMs),
        99,
      ),
    ]);
  });

  it("per-minute Sum and p99 match minute by minute, and idle minutes have no datapoint", async () => {
    const fn = fnNamed("notify-sms"); // bursty with idle gaps
    const minutes = sb.ctx.sim.minutes(fn, from.getTime(), to.getTime());
    const busy = minutes.filter((m) => m.invocations.length > 0);
    const { byId } = await fetchAll([
      q("n", "Invocations", "Sum", fn.name),
      q("p", "Duration", "p99", fn.name),
    ]);
    expect(byId.get("n")?.Timestamps?.map((t) => t.getTime())).toEqual(busy.map((m) => m.minuteMs));
    expect(byId.get("n")?.Values).toEqual(busy.map((m) => m.invocations.length));
    expect(byId.get("p")?.Values).toEqual(
      busy.map((m) =>
        nearestRank(
          m.invocations.map((i) => i.durationMs),
          99,
        ),
      ),
    );
  });

  it("Throttles Sum equals the sum of MinuteRecord.throttles", async () => {
    const fn = fnNamed("webhook-ingest");
    const day = { from: TEST_NOW - 24 * HOUR, to: TEST_NOW };
    const expected = sb.ctx.sim.minutes(fn, day.from, day.to).reduce((s, m) => s + m.throttles, 0);
    expect(expected).toBeGreaterThan(0);
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [q("t", "Throttles", "Sum", fn.name, 86_400)],
        StartTime: new Date(day.from),
        EndTime: new Date(day.to),
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values).toEqual([expected]);
  });

  it("evaluates metric math over ReturnData=false inputs", async () => {
    const fn = "payments-api";
    const { byId } = await fetchAll([
      q("errors", "Errors", "Sum", fn, 300, false),
      q("invocations", "Invocations", "Sum", fn, 300, false),
      { Id: "rate", Expression: "100*errors/invocations", Label: "Error rate (%)" },
    ]);
    expect([...byId.keys()]).toEqual(["rate"]);
    const rate = byId.get("rate") as MetricDataResult;
    expect(rate.Label).toBe("Error rate (%)");
    expect(rate.Values).toHaveLength(12);
    const minutes = sb.ctx.sim.minutes(fnNamed(fn), from.getTime(), from.getTime() + 300_000);
    const inv = minutes.flatMap((m) => m.invocations);
    const errors = inv.filter((i) => i.outcome !== "success").length;
    expect(rate.Values?.[0]).toBeCloseTo((100 * errors) / inv.length, 10);
  });

  it("pages with MaxDatapoints and NextToken to the same data as one call", async () => {
    const queries = ["orders-api", "payments-api", "image-resizer"].map((f, i) =>
      q(`q${i}`, "Invocations", "Sum", f),
    );
    const one = await fetchAll(queries);
    const paged = await fetchAll(queries, 25);
    expect(one.pages).toBe(1);
    expect(paged.pages).toBeGreaterThan(5);
    for (const [id, r] of one.byId) {
      expect(paged.byId.get(id)?.Values).toEqual(r.Values);
      expect(paged.byId.get(id)?.Timestamps).toEqual(r.Timestamps);
      expect(paged.byId.get(id)?.StatusCode).toBe("Complete");
    }
  });

  it("rejects 501 queries with ValidationError (query code) / ValidationException (JSON type)", async () => {
    const queries = Array.from({ length: 501 }, (_, i) => q(`q${i}`, "Invocations", "Sum", "payments-api"));
    const err = await cw
      .send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: from, EndTime: to }))
      .then(
        () => null,
        (e: unknown) =>
          e as { name: string; Code: string; message: string; $metadata: { httpStatusCode: number } },
      );
    expect(err?.name).toBe("ValidationException");
    expect(err?.Code).toBe("ValidationError");
    expect(err?.$metadata.httpStatusCode).toBe(400);
    expect(err?.message).toBe("The collection MetricDataQueries must not have a size greater than 500.");
  });
});

describe("CloudWatch through the aws CLI", () => {
  const window = ["--start-time", from.toISOString(), "--end-time", to.toISOString()];

  it("get-metric-data with p99 and Sum", async () => {
    const queries = [
      q("n", "Invocations", "Sum", "orders-api", 3600),
      q("p", "Duration", "p99", "orders-api", 3600),
    ];
    const out = await awsCliJson<{ MetricDataResults: { Id: string; Values: number[] }[] }>(sb.url, [
      "cloudwatch",
      "get-metric-data",
      "--metric-data-queries",
      JSON.stringify(queries),
      ...window,
    ]);
    const inv = sb.ctx.sim
      .minutes(fnNamed("orders-api"), from.getTime(), to.getTime())
      .flatMap((m) => m.invocations);
    expect(out.MetricDataResults.find((r) => r.Id === "n")?.Values).toEqual([inv.length]);
    expect(out.MetricDataResults.find((r) => r.Id === "p")?.Values).toEqual([
      nearestRank(
        inv.map((i) => i.durationMs),
        99,
      ),
    ]);
  });

  it("reports the query-compatible ValidationError code for 501 queries and for unsupported math", async () => {
    const many = Array.from({ length: 501 }, (_, i) => q(`q${i}`, "Invocations", "Sum", "orders-api"));
    const r = await awsCli(sb.url, [
      "cloudwatch",
      "get-metric-data",
      "--metric-data-queries",
      JSON.stringify(many),
      ...window,
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errorCode).toBe("ValidationError");
      expect(r.stderr).toMatch(/must not have a size greater than 500/);
    }
    const fill = [q("m", "Invocations", "Sum", "orders-api"), { Id: "e", Expression: "FILL(m, 0)" }];
    const f = await awsCli(sb.url, [
      "cloudwatch",
      "get-metric-data",
      "--metric-data-queries",
      JSON.stringify(fill),
      ...window,
    ]);
    expect(f.ok ? null : f.errorCode).toBe("ValidationError");
  });

  it("returns a NextToken when MaxDatapoints cuts the result", async () => {
    const out = await awsCliJson<{
      NextToken?: string;
      MetricDataResults: { StatusCode: string; Values: number[] }[];
    }>(sb.url, [
      "cloudwatch",
      "get-metric-data",
      "--no-paginate",
      "--max-datapoints",
      "10",
      "--metric-data-queries",
      JSON.stringify([q("n", "Invocations", "Sum", "orders-api")]),
      ...window,
    ]);
    expect(out.NextToken).toEqual(expect.any(String));
    expect(out.MetricDataResults[0]).toMatchObject({ StatusCode: "PartialData" });
    expect(out.MetricDataResults[0]?.Values).toHaveLength(10);
  });

  it("list-metrics filters by metric and dimension", async () => {
    const out = await awsCliJson<{
      Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[];
    }>(sb.url, [
      "cloudwatch",
      "list-metrics",
      "--namespace",
      "AWS/Lambda",
      "--metric-name",
      "Errors",
      "--dimensions",
      "Name=FunctionName,Value=payments-api",
    ]);
    const dims = out.Metrics.map((m) => m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(","));
    expect(dims).toContain("FunctionName=payments-api");
    expect(dims).toContain("FunctionName=payments-api,Resource=payments-api:live,ExecutedVersion=8");
    expect(out.Metrics.every((m) => m.MetricName === "Errors")).toBe(true);
  });

  it("describe-alarms --state-value ALARM lists the failing canary", async () => {
    const out = await awsCliJson<{ MetricAlarms: { AlarmName: string; StateValue: string }[] }>(sb.url, [
      "cloudwatch",
      "describe-alarms",
      "--state-value",
      "ALARM",
    ]);
    expect(out.MetricAlarms.map((a) => a.AlarmName)).toContain("payments-api-canary-errors");
    expect(out.MetricAlarms.every((a) => a.StateValue === "ALARM")).toBe(true);
    const all = await awsCliJson<{ MetricAlarms: { AlarmName: string; StateValue: string }[] }>(sb.url, [
      "cloudwatch",
      "describe-alarms",
    ]);
    expect(all.MetricAlarms.filter((a) => a.StateValue !== "ALARM").length).toBeGreaterThan(0);
  });
});
