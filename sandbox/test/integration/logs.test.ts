/**
 * The sandbox's CloudWatch Logs service over HTTP, through the real SDK and the aws CLI, checked against the
 * simulator's ground truth: REPORT lines in a window are exactly the invocations that ended in it, and the
 * REPORT line's XRAY TraceId is the invocation's trace id.
 */
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type FilteredLogEvent,
  type ResultField,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox, SimFunction } from "../../src/index";
import type { Invocation } from "../../src/sim/types";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const MIN = 60_000;
let sandbox: Sandbox;
let logs: CloudWatchLogsClient;
let fns: SimFunction[];

/** Ground truth: invocations of fn whose END/REPORT (arrival + init + duration) falls in [fromMs, toMs). */
function endedIn(fn: SimFunction, fromMs: number, toMs: number): Invocation[] {
  return sandbox.ctx.sim
    .minutes(fn, fromMs - 20 * MIN, toMs)
    .flatMap((m) => m.invocations)
    .filter((i) => {
      const end = Math.round(i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
      return end >= fromMs && end < toMs;
    });
}

async function filterAll(
  input: ConstructorParameters<typeof FilterLogEventsCommand>[0],
): Promise<FilteredLogEvent[]> {
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ ...input, nextToken }));
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

async function query(groups: string[], fromMs: number, toMs: number, queryString: string) {
  const { queryId } = await logs.send(
    new StartQueryCommand({
      logGroupNames: groups,
      startTime: fromMs / 1000,
      endTime: toMs / 1000 - 1,
      queryString,
    }),
  );
  for (let polls = 0; polls < 200; polls++) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status === "Complete") return out;
    expect(["Scheduled", "Running"]).toContain(out.status);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("query did not complete");
}

const asRecord = (row: ResultField[]) => Object.fromEntries(row.map((f) => [f.field, f.value]));

