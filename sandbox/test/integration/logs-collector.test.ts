/**
 * The console collector's Logs Insights query against the sandbox over HTTP, through the SDK and the aws CLI:
 * per log group, minute and log-spaced duration bucket (`floor(log(@duration) / log(1.1))`), the REPORT
 * aggregates, checked against the simulator's invocations; its JSON-format twin; the query statistics; queries
 * whose keys are log(0) = -Infinity or NaN; and the concurrent-query quota (LimitExceededException).
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type GetQueryResultsCommandOutput,
  type ResultField,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox, SimFunction } from "../../src/index";
import { readEvents } from "../../src/logs/events";
import { listGroups } from "../../src/logs/groups";
import { compile, runQuery } from "../../src/logs/queries";
import type { Invocation } from "../../src/sim/types";
import { awsCli, awsCliJson } from "../support/awscli";
import { startTestSandbox, TEST_CREDENTIALS, TEST_NOW } from "../support/sandbox";

const REGION = "us-east-1";
const MIN = 60_000;
const GAMMA = 1.1;

/** The collector's query (lib/core/query/collector-insights.ts), per log format, written out. */
const TEXT_QUERY = [
  'filter @type = "REPORT"',
  "parse @message /(?<timedOut>Status: timeout)/",
  "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
  "stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as initSum, max(@initDuration) as initMax, " +
    "sum(@billedDuration) as billedSum, max(@maxMemoryUsed) as memMax, max(@memorySize) as memSize, " +
    "sum(@duration) as durSum, max(@duration) as durMax, count(timedOut) as timeouts, count(oomKilled) as ooms " +
    "by @log, bin(1m) as t, floor(log(@duration) / log(1.1)) as dk",
].join("\n| ");
const JSON_QUERY = [
  'filter type = "platform.report"',
  'parse @message /(?<timedOut>"status":"timeout")/',
  "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
  "stats count(*) as n, count(record.metrics.initDurationMs) as cold, sum(record.metrics.initDurationMs) as initSum, " +
    "max(record.metrics.initDurationMs) as initMax, sum(record.metrics.billedDurationMs) as billedSum, " +
    "max(record.metrics.maxMemoryUsedMB) as memMax, max(record.metrics.memorySizeMB) as memSize, " +
    "sum(record.metrics.durationMs) as durSum, max(record.metrics.durationMs) as durMax, count(timedOut) as timeouts, " +
    "count(oomKilled) as ooms by @log, bin(1m) as t, floor(log(record.metrics.durationMs) / log(1.1)) as dk",
].join("\n| ");

/** Columns every row has: the by-keys and the aggregates defined for any non-empty bucket. */
const REQUIRED = [
  "@log",
  "t",
  "dk",
  "n",
  "cold",
  "billedSum",
  "memMax",
  "memSize",
  "durSum",
  "durMax",
  "timeouts",
  "ooms",
];

let sandbox: Sandbox;
let logs: CloudWatchLogsClient;
let fns: SimFunction[];

const asRecord = (row: ResultField[]) => Object.fromEntries(row.map((f) => [f.field!, f.value!]));
const insightsTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

