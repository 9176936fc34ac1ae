import { describe, expect, it } from "vitest";
import { handleCloudWatch } from "../../src/cloudwatch/handler";
import type { SandboxContext, SandboxResponse } from "../../src/http/types";
import type { MinuteRecord, Simulator } from "../../src/sim/types";
import { MIN, NOW, context, fn, inv, minute, request, sec } from "../support/cloudwatch-fixture";

const api = fn("api", { aliases: [] });
const other = fn("other");
const t10 = NOW - 10 * MIN;
const t8 = NOW - 8 * MIN;
const t5 = NOW - 5 * MIN;
const OLD = NOW - 16 * 86_400_000; // older than 15 days: 1-minute data is gone

const records = new Map<string, MinuteRecord[]>([
  [
    "api",
    [
      minute(t10, [
        inv("api", t10 + 1000, 10, { alias: "live", version: "1" }),
        inv("api", t10 + 2000, 20, { alias: "live", version: "1", outcome: "error" }),
        inv("api", t10 + 3000, 30, { alias: "live", version: "1" }),
        inv("api", t10 + 4000, 40, { alias: "live", version: "1" }),
      ]),
      minute(
        t8,
        [
          inv("api", t8 + 1000, 100, { alias: "live", version: "2" }),
          inv("api", t8 + 2000, 200, { alias: "live", version: "2", outcome: "timeout" }),
        ],
        { throttles: 3, concurrency: 2 },
      ),
      minute(t5, [inv("api", t5 + 1000, 5)]),
    ],
  ],
  ["other", [minute(t8, [inv("other", t8, 7, { outcome: "oom" })]), minute(OLD, [inv("other", OLD, 9)])]],
]);

const ctx = () => context([api, other], records);

interface Query {
  Id: string;
  MetricStat?: unknown;
  Expression?: string;
  ReturnData?: boolean;
  Label?: string;
}

const stat = (
  id: string,
  metricName: string,
  s: string,
  opts: { period?: number; dims?: Record<string, string>; unit?: string } = {},
): Query => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: "AWS/Lambda",
      MetricName: metricName,
      Dimensions: Object.entries(opts.dims ?? { FunctionName: "api" }).map(([Name, Value]) => ({
        Name,
        Value,
      })),
    },
    Period: opts.period ?? 60,
    Stat: s,
    ...(opts.unit ? { Unit: opts.unit } : {}),
  },
});

interface Result {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: string;
}

async function call(c: SandboxContext, target: string, body: unknown): Promise<SandboxResponse> {
  return handleCloudWatch(request(target, body), c);
}

async function gmd(queries: Query[], extra: Record<string, unknown> = {}, c = ctx()) {
  const res = await call(c, "GetMetricData", {
    MetricDataQueries: queries,
    StartTime: sec(NOW - 15 * MIN),
    EndTime: sec(NOW),
    ScanBy: "TimestampAscending",
    ...extra,
  });
  const body = JSON.parse(String(res.body)) as {
    MetricDataResults: Result[];
    NextToken?: string;
    message?: string;
  };
  return { res, body, byId: (id: string) => body.MetricDataResults.find((r) => r.Id === id) as Result };
}

