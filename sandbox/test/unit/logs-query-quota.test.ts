/**
 * The concurrent Logs Insights query quota (logs/queries.ts): a query holds a slot of its account and region from
 * StartQuery until it is Complete, Failed or Cancelled; StartQuery beyond the quota is LimitExceededException in
 * the awsJson1_1 error shape. Also the option and CLI flag that set it.
 */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli";
import type { SandboxContext } from "../../src/http/types";
import { handleLogs } from "../../src/logs/handler";
import { DEFAULT_CONCURRENT_QUERIES } from "../../src/logs/queries";
import { startSandbox } from "../../src/index";
import { context, inv, MINUTE, NOW, request, simFn } from "../support/logs-fixtures";

const fn = simFn({ name: "a", logGroup: "/aws/lambda/a" });
const invs = Array.from({ length: 30 }, (_, k) =>
  inv({ functionName: "a", startMs: NOW - 40 * MINUTE + k * MINUTE }),
);

function withQuota(concurrentQueries?: number): SandboxContext {
  const ctx = context([fn], { a: invs });
  // A second region with the same function, to show the quota is counted per region.
  const east = ctx.account.regions.get("us-east-1")!;
  ctx.account.regions.set("eu-west-1", { ...east, region: "eu-west-1" });
  return { ...ctx, quotas: { concurrentQueries } };
}

async function call(ctx: SandboxContext, op: string, body: unknown, region = "us-east-1") {
  const res = await handleLogs({ ...request(op, body), region }, ctx);
  return { status: res.status, json: JSON.parse(String(res.body)), type: res.headers?.["x-amzn-errortype"] };
}

const START = {
  logGroupName: "/aws/lambda/a",
  startTime: (NOW - 3_600_000) / 1000,
  endTime: NOW / 1000,
  queryString: 'filter @type = "REPORT" | stats count(*) as n',
};

/**
 * Lets the queued query steps run to the end: each step is one setImmediate turn, and these queries take a
 * handful; counting turns rather than waiting a time keeps the test independent of the machine's load.
 */
const drain = async () => {
  for (let i = 0; i < 100; i++) await new Promise<void>((r) => setImmediate(r));
};

describe("concurrent query quota", () => {
  it("defaults to AWS's 100", () => {
    expect(DEFAULT_CONCURRENT_QUERIES).toBe(100);
  });

  it("refuses a StartQuery beyond the quota with LimitExceededException, per region", async () => {
    const ctx = withQuota(2);
    // Started in the same turn: none has run a step yet, so all hold their slots.
    const a = await call(ctx, "StartQuery", START);
    const b = await call(ctx, "StartQuery", START);
    const c = await call(ctx, "StartQuery", START);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(c).toEqual({
      status: 400,
      type: "LimitExceededException",
      json: {
        __type: "LimitExceededException",
        message: "Account maximum query concurrency limit of [2] reached.",
      },
    });
    // Another region of the account has its own slots.
    expect((await call(ctx, "StartQuery", START, "eu-west-1")).status).toBe(200);
    await drain();
    // Complete queries hold no slot, whether or not their results were fetched.
    expect((await call(ctx, "GetQueryResults", { queryId: a.json.queryId })).json.status).toBe("Running");
    expect((await call(ctx, "GetQueryResults", { queryId: a.json.queryId })).json.status).toBe("Complete");
    expect((await call(ctx, "StartQuery", START)).status).toBe(200);
    expect((await call(ctx, "StartQuery", START)).status).toBe(200);
    await drain();
  });

  it("frees the slot of a stopped query at once", async () => {
    const ctx = withQuota(1);
    const a = await call(ctx, "StartQuery", START);
    expect((await call(ctx, "StartQuery", START)).type).toBe("LimitExceededException");
    expect((await call(ctx, "StopQuery", { queryId: a.json.queryId })).json).toEqual({ success: true });
    expect((await call(ctx, "StartQuery", START)).status).toBe(200);
    await drain();
  });

  it("validates the request before counting: a bad query gets its own error at the limit", async () => {
    const ctx = withQuota(1);
    await call(ctx, "StartQuery", START);
    expect((await call(ctx, "StartQuery", { ...START, queryString: "stats nope(x)" })).type).toBe(
      "MalformedQueryException",
    );
    expect((await call(ctx, "StartQuery", { ...START, logGroupName: "/nope" })).type).toBe(
      "ResourceNotFoundException",
    );
    await drain();
  });

  it("is set by SandboxOptions.maxConcurrentQueries and --max-concurrent-queries", async () => {
    expect(parseArgs(["--max-concurrent-queries", "3"]).options["max-concurrent-queries"]).toBe(3);
    expect(parseArgs([]).options["max-concurrent-queries"]).toBeUndefined();
    expect(() => parseArgs(["--max-concurrent-queries", "0"])).toThrow(/max-concurrent-queries/);
    await expect(startSandbox({ port: 0, maxConcurrentQueries: 0 })).rejects.toThrow(RangeError);
    const sb = await startSandbox({
      port: 0,
      functionsPerRegion: 1,
      regions: ["us-east-1"],
      maxConcurrentQueries: 5,
    });
    try {
      expect(sb.ctx.quotas?.concurrentQueries).toBe(5);
    } finally {
      await sb.close();
    }
  });
});