async function poll(client: CloudWatchLogsClient, queryId: string): Promise<GetQueryResultsCommandOutput> {
  for (let polls = 0; polls < 400; polls++) {
    const out = await client.send(new GetQueryResultsCommand({ queryId }));
    if (out.status === "Complete") return out;
    expect(["Scheduled", "Running"]).toContain(out.status);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("query did not complete");
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
  return poll(logs, queryId!);
}

/** Invocations whose REPORT line (handler end) falls in [fromMs, toMs). */
function endedIn(fn: SimFunction, fromMs: number, toMs: number): Invocation[] {
  return sandbox.ctx.sim
    .minutes(fn, fromMs - 20 * MIN, toMs)
    .flatMap((m) => m.invocations)
    .filter((i) => {
      const end = Math.round(i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
      return end >= fromMs && end < toMs;
    });
}

/** What the query should say for one group: per minute, counts and the duration histogram. */
function expected(fn: SimFunction, fromMs: number, toMs: number, json: boolean) {
  const out = new Map<
    string,
    { n: number; cold: number; timeouts: number; ooms: number; hist: Map<string, number> }
  >();
  for (const i of endedIn(fn, fromMs, toMs)) {
    const end = Math.round(i.startMs + (i.initDurationMs ?? 0) + i.durationMs);
    const t = insightsTime(Math.floor(end / MIN) * MIN);
    const e = out.get(t) ?? { n: 0, cold: 0, timeouts: 0, ooms: 0, hist: new Map<string, number>() };
    // The Text line prints the duration with two decimals; JSON carries the number itself.
    const d = json ? i.durationMs : parseFloat(i.durationMs.toFixed(2));
    const dk = String(Math.floor(Math.log(d) / Math.log(GAMMA)));
    e.n++;
    if (i.initDurationMs !== null) e.cold++;
    if (i.outcome === "timeout") e.timeouts++;
    if (i.outcome === "oom") e.ooms++;
    e.hist.set(dk, (e.hist.get(dk) ?? 0) + 1);
    out.set(t, e);
  }
  return out;
}

/** The rows of one group, folded per minute like the collector folds them. */
function observed(rows: Record<string, string>[], group: string) {
  const out = new Map<
    string,
    { n: number; cold: number; timeouts: number; ooms: number; hist: Map<string, number> }
  >();
  for (const r of rows.filter((x) => x["@log"] === `${sandbox.account.accountId}:${group}`)) {
    const e = out.get(r.t!) ?? { n: 0, cold: 0, timeouts: 0, ooms: 0, hist: new Map<string, number>() };
    e.n += Number(r.n);
    e.cold += Number(r.cold);
    e.timeouts += Number(r.timeouts);
    e.ooms += Number(r.ooms);
    e.hist.set(r.dk!, (e.hist.get(r.dk!) ?? 0) + Number(r.n));
    out.set(r.t!, e);
  }
  return out;
}

beforeAll(async () => {
  // 20 functions per region: every planted us-east-1 function, audit-trail (JSON) included.
  sandbox = await startTestSandbox({ functionsPerRegion: 20, regions: [REGION] });
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

describe("the collector query", () => {
  const from = TEST_NOW - 15 * MIN;
  const to = TEST_NOW - 5 * MIN;

  it("returns one row per group, minute and duration bucket, agreeing with the simulator (Text, SDK)", async () => {
    const groups = [...new Set(fns.map((f) => f.logGroup))];
    const out = await query(groups, from, to, TEXT_QUERY);
    const rows = out.results!.map(asRecord);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(REQUIRED.filter((k) => !(k in r))).toEqual([]);
      // initSum/initMax are absent (not 0) in a bucket without cold starts, as Insights leaves them out.
      expect(
        Object.keys(r).filter((k) => !REQUIRED.includes(k) && k !== "initSum" && k !== "initMax"),
      ).toEqual([]);
      expect(r.t).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00\.000$/);
      expect(r.dk).toMatch(/^-?\d+$/);
    }
    for (const fn of fns) {
      const want = fn.logFormat === "JSON" ? new Map() : expected(fn, from, to, false);
      expect([fn.name, observed(rows, fn.logGroup)]).toEqual([fn.name, want]);
    }
    // Planted behaviour shows through: timeouts, OOM kills and cold starts are counted.
    const totals = rows.reduce(
      (s, r) => ({ t: s.t + Number(r.timeouts), o: s.o + Number(r.ooms), c: s.c + Number(r.cold) }),
      { t: 0, o: 0, c: 0 },
    );
    expect(totals.t).toBeGreaterThan(0);
    expect(totals.c).toBeGreaterThan(0);
    expect(out.statistics?.recordsMatched).toBe(rows.reduce((s, r) => s + Number(r.n), 0));
  });

  it("reports bytesScanned as every event's bytes in the window, as rendering them all would", async () => {
    const groups = [...new Set(fns.map((f) => f.logGroup))].slice(0, 6);
    const out = await query(groups, from, to, TEXT_QUERY);
    const events = listGroups(sandbox.ctx, REGION)
      .filter((g) => groups.includes(g.name))
      .flatMap((g) => readEvents(sandbox.ctx, g, { fromMs: from, toMs: to }));
    expect(out.statistics).toMatchObject({
      recordsScanned: events.length,
      bytesScanned: events.reduce((n, e) => n + e.message.length, 0),
      logGroupsScanned: groups.length,
    });
  });

  it("runs its JSON-format twin on a JSON group (SDK)", async () => {
    const fn = fns.find((f) => f.logFormat === "JSON")!;
    expect(fn.name).toBe("audit-trail");
    const rows = (await query([fn.logGroup], from, to, JSON_QUERY)).results!.map(asRecord);
    expect(rows.length).toBeGreaterThan(0);
    expect(observed(rows, fn.logGroup)).toEqual(expected(fn, from, to, true));
  });

  it("gives the REPORT-cursor answer on rendered lines too (same data, both formats)", () => {
    const groups = listGroups(sandbox.ctx, REGION);
    for (const text of [TEXT_QUERY, JSON_QUERY]) {
      const q = compile(text);
      const fast = runQuery(sandbox.ctx, groups, q, from / 1000, to / 1000 - 1, 10_000, "auto");
      const slow = runQuery(sandbox.ctx, groups, q, from / 1000, to / 1000 - 1, 10_000, "rendered");
      expect(fast.results.length).toBeGreaterThan(0);
      expect(fast).toEqual(slow);
    }
  });

  it("answers the aws CLI with the SDK's rows", async () => {
    const fn = fns.find((f) => f.name === "legacy-sync")!;
    const started = await awsCliJson<{ queryId: string }>(sandbox.url, [
      "logs",
      "start-query",
      "--log-group-names",
      fn.logGroup,
      "--start-time",
      String(from / 1000),
      "--end-time",
      String(to / 1000 - 1),
      "--query-string",
      TEXT_QUERY,
    ]);
    let out: { status: string; results: ResultField[][] } | null = null;
    for (let i = 0; i < 50 && out?.status !== "Complete"; i++) {
      out = await awsCliJson(sandbox.url, ["logs", "get-query-results", "--query-id", started.queryId]);
    }
    expect(out!.status).toBe("Complete");
    const sdk = await query([fn.logGroup], from, to, TEXT_QUERY);
    expect(out!.results.map(asRecord)).toEqual(sdk.results!.map(asRecord));
    expect(observed(out!.results.map(asRecord), fn.logGroup)).toEqual(expected(fn, from, to, false));
  });
});

describe("log(0), sqrt of a negative", () => {
  it("groups under -Infinity and NaN instead of failing (SDK, REPORT cursors)", async () => {
    const fn = fns.find((f) => f.name === "legacy-sync")!;
    const out = await query(
      [fn.logGroup],
      TEST_NOW - 5 * MIN,
      TEST_NOW,
      'filter @type = "REPORT" | stats count(*) as n by floor(log(@duration * 0) / log(1.1)) as dk, sqrt(0 - @duration) as s',
    );
    expect(out.results!.map(asRecord)).toEqual([
      { dk: "-Infinity", s: "NaN", n: String(endedIn(fn, TEST_NOW - 5 * MIN, TEST_NOW).length) },
    ]);
  });

  it("prints them in fields (aws CLI, rendered lines)", async () => {
    const fn = fns.find((f) => f.name === "legacy-sync")!;
    const started = await awsCliJson<{ queryId: string }>(sandbox.url, [
      "logs",
      "start-query",
      "--log-group-name",
      fn.logGroup,
      "--start-time",
      String((TEST_NOW - 5 * MIN) / 1000),
      "--end-time",
      String(TEST_NOW / 1000),
      "--query-string",
      "fields log(0) as z, sqrt(-1) as q, greatest(-1, log(0)) as g, 2 ^ 10 as p | limit 2",
    ]);
    let out: { status: string; results: ResultField[][] } | null = null;
    for (let i = 0; i < 50 && out?.status !== "Complete"; i++) {
      out = await awsCliJson(sandbox.url, ["logs", "get-query-results", "--query-id", started.queryId]);
    }
    expect(out!.status).toBe("Complete");
    expect(out!.results.map(asRecord)).toEqual([
      expect.objectContaining({ z: "-Infinity", q: "NaN", g: "-1", p: "1024" }),
      expect.objectContaining({ z: "-Infinity", q: "NaN", g: "-1", p: "1024" }),
    ]);
  });
});

describe("the concurrent-query quota", () => {
  it("refuses StartQuery beyond it with LimitExceededException until a query ends (SDK and CLI)", async () => {
    const limited = await startTestSandbox({
      functionsPerRegion: 12,
      regions: [REGION],
      maxConcurrentQueries: 1,
    });
    const client = new CloudWatchLogsClient({
      endpoint: limited.url,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const groups = [
        ...new Set([...limited.account.regions.get(REGION)!.functions.values()].map((f) => f.logGroup)),
      ];
      const window = { startTime: (TEST_NOW - 86_400_000) / 1000, endTime: TEST_NOW / 1000 };
      // A day of every rendered line of 12 groups: seconds of work, stopped below.
      const long = await client.send(
        new StartQueryCommand({
          logGroupNames: groups,
          ...window,
          queryString: "filter @message like /Task timed out/ | stats count(*) as n by @log",
        }),
      );
      const second = {
        logGroupName: groups[0]!,
        ...window,
        queryString: 'filter @type = "REPORT" | stats count(*)',
      };
      const refused = await client.send(new StartQueryCommand(second)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({
        name: "LimitExceededException",
        message: "Account maximum query concurrency limit of [1] reached.",
        $metadata: { httpStatusCode: 400 },
      });
      const cli = await awsCli(limited.url, [
        "logs",
        "start-query",
        "--log-group-name",
        second.logGroupName,
        "--start-time",
        String(second.startTime),
        "--end-time",
        String(second.endTime),
        "--query-string",
        second.queryString,
      ]);
      expect(cli.ok).toBe(false);
      if (!cli.ok) expect(cli.errorCode).toBe("LimitExceededException");
      // Still running (else the refusals above proved nothing), then stopped: the slot is free at once.
      expect((await client.send(new GetQueryResultsCommand({ queryId: long.queryId }))).status).toBe(
        "Running",
      );
      expect((await client.send(new StopQueryCommand({ queryId: long.queryId }))).success).toBe(true);
      const { queryId } = await client.send(
        new StartQueryCommand({ ...second, startTime: (TEST_NOW - 10 * MIN) / 1000 }),
      );
      expect((await poll(client, queryId!)).results).toHaveLength(1);
    } finally {
      client.destroy();
      await limited.close();
    }
  });
});