describe("GetMetricData aggregation", () => {
  it("counts invocations per minute and omits empty minutes", async () => {
    const { byId } = await gmd([stat("inv", "Invocations", "Sum")]);
    expect(byId("inv")).toMatchObject({
      Label: "Invocations",
      Timestamps: [sec(t10), sec(t8), sec(t5)],
      Values: [4, 2, 1],
      StatusCode: "Complete",
    });
  });

  it("returns newest first by default (TimestampDescending)", async () => {
    const { byId } = await gmd([stat("inv", "Invocations", "Sum")], { ScanBy: undefined });
    expect(byId("inv").Timestamps).toEqual([sec(t5), sec(t8), sec(t10)]);
    expect(byId("inv").Values).toEqual([1, 2, 4]);
  });

  it("counts error, timeout and oom outcomes as Errors and reports 0 for a busy minute without errors", async () => {
    const { byId } = await gmd([
      stat("e", "Errors", "Sum"),
      stat("n", "Errors", "SampleCount"),
      stat("o", "Errors", "Sum", { dims: { FunctionName: "other" } }),
    ]);
    expect(byId("e").Values).toEqual([1, 1, 0]);
    expect(byId("n").Values).toEqual([4, 2, 1]);
    expect(byId("o")).toMatchObject({ Timestamps: [sec(t8)], Values: [1] });
  });

  it("computes Duration statistics and nearest-rank percentiles over the invocations of each period", async () => {
    const { byId } = await gmd([
      stat("p50", "Duration", "p50"),
      stat("p99", "Duration", "p99"),
      stat("p999", "Duration", "p99.9"),
      stat("avg", "Duration", "Average"),
      stat("min", "Duration", "Minimum"),
      stat("max", "Duration", "Maximum"),
      stat("cnt", "Duration", "SampleCount"),
    ]);
    expect(byId("p50").Values).toEqual([20, 100, 5]);
    expect(byId("p99").Values).toEqual([40, 200, 5]);
    expect(byId("p999").Values).toEqual([40, 200, 5]);
    expect(byId("avg").Values).toEqual([25, 150, 5]);
    expect(byId("min").Values).toEqual([10, 100, 5]);
    expect(byId("max").Values).toEqual([40, 200, 5]);
    expect(byId("cnt").Values).toEqual([4, 2, 1]);
  });

  it("rounds the start down to the minute and groups periods from there, not from the epoch", async () => {
    // Start 12:50:30 → 11:50:00; 300 s periods at :50 and :55 (minutes -10 and -8 fall in the first).
    const { byId } = await gmd(
      [
        stat("inv", "Invocations", "Sum", { period: 300 }),
        stat("p90", "Duration", "p90", { period: 300 }),
        stat("ep50", "Errors", "p50", { period: 300 }),
        stat("ep90", "Errors", "p90", { period: 300 }),
      ],
      { StartTime: sec(t10 + 30_000) },
    );
    expect(byId("inv").Timestamps).toEqual([sec(t10), sec(t5)]);
    expect(byId("inv").Values).toEqual([6, 1]);
    expect(byId("p90").Values).toEqual([200, 5]); // [10,20,30,40,100,200]: rank ceil(5.4) = 6
    expect(byId("ep50").Values).toEqual([0, 0]); // six 0/1 samples, two 1s: rank 3 is a 0
    expect(byId("ep90").Values).toEqual([1, 0]); // rank 6 is a 1
  });

  it("treats EndTime as exclusive", async () => {
    const { byId } = await gmd([stat("inv", "Invocations", "Sum")], { EndTime: sec(t5) });
    expect(byId("inv").Timestamps).toEqual([sec(t10), sec(t8)]);
  });

  it("serves Resource and ExecutedVersion series for alias invocations only", async () => {
    const { byId } = await gmd([
      stat("r", "Invocations", "Sum", { dims: { FunctionName: "api", Resource: "api:live" } }),
      stat("v2", "Invocations", "Sum", {
        dims: { FunctionName: "api", Resource: "api:live", ExecutedVersion: "2" },
      }),
      stat("v2e", "Errors", "Average", {
        dims: { FunctionName: "api", Resource: "api:live", ExecutedVersion: "2" },
      }),
      stat("latest", "Invocations", "Sum", { dims: { FunctionName: "api", Resource: "api:$LATEST" } }),
    ]);
    expect(byId("r").Values).toEqual([4, 2]);
    expect(byId("v2")).toMatchObject({ Timestamps: [sec(t8)], Values: [2] });
    expect(byId("v2e").Values).toEqual([0.5]);
    expect(byId("latest").Values).toEqual([]);
  });

  it("counts throttles at function level, with 0 in busy minutes and nothing in idle ones", async () => {
    const { byId } = await gmd([stat("t", "Throttles", "Sum"), stat("c", "ConcurrentExecutions", "Maximum")]);
    expect(byId("t")).toMatchObject({ Timestamps: [sec(t10), sec(t8), sec(t5)], Values: [0, 3, 0] });
    expect(byId("c").Values).toEqual([1, 2, 1]);
  });

  it("aggregates the region (no dimensions) across functions", async () => {
    const { byId } = await gmd([stat("inv", "Invocations", "Sum", { dims: {} })]);
    expect(byId("inv").Values).toEqual([4, 3, 1]);
  });

  it("answers unknown metrics, dimension sets and namespaces with a Complete empty result", async () => {
    const { byId, res } = await gmd([
      stat("a", "IteratorAge", "Maximum"),
      stat("b", "Invocations", "Sum", { dims: { FunctionName: "api", Color: "blue" } }),
      stat("c", "Invocations", "Sum", { dims: { FunctionName: "nope" } }),
      {
        Id: "d",
        MetricStat: {
          Metric: { Namespace: "AWS/EC2", MetricName: "CPUUtilization" },
          Period: 60,
          Stat: "Sum",
        },
      },
    ]);
    expect(res.status).toBe(200);
    for (const id of ["a", "b", "c", "d"]) {
      expect(byId(id)).toMatchObject({ Timestamps: [], Values: [], StatusCode: "Complete" });
    }
  });

  it("returns nothing when Unit does not match the metric's unit", async () => {
    const { byId } = await gmd([
      stat("ms", "Duration", "Maximum", { unit: "Milliseconds" }),
      stat("sec", "Duration", "Maximum", { unit: "Seconds" }),
    ]);
    expect(byId("ms").Values).toEqual([40, 200, 5]);
    expect(byId("sec").Values).toEqual([]);
  });

  it("applies retention: data older than 15 days needs a period that is a multiple of 300", async () => {
    const window = { StartTime: sec(OLD - 10 * MIN), EndTime: sec(OLD + 10 * MIN) };
    const dims = { FunctionName: "other" };
    const { byId } = await gmd(
      [stat("m1", "Invocations", "Sum", { dims }), stat("m5", "Invocations", "Sum", { dims, period: 300 })],
      window,
    );
    expect(byId("m1").Values).toEqual([]);
    expect(byId("m5")).toMatchObject({ Values: [1], Timestamps: [sec(Math.floor(OLD / 300_000) * 300_000)] });
  });

  it("simulates each function's window once per request, however many queries read it", async () => {
    const c = ctx();
    await gmd(
      [
        stat("a", "Invocations", "Sum"),
        stat("b", "Duration", "p99"),
        stat("d", "Errors", "Sum", { period: 300 }),
      ],
      {},
      c,
    );
    expect((c.sim as Simulator & { calls: number }).calls).toBe(1);
  });
});

