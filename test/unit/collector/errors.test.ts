/**
 * The collector's errors step with a fake Logs port: a cut answer is asked again in halves (minutes, then
 * groups, then seconds) until every line is read exactly once, and a second still cut is kept and marked
 * partly read; a request whose lines straddle a window edge is counted once, in the window of its final line,
 * from its most detailed line; a shared group's lines go to the function their stream names. The errors step
 * has its own coverage and ledger source, reads only settled metric minutes with the Errors-metric shortcut
 * (every group otherwise), backfills where the logs are covered but errors are not, and the logs step never
 * runs the error query.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import type { InsightsResult, LogsPort } from "@/lib/aws/logs";
import { createBudget } from "@/lib/collector/budget";
import { COLLECTOR_LEASE } from "@/lib/collector/collector";
import { readMinuteErrors } from "@/lib/collector/errors";
import { errorsBackfillStep, errorsForwardStep, LOOKAHEAD_MS } from "@/lib/collector/errors-step";
import { DEFAULT_SETTINGS, forwardStep, type RegionContext, type StepCost } from "@/lib/collector/region";
import { createInsightsScheduler } from "@/lib/collector/scheduler";
import { fencedWriter } from "@/lib/collector/writer";
import { ERROR_QUERY } from "@/lib/core/query/error-lines";
import { emptyMetric } from "@/lib/core/rollup/types";
import type { AccountSettings } from "@/lib/core/lambda/types";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { config, NOW } from "../core/advisor-fixtures";

const MINUTE = 60_000;
const REGION = "us-east-1";
const SCOPE: Scope = { account: parseAccountId("111111111111"), region: REGION };
const T0 = NOW - 10 * MINUTE;

interface FakeLine {
  group: string;
  at: number;
  message: string;
  stream?: string;
}

const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const timeout = (group: string, n: number, at: number): FakeLine => ({
  group,
  at,
  message: `${new Date(at).toISOString()} ${rid(n)} Task timed out after 6.00 seconds\n`,
});
const pad = (n: number) => String(n).padStart(2, "0");
const insightsTime = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
};

/** Serves the lines of the asked groups and window (StartQuery's whole seconds, end inclusive), cut at `cap`. */
function fakeLogs(lines: FakeLine[], cap: number) {
  const asked: { groups: string[]; start: number; end: number; query: string; timeoutMs?: number }[] = [];
  const port: LogsPort = {
    region: REGION,
    async runInsights(query, groups, window, options) {
      asked.push({
        groups: [...groups],
        start: window.start,
        end: window.end,
        query,
        timeoutMs: options.timeoutMs,
      });
      options.onRequest?.("StartQuery");
      const empty: InsightsResult = {
        rows: [],
        queries: 1,
        missingGroups: [],
        bytesScanned: 0,
        truncated: false,
      };
      if (query !== ERROR_QUERY) return empty; // The REPORT query: no REPORT lines here.
      const from = Math.floor(window.start / 1000) * 1000;
      const to = (Math.ceil(window.end / 1000) - 1) * 1000 + 999;
      const hits = lines.filter((l) => groups.includes(l.group) && l.at >= from && l.at <= to);
      const rows = hits.slice(0, cap).map((l) => ({
        "@timestamp": insightsTime(l.at),
        "@log": `123456789012:${l.group}`,
        "@logStream": l.stream ?? "2026/11/23/[3]0a1b2c",
        "@message": l.message,
      }));
      const result: InsightsResult = {
        rows,
        queries: 1,
        missingGroups: [],
        bytesScanned: 100,
        truncated: rows.length >= cap,
      };
      return result;
    },
    filterLogEvents: async () => [],
  };
  return { port, asked };
}

const invokeError = (n: number, at: number, message: string) =>
  `${new Date(at).toISOString()}\t${rid(n)}\tERROR\tInvoke Error \t${JSON.stringify({
    errorType: "TypeError",
    errorMessage: message,
    stack: [`TypeError: ${message}`, "    at handler (file:///var/task/index.mjs:3:9)"],
  })}\n`;
