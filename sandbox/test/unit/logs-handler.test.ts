import { describe, expect, it } from "vitest";
import { handleLogs } from "../../src/logs/handler";
import { context, inv, MINUTE, NOW, request, simFn } from "../support/logs-fixtures";

const fns = ["alpha", "beta", "gamma"].map((n) => simFn({ name: n, logGroup: `/aws/lambda/${n}` }));
fns.push(
  simFn({ name: "delta", logGroup: "/shared/app" }),
  simFn({ name: "epsilon", logGroup: "/shared/app" }),
);
const T0 = NOW - 30 * MINUTE;
const streamA = "2026/11/23/[3]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const streamB = "2026/11/23/[3]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const alpha = Array.from({ length: 20 }, (_, k) =>
  inv({
    functionName: "alpha",
    startMs: T0 + k * MINUTE + 500,
    logStreamName: k % 2 ? streamB : streamA,
    environmentId: (k % 2 ? "b" : "a").repeat(32),
    outcome: k === 7 ? "timeout" : "success",
    downstream:
      k % 4 === 0
        ? [
            {
              kind: "dynamodb",
              resource: "t",
              operation: "GetItem",
              offsetMs: 1,
              durationMs: 5 + k,
              outcome: "ok",
              httpStatus: 200,
            },
          ]
        : [],
  }),
);
const ctx = context(fns, {
  alpha,
  delta: [inv({ functionName: "delta", startMs: T0 })],
  epsilon: [inv({ functionName: "epsilon", startMs: T0 + 1000 })],
});

async function call(op: string, body: unknown) {
  const res = await handleLogs(request(op, body), ctx);
  const json = JSON.parse(String(res.body));
  return { status: res.status, json, type: res.headers?.["x-amzn-errortype"] };
}