describe("GetMetricData metric math", () => {
  it("evaluates arithmetic over other queries and hides ReturnData=false inputs", async () => {
    const { body, byId } = await gmd([
      { ...stat("errors", "Errors", "Sum"), ReturnData: false },
      { ...stat("invocations", "Invocations", "Sum"), ReturnData: false },
      { Id: "rate", Expression: "100*errors/invocations" },
      { Id: "shifted", Expression: "-(rate - 50) * 2 ^ 2 / (1 + 1)", Label: "shifted" },
    ]);
    expect(body.MetricDataResults.map((r) => r.Id)).toEqual(["rate", "shifted"]);
    expect(byId("rate")).toMatchObject({ Label: "rate", Values: [25, 50, 0] });
    expect(byId("shifted").Values).toEqual([50, 0, 100]);
  });

  it("computes series∘series only where both have a datapoint and drops division by zero", async () => {
    const { byId } = await gmd([
      { ...stat("t", "Throttles", "Sum"), ReturnData: false },
      {
        ...stat("v2", "Invocations", "Sum", {
          dims: { FunctionName: "api", Resource: "api:live", ExecutedVersion: "2" },
        }),
        ReturnData: false,
      },
      { Id: "x", Expression: "t + v2" },
      { Id: "y", Expression: "v2 / t" },
    ]);
    expect(byId("x")).toMatchObject({ Timestamps: [sec(t8)], Values: [5] });
    expect(byId("y")).toMatchObject({ Timestamps: [sec(t8)], Values: [2 / 3] });
    const z = await gmd([
      { ...stat("t", "Throttles", "Sum"), ReturnData: false },
      { Id: "z", Expression: "1 / t" },
    ]);
    expect(z.byId("z")).toMatchObject({ Timestamps: [sec(t8)], Values: [1 / 3] });
  });

  it.each([
    ["FILL(m, 0)", /function FILL/],
    ["SEARCH('{AWS/Lambda} Errors', 'Sum', 60)", /function SEARCH/],
    ["METRICS()", /function METRICS/],
    ["m + nope", /Unrecognized identifier 'nope'/],
    ["m +", /Unexpected end/],
    ["(m", /closing parenthesis/],
    ["m > 1", /Unsupported character '>'/],
    ["3 * 4", /at least one metric/],
  ])("rejects the whole request for %s", async (expression, message) => {
    const { res, body } = await gmd([stat("m", "Invocations", "Sum"), { Id: "e", Expression: expression }]);
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("ValidationError;Sender");
    expect(body.message).toMatch(message);
  });

  it("rejects circular expressions", async () => {
    const { res, body } = await gmd([
      { Id: "a", Expression: "b + 1" },
      { Id: "b", Expression: "a * 2" },
    ]);
    expect(res.status).toBe(400);
    expect(body.message).toMatch(/Circular/);
  });
});

