/**
 * The collector's error step with a fake Logs port: a cut answer is asked again in halves (minutes, then
 * groups, then seconds) until every line is read exactly once; the logs step scans only the groups of functions
 * that failed by the stored Errors metric (all of them when the metrics coverage does not include the window),
 * stores the groups and charges the ledger's "errors" source.
 */
import { describe, expect, it } from "vitest";
import type { InsightsResult, LogsPort } from "@/lib/aws/logs";
import { createBudget } from "@/lib/collector/budget";
import { readMinuteErrors } from "@/lib/collector/errors";
import { DEFAULT_SETTINGS, forwardStep, type RegionContext, type StepCost } from "@/lib/collector/region";
import { createInsightsScheduler } from "@/lib/collector/scheduler";
import { ERROR_QUERY } from "@/lib/core/error-groups/query";
import { emptyMetric } from "@/lib/core/rollup/types";
import type { AccountSettings } from "@/lib/core/lambda/types";
import { createStore } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { config, NOW } from "../core/advisor-fixtures";

const MINUTE = 60_000;
const REGION = "us-east-1";
const T0 = NOW - 10 * MINUTE;

interface FakeLine {
  group: string;
  at: number;
  message: string;
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
  const asked: { groups: string[]; start: number; end: number; query: string }[] = [];
  const port: LogsPort = {
    region: REGION,
    async runInsights(query, groups, window, options) {
      asked.push({ groups: [...groups], start: window.start, end: window.end, query });
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
        "@logStream": "2026/11/23/[3]0a1b2c",
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
      REGION,
      new Map([
        [a, "a"],
        [b, "b"],
      ]),
      [a, b],
      { start: T0, end: T0 + 2 * MINUTE },
      { deadlineMs: 60_000, scheduler: createInsightsScheduler({ maxConcurrent: 2 }) },
    );
    const count = (fn: string, t: number) =>
      read.rows.filter((r) => r.fn === fn && r.t === t).reduce((n, r) => n + r.count, 0);
    expect(count("a", T0)).toBe(8);
    expect(count("a", T0 + MINUTE)).toBe(1);
    expect(count("b", T0)).toBe(2);
    expect(read.rows.every((r) => r.kind === "timeout" && r.version === "3")).toBe(true);
    // Every request was asked for, and split on whole seconds below a minute.
    expect(asked.every((q) => q.query === ERROR_QUERY)).toBe(true);
    expect(asked.every((q) => q.start % 1000 === 0 && q.end % 1000 === 0)).toBe(true);
    expect(asked.length).toBeGreaterThan(3);
    expect(read.requests).toBe(asked.length);
    expect(read.bytesScanned).toBe(100 * asked.length);
  });

  it("fails rather than storing a cut second", async () => {
    const a = "/aws/lambda/a";
    const lines = Array.from({ length: 5 }, (_, i) => timeout(a, i, T0 + 10));
    const { port } = fakeLogs(lines, 3);
    await expect(
      readMinuteErrors(
        port,
        REGION,
        new Map([[a, "a"]]),
        [a],
        { start: T0, end: T0 + MINUTE },
        {
          deadlineMs: 60_000,
          scheduler: createInsightsScheduler({ maxConcurrent: 1 }),
        },
      ),
    ).rejects.toMatchObject({ code: "Unavailable" });
  });
});

describe("the logs step's error groups", () => {
  function context(port: LogsPort) {
    const store = createStore(openDatabase(":memory:"));
    store.inventory.putAccount(REGION, { region: REGION } as AccountSettings, NOW);
    store.inventory.putConfigs(REGION, [config({ name: "a" }), config({ name: "b" })], NOW);
    const charged: { source: string; cost: StepCost }[] = [];
    const ctx: RegionContext = {
      region: REGION,
      ports: { logs: port } as RegionContext["ports"],
      telemetry: store.telemetry,
      inventory: store.inventory,
      errors: store.errors,
      budget: createBudget(10, 60, NOW),
      scheduler: createInsightsScheduler({ maxConcurrent: 4 }),
      settings: { ...DEFAULT_SETTINGS, horizonMs: 60 * MINUTE },
      charge: (source, cost) => charged.push({ source, cost }),
    };
    return { ctx, store, charged };
  }

  const lines = [
    timeout("/aws/lambda/a", 1, NOW - 3 * MINUTE + 1_000),
    timeout("/aws/lambda/b", 2, NOW - 3 * MINUTE + 2_000),
  ];
  const errorQueries = (asked: { query: string; groups: string[] }[]) =>
    asked.filter((q) => q.query === ERROR_QUERY);

  it("scans only the groups of functions the Errors metric says failed, and stores their groups", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store, charged } = context(port);
    const failing = { ...emptyMetric(REGION, "a", 60, NOW - 4 * MINUTE), errors: 1 };
    store.telemetry.putMetrics([failing, emptyMetric(REGION, "b", 60, NOW - 3 * MINUTE)]);
    store.telemetry.setCoverage(REGION, "metrics", 60, NOW - 30 * MINUTE, NOW - MINUTE, NOW);
    store.telemetry.setCoverage(REGION, "logs", 60, NOW - 20 * MINUTE, NOW - 3 * MINUTE, NOW);

    expect(await forwardStep(ctx, "logs", NOW)).toEqual({ start: NOW - 3 * MINUTE, end: NOW - 2 * MINUTE });
    expect(errorQueries(asked).map((q) => q.groups)).toEqual([["/aws/lambda/a"]]);
    const rows = store.errors.rows({ regions: [REGION], from: NOW - 3 * MINUTE, to: NOW - 2 * MINUTE });
    expect(rows.map((r) => [r.fn, r.kind, r.count])).toEqual([["a", "timeout", 1]]);
    expect(charged.map((c) => c.source)).toEqual(["logs", "errors"]);
    expect(charged[1]!.cost).toEqual({ requests: 1, bytesScanned: 100, minutes: 1 });
  });

  it("scans every group when the metrics coverage does not include the window", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store } = context(port);
    store.telemetry.setCoverage(REGION, "logs", 60, NOW - 20 * MINUTE, NOW - 3 * MINUTE, NOW);
    await forwardStep(ctx, "logs", NOW);
    expect(errorQueries(asked).map((q) => q.groups)).toEqual([["/aws/lambda/a", "/aws/lambda/b"]]);
    expect(store.errors.rows({ regions: [REGION], from: 0, to: NOW }).map((r) => r.fn)).toEqual(["a", "b"]);
  });

  it("asks nothing when no function failed", async () => {
    const { port, asked } = fakeLogs(lines, 10_000);
    const { ctx, store, charged } = context(port);
    store.telemetry.setCoverage(REGION, "metrics", 60, NOW - 30 * MINUTE, NOW - MINUTE, NOW);
    store.telemetry.setCoverage(REGION, "logs", 60, NOW - 20 * MINUTE, NOW - 3 * MINUTE, NOW);
    await forwardStep(ctx, "logs", NOW);
    expect(errorQueries(asked)).toEqual([]);
    expect(charged.find((c) => c.source === "errors")!.cost.requests).toBe(0);
  });
});