const failedReport = (n: number, at: number) =>
  JSON.stringify({
    time: new Date(at).toISOString(),
    type: "platform.report",
    record: {
      requestId: rid(n),
      metrics: { durationMs: 20, billedDurationMs: 20, memorySizeMB: 128, maxMemoryUsedMB: 70 },
      status: "error",
      errorType: "TypeError",
    },
  });
const scheduler = () => createInsightsScheduler({ maxConcurrent: 2 });
const NO_REACH = { lookbackMs: 0, lookaheadMs: 0 };

describe("readMinuteErrors", () => {
  it("halves a cut answer until every line is read exactly once", async () => {
    const a = "/aws/lambda/a";
    const b = "/aws/lambda/b";
    const lines: FakeLine[] = [];
    for (let i = 0; i < 8; i++) lines.push(timeout(a, i, T0 + i * 500)); // 8 lines in the first 4 s of minute 0
    for (let i = 0; i < 2; i++) lines.push(timeout(b, 100 + i, T0 + 1_000 + i));
    lines.push(timeout(a, 200, T0 + MINUTE + 5_000));
    const { port, asked } = fakeLogs(lines, 3);
    const read = await readMinuteErrors(
      port,
      SCOPE,
      new Map([
        [a, ["a"]],
        [b, ["b"]],
      ]),
      [a, b],
      { start: T0, end: T0 + 2 * MINUTE },
      { deadlineMs: 60_000, scheduler: scheduler(), ...NO_REACH },
    );
    const count = (fn: string, t: number) =>
      read.rows.filter((r) => r.fn === fn && r.t === t).reduce((n, r) => n + r.count, 0);
    expect(count("a", T0)).toBe(8);
    expect(count("a", T0 + MINUTE)).toBe(1);
    expect(count("b", T0)).toBe(2);
    expect(read.rows.every((r) => r.kind === "timeout" && r.version === "3")).toBe(true);
    expect(read.partial).toEqual([]);
    // Every request was asked for, and split on whole seconds below a minute.
    expect(asked.every((q) => q.query === ERROR_QUERY)).toBe(true);
    expect(asked.every((q) => q.start % 1000 === 0 && q.end % 1000 === 0)).toBe(true);
    // Each query's time limit is relative, counted on the port's own clock: the collector reads no clock for it.
    expect(asked.every((q) => q.timeoutMs === 60_000)).toBe(true);
    expect(asked.length).toBeGreaterThan(3);
    expect(read.requests).toBe(asked.length);
    expect(read.bytesScanned).toBe(100 * asked.length);
  });

  it("keeps what was read of a second still cut, and says its minute was read in part", async () => {
    const a = "/aws/lambda/a";
    const lines = Array.from({ length: 5 }, (_, i) => timeout(a, i, T0 + MINUTE + 10));
    const { port } = fakeLogs(lines, 3);
    const read = await readMinuteErrors(
      port,
      SCOPE,
      new Map([[a, ["a"]]]),
      [a],
      { start: T0, end: T0 + 2 * MINUTE },
      { deadlineMs: 60_000, scheduler: scheduler(), ...NO_REACH },
    );
    expect(read.rows.map((r) => [r.t, r.count])).toEqual([[T0 + MINUTE, 3]]);
    expect(read.partial).toEqual([{ t: T0 + MINUTE, logGroup: a }]);
  });

  it("counts a request whose lines straddle a window edge once, in its final line's window", async () => {
    const a = "/aws/lambda/a";
    // The runtime's Invoke Error 10 ms before the edge, the platform.report that ends the request 10 ms after.
    const edge = T0 + MINUTE;
    const lines: FakeLine[] = [
      { group: a, at: edge - 10, message: invokeError(1, edge - 10, "boom") },
      { group: a, at: edge + 10, message: failedReport(1, edge + 10) },
      // A request that ended well inside window 1, and one whose only line is 20 ms before the edge.
      { group: a, at: T0 + 5_000, message: invokeError(2, T0 + 5_000, "early") },
      { group: a, at: edge - 20, message: invokeError(3, edge - 20, "late") },
    ];
    const { port } = fakeLogs(lines, 10_000);
    const read = (start: number) =>
      readMinuteErrors(
        port,
        SCOPE,
        new Map([[a, ["a"]]]),
        [a],
        { start, end: start + MINUTE },
        { deadlineMs: 60_000, scheduler: scheduler(), lookbackMs: MINUTE, lookaheadMs: LOOKAHEAD_MS },
      );
    const first = await read(T0);
    const second = await read(edge);
    const patterns = (rows: typeof first.rows) => rows.map((r) => [r.t, r.kind, r.sample, r.count]).sort();
    expect(patterns(first.rows)).toEqual([
      [T0, "unhandled", "early", 1],
      [T0, "unhandled", "late", 1],
    ]);
    // The straddling request: in window 2 only, grouped by its most detailed line, not by the bare status.
    expect(patterns(second.rows)).toEqual([[edge, "unhandled", "boom", 1]]);
  });

  it("credits a shared log group's lines to the function their stream names, else to all of them", async () => {
    const shared = "/shared/app";
    const lines: FakeLine[] = [
      { ...timeout(shared, 1, T0 + 1_000), stream: "2026/11/23/orders[7][0a1b2c3d]" },
      { ...timeout(shared, 2, T0 + 2_000), stream: "2026/11/23/billing[$LATEST][0a1b2c3d]" },
      { ...timeout(shared, 3, T0 + 3_000), stream: "not-a-lambda-stream" },
    ];
    const { port } = fakeLogs(lines, 10_000);
    const read = await readMinuteErrors(
      port,
      SCOPE,
      new Map([[shared, ["orders", "billing"]]]),
      [shared],
      { start: T0, end: T0 + MINUTE },
      { deadlineMs: 60_000, scheduler: scheduler(), ...NO_REACH },
    );
    expect(
      read.rows
        .map((r) => [r.fn, r.version, r.count])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual([
      ["billing", "$LATEST", 1],
      ["billing | orders", null, 1],
      ["orders", "7", 1],
    ]);
  });
});

describe("the errors step", () => {
  async function context(port: LogsPort) {
    const store = createStore(openDatabase(":memory:"));
    await store.inventory.putAccount(SCOPE, { region: REGION } as AccountSettings, NOW);
    await store.inventory.putConfigs(SCOPE, [config({ name: "a" }), config({ name: "b" })], NOW);
    const lease = await store.leases.acquire(COLLECTOR_LEASE, "test", NOW, 60_000);
    const charged: { source: string; cost: StepCost }[] = [];
    const ctx: RegionContext = {
      scope: SCOPE,
      ports: { logs: port } as RegionContext["ports"],
      telemetry: store.telemetry,
      inventory: store.inventory,
      errors: store.errors,
      budget: createBudget(10, 60, NOW),
      scheduler: createInsightsScheduler({ maxConcurrent: 4 }),
      settings: { ...DEFAULT_SETTINGS, horizonMs: 60 * MINUTE },
      write: fencedWriter(store, () => lease),
      charge: async (_tx, source, cost) => {
        charged.push({ source, cost });
      },
    };
    return { ctx, store, charged };
  }

  // Settled: metrics are read a minute after a minute ends and re-read for 5 more.
  const W = { start: NOW - 7 * MINUTE, end: NOW - 6 * MINUTE };
  const lines = [timeout("/aws/lambda/a", 1, W.start + 1_000), timeout("/aws/lambda/b", 2, W.start + 2_000)];
  const errorQueries = (asked: { query: string; groups: string[] }[]) =>
    asked.filter((q) => q.query === ERROR_QUERY);

  it("reads only settled minutes, scanning the groups of functions the Errors metric says failed", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store, charged } = await context(port);
    const failing = { ...emptyMetric(SCOPE, "a", 60, W.start - MINUTE), errors: 1 };
    await store.telemetry.putMetrics([failing, emptyMetric(SCOPE, "b", 60, W.start)]);
    await store.telemetry.setCoverage(SCOPE, "metrics", 60, NOW - 30 * MINUTE, NOW - MINUTE, NOW);
    await store.errors.putWindow(SCOPE, { from: NOW - 20 * MINUTE, to: W.start }, [], [], NOW);

    expect(await errorsForwardStep(ctx, NOW)).toEqual({ start: W.start, end: W.end });
    expect(errorQueries(asked).map((q) => q.groups)).toEqual([["/aws/lambda/a"]]);
    const rows = await store.errors.rows({ scopes: [SCOPE], from: W.start, to: W.end });
    expect(rows.map((r) => [r.fn, r.kind, r.count])).toEqual([["a", "timeout", 1]]);
    expect(await store.errors.coverage(SCOPE)).toMatchObject({ from: NOW - 20 * MINUTE, to: W.end });
    expect(charged).toEqual([{ source: "errors", cost: { requests: 1, bytesScanned: 100, minutes: 1 } }]);
    // Nothing more is settled yet.
    expect(await errorsForwardStep(ctx, NOW)).toBeNull();
  });

  it("scans every group when the window's metrics are not settled in the store", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store } = await context(port);
    // Metrics read up to the window's end, but their last 5 minutes may still change.
    await store.telemetry.setCoverage(SCOPE, "metrics", 60, NOW - 30 * MINUTE, W.end + 2 * MINUTE, NOW);
    await store.errors.putWindow(SCOPE, { from: NOW - 20 * MINUTE, to: W.start }, [], [], NOW);
    await errorsForwardStep(ctx, NOW);
    expect(errorQueries(asked).map((q) => q.groups)).toEqual([["/aws/lambda/a", "/aws/lambda/b"]]);
    expect((await store.errors.rows({ scopes: [SCOPE], from: 0, to: NOW })).map((r) => r.fn)).toEqual([
      "a",
      "b",
    ]);
  });

  it("asks nothing when no function failed, and still covers the window", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store, charged } = await context(port);
    await store.telemetry.setCoverage(SCOPE, "metrics", 60, NOW - 30 * MINUTE, NOW - MINUTE, NOW);
    await store.errors.putWindow(SCOPE, { from: NOW - 20 * MINUTE, to: W.start }, [], [], NOW);
    await errorsForwardStep(ctx, NOW);
    expect(errorQueries(asked)).toEqual([]);
    expect(charged.find((c) => c.source === "errors")!.cost.requests).toBe(0);
    expect((await store.errors.coverage(SCOPE))?.to).toBe(W.end);
  });

  it("backfills minutes the logs cover but errors do not (a store from before error groups)", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store } = await context(port);
    await store.telemetry.setCoverage(SCOPE, "logs", 60, NOW - 60 * MINUTE, NOW - 2 * MINUTE, NOW);
    expect(await errorsForwardStep(ctx, NOW)).toEqual({ start: W.start, end: W.end });
    expect(await errorsBackfillStep(ctx, NOW)).toEqual({ start: W.start - 15 * MINUTE, end: W.start });
    expect(errorQueries(asked).length).toBeGreaterThan(0);
    expect(await store.errors.coverage(SCOPE)).toMatchObject({ from: W.start - 15 * MINUTE, to: W.end });
  });

  it("the logs step never runs the error query, so its failure cannot hold REPORT collection back", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const failing: LogsPort = {
      ...port,
      runInsights: (query, ...rest) =>
        query === ERROR_QUERY
          ? Promise.reject(new Error("error query failed"))
          : port.runInsights(query, ...rest),
    };
    const { ctx, store } = await context(failing);
    await store.telemetry.setCoverage(SCOPE, "logs", 60, NOW - 20 * MINUTE, NOW - 3 * MINUTE, NOW);
    expect(await forwardStep(ctx, "logs", NOW)).toEqual({ start: NOW - 3 * MINUTE, end: NOW - 2 * MINUTE });
    expect(errorQueries(asked)).toEqual([]);
    await expect(errorsForwardStep(ctx, NOW)).rejects.toThrow("error query failed");
    expect(await store.errors.coverage(SCOPE)).toBeNull();
    expect((await store.telemetry.coverage(SCOPE, "logs", 60))?.to).toBe(NOW - 2 * MINUTE);
  });
});