describe("GetMetricData limits and validation", () => {
  it("rejects more than 500 queries with CloudWatch's message", async () => {
    const queries = Array.from({ length: 501 }, (_, i) => stat(`q${i}`, "Invocations", "Sum"));
    const { res, body } = await gmd(queries);
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("ValidationError;Sender");
    expect(body.message).toBe("The collection MetricDataQueries must not have a size greater than 500.");
    const ok = await gmd(queries.slice(0, 500));
    expect(ok.res.status).toBe(200);
    expect(ok.body.MetricDataResults).toHaveLength(500);
  });

  it.each([
    [[stat("a", "Invocations", "Average"), stat("a", "Invocations", "Sum")], /not unique/],
    [[stat("A1", "Invocations", "Sum")], /member\.1\.Id/],
    [[stat("a", "Invocations", "p101")], /member\.1\.MetricStat\.Stat is not a valid statistic/],
    [[stat("a", "Invocations", "Median")], /not a valid statistic/],
    [[stat("a", "Invocations", "TM(10%:500)")], /value TM\(10%:500\) for parameter .*not a valid statistic/],
    [[stat("a", "Invocations", "Sum", { period: 45 })], /Period must be a multiple of 60/],
    [[{ Id: "a" }], /Exactly one element of MetricStat or Expression/],
  ])("rejects invalid queries (%#)", async (queries, message) => {
    const { res, body } = await gmd(queries as Query[]);
    expect(res.status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it("rejects StartTime not before EndTime", async () => {
    const { res, body } = await gmd([stat("a", "Invocations", "Sum")], {
      StartTime: sec(NOW),
      EndTime: sec(NOW),
    });
    expect(res.status).toBe(400);
    expect(body.message).toMatch(/StartTime must be less than/);
  });

  it("pages by MaxDatapoints across queries, PartialData until the last page, same data as unpaged", async () => {
    const queries = [stat("inv", "Invocations", "Sum"), stat("dur", "Duration", "Maximum")];
    const full = await gmd(queries);
    const c = ctx();
    const pages: Result[][] = [];
    let token: string | undefined;
    do {
      const p = await gmd(queries, { MaxDatapoints: 2, NextToken: token }, c);
      expect(p.res.status).toBe(200);
      const points = p.body.MetricDataResults.reduce((n, r) => n + r.Timestamps.length, 0);
      expect(points).toBeLessThanOrEqual(2);
      pages.push(p.body.MetricDataResults);
      token = p.body.NextToken;
    } while (token && pages.length < 10);
    expect(pages).toHaveLength(3);
    expect(pages[0]?.map((r) => [r.Id, r.StatusCode])).toEqual([["inv", "PartialData"]]);
    expect(pages[2]?.at(-1)?.StatusCode).toBe("Complete");
    for (const id of ["inv", "dur"]) {
      const merged = pages.flat().filter((r) => r.Id === id);
      expect(merged.flatMap((r) => r.Timestamps)).toEqual(full.byId(id).Timestamps);
      expect(merged.flatMap((r) => r.Values)).toEqual(full.byId(id).Values);
    }
  });

  it("rejects a NextToken from another request", async () => {
    const first = await gmd([stat("inv", "Invocations", "Sum")], { MaxDatapoints: 1 });
    expect(first.body.NextToken).toBeDefined();
    const { res } = await gmd([stat("dur", "Duration", "Sum")], { NextToken: first.body.NextToken });
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("InvalidNextToken;Sender");
  });
});

describe("CloudWatch awsJson1_0 protocol", () => {
  it("answers unknown targets with UnknownOperationException", async () => {
    const res = await call(ctx(), "PutMetricData", {});
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body))).toMatchObject({ __type: "UnknownOperationException" });
    expect(res.headers?.["content-type"]).toBe("application/x-amz-json-1.0");
  });

  it("answers a malformed body with SerializationException", async () => {
    const res = await handleCloudWatch(request("GetMetricData", "{not json"), ctx());
    expect(res.status).toBe(400);
    expect(res.headers?.["x-amzn-query-error"]).toBe("SerializationException;Sender");
  });

  it("reports a missing required member as a ValidationError", async () => {
    const res = await call(ctx(), "GetMetricData", { MetricDataQueries: [] });
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body)).message).toMatch(/StartTime/);
  });
});