describe("DescribeLogGroups", () => {
  it("lists groups sorted by name, with prefix, pattern and paging", async () => {
    const all = await call("DescribeLogGroups", {});
    expect(all.json.logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual([
      "/aws/lambda/alpha",
      "/aws/lambda/beta",
      "/aws/lambda/gamma",
      "/shared/app",
    ]);
    expect(all.json.logGroups[0]).toMatchObject({
      arn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/alpha:*",
      logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/alpha",
      creationTime: fns[0]!.createdMs,
      storedBytes: expect.any(Number),
    });
    const p1 = await call("DescribeLogGroups", { logGroupNamePrefix: "/aws/lambda/", limit: 2 });
    expect(p1.json.logGroups).toHaveLength(2);
    const p2 = await call("DescribeLogGroups", {
      logGroupNamePrefix: "/aws/lambda/",
      limit: 2,
      nextToken: p1.json.nextToken,
    });
    expect(p2.json.logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual([
      "/aws/lambda/gamma",
    ]);
    expect(p2.json.nextToken).toBeUndefined();
    const pat = await call("DescribeLogGroups", { logGroupNamePattern: "amm" });
    expect(pat.json.logGroups).toEqual([
      { logGroupName: "/aws/lambda/gamma", creationTime: expect.any(Number), arn: expect.any(String) },
    ]);
  });

  it("rejects limit > 50 and prefix with pattern", async () => {
    expect((await call("DescribeLogGroups", { limit: 51 })).type).toBe("InvalidParameterException");
    expect(
      (await call("DescribeLogGroups", { logGroupNamePrefix: "/a", logGroupNamePattern: "b" })).type,
    ).toBe("InvalidParameterException");
  });
});

describe("DescribeLogStreams", () => {
  it("orders by LastEventTime descending", async () => {
    const r = await call("DescribeLogStreams", {
      logGroupName: "/aws/lambda/alpha",
      orderBy: "LastEventTime",
      descending: true,
      limit: 1,
    });
    expect(r.json.logStreams.map((s: { logStreamName: string }) => s.logStreamName)).toEqual([streamB]); // k = 19 is odd
    expect(r.json.logStreams[0].lastEventTimestamp).toBe(
      Math.round(alpha[19]!.startMs + alpha[19]!.durationMs),
    );
    const next = await call("DescribeLogStreams", {
      logGroupName: "/aws/lambda/alpha",
      orderBy: "LastEventTime",
      descending: true,
      limit: 1,
      nextToken: r.json.nextToken,
    });
    expect(next.json.logStreams[0].logStreamName).toBe(streamA);
    expect(next.json.nextToken).toBeUndefined();
  });

  it("says the group does not exist", async () => {
    const r = await call("DescribeLogStreams", { logGroupName: "/aws/lambda/nope" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      __type: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
  });
});

describe("GetLogEvents", () => {
  it("reads from the head with forward tokens until the token repeats", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await call("GetLogEvents", {
        logGroupName: "/aws/lambda/alpha",
        logStreamName: streamA,
        startFromHead: true,
        limit: 7,
        ...(token ? { nextToken: token } : {}),
      });
      seen.push(...r.json.events.map((e: { message: string }) => e.message));
      if (r.json.nextForwardToken === token) break;
      token = r.json.nextForwardToken;
    }
    const starts = seen.filter((m) => m.startsWith("START"));
    expect(starts).toHaveLength(10);
    expect(seen.filter((m) => m.startsWith("REPORT"))).toHaveLength(10);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("returns the newest events by default and pages backwards", async () => {
    const tail = await call("GetLogEvents", {
      logGroupIdentifier: "/aws/lambda/alpha",
      logStreamName: streamB,
      limit: 3,
    });
    expect(tail.json.events.at(-1).message).toContain(`REPORT RequestId: ${alpha[19]!.requestId}`);
    const back = await call("GetLogEvents", {
      logGroupName: "/aws/lambda/alpha",
      logStreamName: streamB,
      limit: 3,
      nextToken: tail.json.nextBackwardToken,
    });
    expect(back.json.events.at(-1).timestamp).toBeLessThanOrEqual(tail.json.events[0].timestamp);
    expect(back.json.events.map((e: { message: string }) => e.message)).not.toContain(
      tail.json.events[0].message,
    );
  });

  it("applies startTime (inclusive) and endTime (exclusive)", async () => {
    const from = alpha[2]!.startMs;
    const to = alpha[6]!.startMs;
    const r = await call("GetLogEvents", {
      logGroupName: "/aws/lambda/alpha",
      logStreamName: streamA,
      startTime: from,
      endTime: to,
      startFromHead: true,
    });
    const ts = r.json.events.map((e: { timestamp: number }) => e.timestamp);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(from);
    expect(Math.max(...ts)).toBeLessThan(to);
    expect(r.json.events.filter((e: { message: string }) => e.message.startsWith("START"))).toHaveLength(2); // k = 2, 4
  });

  it("rejects a missing stream and both group parameters", async () => {
    expect(
      (await call("GetLogEvents", { logGroupName: "/aws/lambda/alpha", logStreamName: "2026/11/23/[3]ffff" }))
        .type,
    ).toBe("ResourceNotFoundException");
    expect(
      (
        await call("GetLogEvents", {
          logGroupName: "/aws/lambda/alpha",
          logGroupIdentifier: "/aws/lambda/alpha",
          logStreamName: streamA,
        })
      ).type,
    ).toBe("InvalidParameterException");
  });
});

describe("FilterLogEvents", () => {
  it("pages by nextToken without gaps or repeats", async () => {
    const all = await call("FilterLogEvents", { logGroupName: "/aws/lambda/alpha", startTime: T0 });
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const r = await call("FilterLogEvents", {
        logGroupName: "/aws/lambda/alpha",
        startTime: T0,
        limit: 9,
        ...(token ? { nextToken: token } : {}),
      });
      expect(r.json.events.length).toBeLessThanOrEqual(9);
      ids.push(...r.json.events.map((e: { eventId: string }) => e.eventId));
      token = r.json.nextToken;
    } while (token);
    expect(ids).toEqual(all.json.events.map((e: { eventId: string }) => e.eventId));
    expect(ids.length).toBeGreaterThan(80);
  });

  it("applies term, alternative and JSON patterns and stream filters", async () => {
    const msgs = async (body: object) =>
      (await call("FilterLogEvents", { logGroupName: "/aws/lambda/alpha", ...body })).json.events.map(
        (e: { message: string }) => e.message as string,
      );
    expect(await msgs({ filterPattern: '"Task timed out"' })).toHaveLength(1);
    const either = await msgs({ filterPattern: '?"Task timed out" ?"Status: timeout"' });
    expect(either).toHaveLength(2);
    const json = await msgs({
      filterPattern: '{ $.downstream.operation = "GetItem" && $.downstream.durationMs >= 13 }',
    });
    expect(json.map((m: string) => JSON.parse(m).downstream.durationMs)).toEqual([13, 17, 21]); // k = 8, 12, 16
    const onlyA = await msgs({ logStreamNames: [streamA], filterPattern: "START" });
    expect(onlyA).toHaveLength(10);
  });

  it("reads a shared custom group and rejects an invalid pattern", async () => {
    const shared = await call("FilterLogEvents", {
      logGroupIdentifier: "arn:aws:logs:us-east-1:123456789012:log-group:/shared/app:*",
      filterPattern: "REPORT",
    });
    expect(shared.json.events).toHaveLength(2);
    const bad = await call("FilterLogEvents", { logGroupName: "/aws/lambda/alpha", filterPattern: "[a, b]" });
    expect(bad.type).toBe("InvalidParameterException");
    expect(bad.json.message).toMatch(/^Invalid filter pattern/);
  });
});

describe("Logs Insights operations", () => {
  it("is Running on the first poll and Complete afterwards", async () => {
    const start = await call("StartQuery", {
      logGroupNames: ["/aws/lambda/alpha", "/shared/app"],
      startTime: Math.floor(T0 / 1000),
      endTime: NOW / 1000,
      queryString: 'filter @type = "REPORT" | stats count(*) as n by @log',
    });
    const id = start.json.queryId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const first = await call("GetQueryResults", { queryId: id });
    expect(["Scheduled", "Running"]).toContain(first.json.status);
    expect(first.json.results).toEqual([]);
    let second = first;
    for (let polls = 0; polls < 100 && second.json.status !== "Complete"; polls++) {
      await new Promise((r) => setTimeout(r, 5));
      second = await call("GetQueryResults", { queryId: id });
    }
    expect(second.json.status).toBe("Complete");
    const byLog = Object.fromEntries(
      second.json.results.map((r: { field: string; value: string }[]) => [r[0]!.value, r[1]!.value]),
    );
    expect(byLog).toEqual({ "123456789012:/aws/lambda/alpha": "20", "123456789012:/shared/app": "2" });
    expect(second.json.statistics.recordsMatched).toBe(22);
    expect((await call("StopQuery", { queryId: id })).json).toEqual({ success: false });
  });

  it("can be stopped before it runs", async () => {
    const start = await call("StartQuery", {
      logGroupName: "/aws/lambda/alpha",
      startTime: 0,
      endTime: NOW / 1000,
      queryString: "fields @message",
    });
    expect((await call("StopQuery", { queryId: start.json.queryId })).json).toEqual({ success: true });
    await new Promise((r) => setImmediate(r));
    expect((await call("GetQueryResults", { queryId: start.json.queryId })).json.status).toBe("Cancelled");
  });

  it("rejects malformed queries, missing groups, too many groups and unknown queries", async () => {
    const bad = await call("StartQuery", {
      logGroupName: "/aws/lambda/alpha",
      startTime: 0,
      endTime: 1,
      queryString: "fields @message | explode",
    });
    expect(bad.type).toBe("MalformedQueryException");
    expect(bad.json.queryCompileError.location).toEqual({ startCharOffset: 18, endCharOffset: 25 });
    const missing = await call("StartQuery", {
      logGroupNames: ["/aws/lambda/nope"],
      startTime: 0,
      endTime: 1,
      queryString: "fields @message",
    });
    expect(missing.json).toEqual({
      __type: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
    const many = await call("StartQuery", {
      logGroupNames: Array.from({ length: 51 }, () => "/aws/lambda/alpha"),
      startTime: 0,
      endTime: 1,
      queryString: "fields @message",
    });
    expect(many.type).toBe("InvalidParameterException");
    const both = await call("StartQuery", {
      logGroupName: "/aws/lambda/alpha",
      logGroupNames: ["/aws/lambda/alpha"],
      startTime: 0,
      endTime: 1,
      queryString: "fields @message",
    });
    expect(both.type).toBe("InvalidParameterException");
    expect((await call("GetQueryResults", { queryId: "nope" })).type).toBe("ResourceNotFoundException");
  });

  it("answers unknown operations and bad bodies with AWS's errors", async () => {
    expect((await call("PutLogEvents", {})).type).toBe("UnknownOperationException");
    const res = await handleLogs({ ...request("DescribeLogGroups", {}), body: Buffer.from("{nope") }, ctx);
    expect(res.headers?.["x-amzn-errortype"]).toBe("SerializationException");
  });
});