beforeAll(async () => {
  sandbox = await startTestSandbox({ functionsPerRegion: 12, regions: [REGION] });
  logs = new CloudWatchLogsClient({
    endpoint: sandbox.url,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  fns = [...(sandbox.account.regions.get(REGION)?.functions.values() ?? [])];
});

afterAll(async () => {
  logs.destroy();
  await sandbox.close();
});

/** A busy text-format function, so windows of a few minutes hold many invocations. */
function busyTextFunction(): SimFunction {
  const scored = fns
    .filter((f) => f.logFormat === "Text")
    .map((f) => ({ f, n: endedIn(f, TEST_NOW - 10 * MIN, TEST_NOW).length }))
    .sort((a, b) => b.n - a.n);
  expect(scored[0]!.n).toBeGreaterThan(5);
  return scored[0]!.f;
}

describe("describe-log-groups (aws CLI)", () => {
  it("lists every function's log group, custom ones included", async () => {
    const out = await awsCliJson<{
      logGroups: { logGroupName: string; arn: string; creationTime: number }[];
    }>(sandbox.url, ["logs", "describe-log-groups"]);
    const names = out.logGroups.map((g) => g.logGroupName);
    expect(new Set(names)).toEqual(new Set(fns.map((f) => f.logGroup)));
    expect(out.logGroups[0]!.arn).toMatch(/^arn:aws:logs:us-east-1:\d{12}:log-group:.+:\*$/);
    const page = await awsCliJson<{ logGroups: unknown[]; nextToken?: string }>(sandbox.url, [
      "logs",
      "describe-log-groups",
      "--limit",
      "2",
      "--no-paginate",
    ]);
    expect(page.logGroups).toHaveLength(2);
    expect(page.nextToken).toBeTruthy();
  });

  it("answers a missing group with ResourceNotFoundException", async () => {
    const r = await awsCli(sandbox.url, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      "/aws/lambda/does-not-exist",
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorCode).toBe("ResourceNotFoundException");
  });
});

describe("filter-log-events", () => {
  it("matches ?A ?B alternatives (aws CLI)", async () => {
    const fn = busyTextFunction();
    const out = await awsCliJson<{ events: { message: string }[] }>(sandbox.url, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      fn.logGroup,
      "--start-time",
      String(TEST_NOW - 5 * MIN),
      "--end-time",
      String(TEST_NOW - 1),
      "--filter-pattern",
      "?START ?END",
    ]);
    const kinds = new Set(out.events.map((e) => e.message.split(" ")[0]));
    expect(kinds).toEqual(new Set(["START", "END"]));
    expect(out.events.filter((e) => e.message.startsWith("END")).length).toBe(
      endedIn(fn, TEST_NOW - 5 * MIN, TEST_NOW).length,
    );
  });

  it("matches a JSON pattern", async () => {
    const fn = busyTextFunction();
    const events = await filterAll({
      logGroupName: fn.logGroup,
      startTime: TEST_NOW - 10 * MIN,
      endTime: TEST_NOW,
      filterPattern: '{ $.level = "INFO" && $.downstream.durationMs >= 0 }',
    });
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      const doc = JSON.parse(e.message!);
      expect(doc.level).toBe("INFO");
      expect(typeof doc.downstream.durationMs).toBe("number");
    }
  });

  it("pages by nextToken to exactly the events of one big page", async () => {
    const fn = busyTextFunction();
    const window = { logGroupName: fn.logGroup, startTime: TEST_NOW - 2 * MIN, endTime: TEST_NOW };
    const whole = await logs.send(new FilterLogEventsCommand({ ...window, limit: 10_000 }));
    expect(whole.nextToken).toBeUndefined();
    expect(whole.events!.length).toBeGreaterThan(100);
    const paged = await filterAll({ ...window, limit: 37 });
    expect(paged.length).toBe(whole.events!.length);
    expect(paged.map((e) => e.eventId)).toEqual(whole.events!.map((e) => e.eventId));
  });

  it("rejects an unsupported pattern with InvalidParameterException", async () => {
    const fn = busyTextFunction();
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: fn.logGroup, filterPattern: "[ip, user]" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});

describe("Logs Insights", () => {
  it("runs stats … by bin(5m) via the aws CLI, polling until Complete", async () => {
    const fn = busyTextFunction();
    const from = TEST_NOW - 30 * MIN;
    const started = await awsCliJson<{ queryId: string }>(sandbox.url, [
      "logs",
      "start-query",
      "--log-group-name",
      fn.logGroup,
      "--start-time",
      String(from / 1000),
      "--end-time",
      String(TEST_NOW / 1000 - 1),
      "--query-string",
      'filter @type = "REPORT" | stats count(*) as n, avg(@duration) as avgMs by bin(5m)',
    ]);
    let out: { status: string; results: { field: string; value: string }[][] } | null = null;
    for (let i = 0; i < 50; i++) {
      out = await awsCliJson(sandbox.url, ["logs", "get-query-results", "--query-id", started.queryId]);
      if (out!.status === "Complete") break;
    }
    expect(out!.status).toBe("Complete");
    const rows = out!.results.map(asRecord);
    expect(rows).toHaveLength(6);
    for (const [k, row] of rows.entries()) {
      const binStart = from + k * 5 * MIN;
      expect(row["bin(5m)"]).toBe(new Date(binStart).toISOString().replace("T", " ").replace("Z", ""));
      expect(Number(row.n)).toBe(endedIn(fn, binStart, binStart + 5 * MIN).length);
    }
  });

  it("answers a malformed query with MalformedQueryException (SDK and CLI)", async () => {
    const fn = busyTextFunction();
    await expect(
      logs.send(
        new StartQueryCommand({
          logGroupName: fn.logGroup,
          startTime: 0,
          endTime: 1,
          queryString: "fields @message | frobnicate",
        }),
      ),
    ).rejects.toMatchObject({ name: "MalformedQueryException" });
    const r = await awsCli(sandbox.url, [
      "logs",
      "start-query",
      "--log-group-name",
      fn.logGroup,
      "--start-time",
      "0",
      "--end-time",
      "1",
      "--query-string",
      "stats median(@duration)",
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorCode).toBe("MalformedQueryException");
  });

  it("counts as many REPORT lines in a window as the simulator has invocations ending in it, fleet-wide", async () => {
    const from = TEST_NOW - 20 * MIN;
    const to = TEST_NOW - 5 * MIN;
    const groups = [...new Set(fns.map((f) => f.logGroup))];
    const out = await query(groups, from, to, 'filter @type = "REPORT" | stats count(*) as n by @log');
    const byGroup = new Map(
      out.results!.map((r) => [asRecord(r)["@log"]!.split(":").slice(1).join(":"), Number(asRecord(r).n)]),
    );
    for (const g of groups) {
      const textFns = fns.filter((f) => f.logGroup === g && f.logFormat === "Text");
      const expected = textFns.reduce((s, f) => s + endedIn(f, from, to).length, 0);
      expect(byGroup.get(g) ?? 0).toBe(expected);
    }
    const jsonFns = fns.filter((f) => f.logFormat === "JSON");
    for (const f of jsonFns) {
      const reports = await query(
        [f.logGroup],
        from,
        to,
        'filter type = "platform.report" | stats count(*) as n',
      );
      expect(Number(asRecord(reports.results![0] ?? []).n ?? 0)).toBe(endedIn(f, from, to).length);
    }
  });

  it("prints each invocation's trace id on its REPORT line", async () => {
    const fn = busyTextFunction();
    const from = TEST_NOW - 10 * MIN;
    const truth = new Map(endedIn(fn, from, TEST_NOW).map((i) => [i.requestId, i]));
    const out = await query(
      [fn.logGroup],
      from,
      TEST_NOW,
      'filter @type = "REPORT" | fields @requestId, @xrayTraceId, @initDuration | limit 10000',
    );
    expect(out.results!.length).toBe(truth.size);
    let sampled = 0;
    for (const row of out.results!.map(asRecord)) {
      const inv = truth.get(row["@requestId"]!);
      expect(inv).toBeDefined();
      expect(row["@xrayTraceId"]).toBe(inv!.sampled ? inv!.traceId : undefined);
      if (inv!.sampled) sampled++;
      expect(row["@initDuration"] !== undefined).toBe(inv!.initDurationMs !== null);
    }
    expect(sampled).toBeGreaterThan(0);
  });
});
