/**
 * getEdgeReplicas over fake CloudWatch and Logs ports (only AWS is replaced) and the real cache: a non-Edge
 * function costs nothing; each region and each of its two reads settles on its own; an empty metric series is 0
 * only when CloudWatch called it Complete; the period is valid for the window's age; log pages are followed
 * (oldest first, possibly empty) to the newest lines, bounded and said "truncated"; a missing replica log group
 * is "no replica logged here", not a failure; a whole reading is cached, a degraded one is not.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { FleetscopeError, type Outcome } from "@/lib/core/errors";
import type { PushSource } from "@/lib/core/triggers/types";
import { bytes, epochMs, mb, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import {
  getEdgeReplicas,
  LOG_DEADLINE_MS,
  MAX_LOG_PAGES,
  metricPlan,
  minuteWindow,
  type EdgeDeps,
} from "@/lib/data/edge";
import { createMeter } from "@/lib/data/traces/meter";
import type { FunctionTriggers } from "@/lib/data/triggers";

const MIN = 60_000;
const DAY = 1440 * MIN;
const T0 = Date.UTC(2026, 10, 23, 11, 0, 0);
/** The clock of a view of `range`: shortly after it ends. */
const NOW = T0 + 61 * MIN;
const range = { from: T0 + 1234, to: T0 + 60 * MIN + 5678 };

const home: AccountTarget = {
  id: parseAccountId("123456789012"),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const member: AccountTarget = {
  ...home,
  id: parseAccountId("222222222222"),
  name: "member-1",
  source: "role",
  roleArn: "arn:aws:iam::222222222222:role/fleetscope",
};

const config = {
  memory: mb(128),
  timeout: seconds(5),
  envVarsSize: bytes(0),
  architecture: "x86_64" as const,
  layers: [],
  packageType: "Zip" as const,
  runtime: "nodejs22.x",
  ephemeralStorage: mb(512),
  deadLetterTarget: null,
  logGroup: "/aws/lambda/edge-fn",
};

const replicator: PushSource = {
  sid: "replicator",
  principal: "replicator.lambda.amazonaws.com",
  kind: "other",
  sourceArn: null,
};

function triggers(pushSources: Outcome<PushSource[]>): Promise<Pick<FunctionTriggers, "pushSources">> {
  return Promise.resolve({ pushSources });
}

/**
 * Fake ports: per region, invocations/errors, or an error to throw; per region, the metric StatusCode
 * ("Complete" unless said); log groups by region, as one page of lines or as pages (each page's events spread
 * over the log window, oldest page first, a nextToken on every page but the last).
 */
function fakeDeps(opts: {
  metrics: Record<string, { invocations: number; errors: number } | FleetscopeError>;
  status?: Record<string, string>;
  logs: Record<string, string[] | { pages: string[][] } | FleetscopeError>;
  now?: () => number;
}) {
  const calls: string[] = [];
  const deps: EdgeDeps = {
    cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
    regions: () => ({ configured: ["us-east-1"], explicit: ["us-east-1", "eu-west-1", "ap-northeast-1"] }),
    now: opts.now ?? (() => NOW),
    cloudWatch: (region, account) => ({
      async getMetricData(queries, window, options) {
        calls.push(`GetMetricData ${region}${account === home ? "" : ` ${account?.id ?? "own"}`}`);
        options?.onRequest?.();
        expect(queries.map((q) => [q.metricName, q.stat, q.dimensions])).toEqual([
          ["Invocations", "Sum", { kind: "function", functionName: "us-east-1.edge-fn" }],
          ["Errors", "Sum", { kind: "function", functionName: "us-east-1.edge-fn" }],
        ]);
        expect(queries[0]?.period).toBe((window.end - window.start) / 1000);
        const m = opts.metrics[region];
        if (m instanceof FleetscopeError) throw m;
        for (const q of queries) options?.onStatus?.(q.key, opts.status?.[region] ?? "Complete");
        const point = (v: number | undefined) =>
          v === undefined || v === 0
            ? { timestamps: [], values: [] }
            : { timestamps: [window.start], values: [v] };
        return new Map([
          ["invocations", point(m?.invocations)],
          ["errors", point(m?.errors)],
        ]);
      },
    }),
    logEvents: (region, account) => ({
      async filterLogEvents(input) {
        calls.push(`FilterLogEvents ${region}${account === home ? "" : ` ${account?.id ?? "own"}`}`);
        expect(input.logGroup).toBe("/aws/lambda/us-east-1.edge-fn");
        const l = opts.logs[region];
        if (l instanceof FleetscopeError) throw l;
        if (!l) throw new FleetscopeError("NotFound", "The specified log group does not exist.");
        const pages = Array.isArray(l) ? [l] : l.pages;
        const index = input.nextToken === undefined ? 0 : Number(input.nextToken.replace("page-", ""));
        const span = Math.floor((input.to - input.from) / pages.length);
        const events = (pages[index] ?? []).map((message, i) => ({
          timestamp: epochMs(input.from + index * span + i),
          message,
          logStream: "s",
        }));
        return { events, nextToken: index + 1 < pages.length ? `page-${index + 1}` : null };
      },
    }),
  };
  return { deps, calls };
}

const request = (pushSources: Outcome<PushSource[]>, meter = createMeter(), account = home) => ({
  account,
  region: "us-east-1",
  name: "edge-fn",
  config,
  triggers: triggers(pushSources),
  range,
  meter,
});

describe("getEdgeReplicas", () => {
  it("returns null, and asks AWS nothing, for a function whose policy names no Edge principal", async () => {
    const { deps, calls } = fakeDeps({ metrics: {}, logs: {} });
    const s3: PushSource = {
      sid: "s3",
      principal: "s3.amazonaws.com",
      kind: "s3",
      sourceArn: "arn:aws:s3:::b",
    };
    expect(await getEdgeReplicas(request({ ok: true, value: [s3] }), deps)).toBeNull();
    expect(
      await getEdgeReplicas(request({ ok: false, error: { code: "Throttled", message: "x" } }), deps),
    ).toBeNull();
    expect(calls).toEqual([]);
  });

  it("reads each region on its own: a failing region keeps its failure, the others their numbers", async () => {
    const { deps, calls } = fakeDeps({
      metrics: {
        "us-east-1": { invocations: 120, errors: 0 },
        "eu-west-1": new FleetscopeError("Throttled", "Rate exceeded"),
        "ap-northeast-1": { invocations: 0, errors: 0 },
      },
      logs: { "us-east-1": ["START RequestId: a Version: 3\n"], "eu-west-1": ["REPORT RequestId: b\n"] },
    });
    const meter = createMeter();
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }, meter), deps);
    expect(edge).not.toBeNull();
    const byRegion = new Map(edge!.regions.map((r) => [r.region, r]));
    expect(byRegion.get("us-east-1")?.metrics).toEqual({ ok: true, value: { invocations: 120, errors: 0 } });
    expect(byRegion.get("eu-west-1")?.metrics).toEqual({
      ok: false,
      error: { code: "Throttled", message: "Rate exceeded" },
    });
    // No datapoint is no invocation (CloudWatch omits empty periods), and no log group is no replica logging.
    expect(byRegion.get("ap-northeast-1")?.metrics).toEqual({
      ok: true,
      value: { invocations: 0, errors: 0 },
    });
    expect(byRegion.get("ap-northeast-1")?.logs).toEqual({
      ok: true,
      value: { groupExists: false, lines: [], pages: 0, truncated: false },
    });
    expect(byRegion.get("eu-west-1")?.logs).toMatchObject({ ok: true, value: { groupExists: true } });
    expect(edge!.searched).toEqual(["us-east-1", "eu-west-1", "ap-northeast-1"]);
    expect(edge!.searchedFrom).toBe("FLEETSCOPE_EDGE_REGIONS");
    expect(edge!.window).toEqual(minuteWindow(range));
    expect(edge!.logWindow.end - edge!.logWindow.start).toBe(3 * MIN);
    expect(edge!.findings).toEqual([]);
    expect(edge!.requests).toBe(6);
    expect(meter.cost()).toEqual({ total: 6, byOperation: { GetMetricData: 3, FilterLogEvents: 3 } });
    expect(calls).toHaveLength(6);
    // Degraded (eu-west-1 failed): not kept, the next view asks again.
    await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    expect(calls).toHaveLength(12);
  });

  it("caches a whole reading: the next view in the same minute costs no request", async () => {
    const { deps, calls } = fakeDeps({
      metrics: { "us-east-1": { invocations: 5, errors: 1 } },
      logs: { "us-east-1": ["x"] },
    });
    const first = await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const meter = createMeter();
    const second = await getEdgeReplicas(request({ ok: true, value: [replicator] }, meter), deps);
    expect(first?.requests).toBe(6);
    expect(second?.requests).toBe(0);
    expect(second?.regions).toEqual(first?.regions);
    expect(meter.cost().total).toBe(0);
    expect(calls).toHaveLength(6);
  });

  it("reads a member account's replicas through that account, cached apart from a same-named function's", async () => {
    const { deps, calls } = fakeDeps({
      metrics: { "us-east-1": { invocations: 5, errors: 1 } },
      logs: { "us-east-1": ["x"] },
    });
    await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const other = await getEdgeReplicas(
      request({ ok: true, value: [replicator] }, createMeter(), member),
      deps,
    );
    expect(other?.requests).toBe(6);
    expect(calls.filter((c) => c.endsWith(member.id))).toHaveLength(6);
  });
});

describe("getEdgeReplicas: metrics", () => {
  it("calls a region failed, never 0, when CloudWatch did not return its metrics Complete", async () => {
    const { deps, calls } = fakeDeps({
      metrics: { "us-east-1": { invocations: 0, errors: 0 }, "eu-west-1": { invocations: 0, errors: 0 } },
      status: { "eu-west-1": "InternalError" },
      logs: {},
    });
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const byRegion = new Map(edge!.regions.map((r) => [r.region, r.metrics]));
    expect(byRegion.get("us-east-1")).toEqual({ ok: true, value: { invocations: 0, errors: 0 } });
    expect(byRegion.get("eu-west-1")).toEqual({
      ok: false,
      error: {
        code: "Unavailable",
        message: "GetMetricData Invocations came back InternalError, not Complete",
      },
    });
    // Degraded: not kept.
    await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    expect(calls.filter((c) => c === "GetMetricData eu-west-1")).toHaveLength(2);
  });

  it("reads an old range in whole periods CloudWatch keeps at that age", async () => {
    const { deps } = fakeDeps({ metrics: { "us-east-1": { invocations: 7, errors: 0 } }, logs: {} });
    // Viewed 20 days later: 5-minute points only.
    const later = { ...deps, now: () => NOW + 20 * DAY };
    const edge = await getEdgeReplicas(
      { ...request({ ok: true, value: [replicator] }), range: { from: T0 + 7 * MIN, to: T0 + 68 * MIN } },
      later,
    );
    expect(edge!.window).toEqual({ start: T0 + 5 * MIN, end: T0 + 65 * MIN });
    expect(edge!.period).toBe(3600);
    expect(edge!.regions[0]?.metrics).toEqual({ ok: true, value: { invocations: 7, errors: 0 } });
  });

  it("says a range older than CloudWatch keeps cannot be read, without asking", async () => {
    const { deps, calls } = fakeDeps({ metrics: {}, logs: {} });
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }), {
      ...deps,
      now: () => NOW + 500 * DAY,
    });
    expect(edge!.period).toBeNull();
    for (const r of edge!.regions)
      expect(r.metrics).toMatchObject({ ok: false, error: { code: "InvalidInput" } });
    expect(calls.filter((c) => c.startsWith("GetMetricData"))).toEqual([]);
  });
});

describe("metricPlan", () => {
  const window = { start: epochMs(T0 + 7 * MIN), end: epochMs(T0 + 68 * MIN) };

  it("keeps a recent minute window as it is, one period long", () => {
    expect(metricPlan(window, T0 + 70 * MIN)).toEqual({ window, period: 61 * 60 });
  });

  it("uses multiples of 300 s past 15 days and of 3600 s past 63 days, aligned down", () => {
    expect(metricPlan(window, T0 + 16 * DAY)).toEqual({
      window: { start: T0 + 5 * MIN, end: T0 + 65 * MIN },
      period: 3600,
    });
    expect(metricPlan(window, T0 + 64 * DAY)).toEqual({
      window: { start: T0, end: T0 + 60 * MIN },
      period: 3600,
    });
    // Shorter than one multiple: one whole multiple from the aligned start.
    expect(metricPlan({ start: epochMs(T0 + MIN), end: epochMs(T0 + 2 * MIN) }, T0 + 64 * DAY)).toEqual({
      window: { start: T0, end: T0 + 60 * MIN },
      period: 3600,
    });
  });

  it("moves to the next tier when aligning the start ages it past a boundary", () => {
    // A minute short of 63 days old: the 300 s tier, but aligned down to 5 minutes the start is older than 63
    // days, where only hourly points are kept: the hour tier decides.
    const now = T0 + 7 * MIN + 63 * DAY - MIN;
    expect(now - window.start).toBeLessThan(63 * DAY);
    expect(metricPlan(window, now)).toEqual({ window: { start: T0, end: T0 + 60 * MIN }, period: 3600 });
  });
});

describe("getEdgeReplicas: log pages", () => {
  it("follows a first page that is empty with a nextToken to the lines after it", async () => {
    const { deps, calls } = fakeDeps({
      metrics: {},
      logs: { "us-east-1": { pages: [[], ["START RequestId: a Version: 3\n", "REPORT RequestId: a\n"]] } },
    });
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const logs = edge!.regions.find((r) => r.region === "us-east-1")?.logs;
    expect(logs).toMatchObject({ ok: true, value: { groupExists: true, pages: 2, truncated: false } });
    expect(logs?.ok && logs.value.lines.map((l) => l.message)).toEqual([
      "START RequestId: a Version: 3\n",
      "REPORT RequestId: a\n",
    ]);
    expect(calls.filter((c) => c === "FilterLogEvents us-east-1")).toHaveLength(2);
    // 3 GetMetricData + 2 + 1 + 1 FilterLogEvents (the other regions have no group).
    expect(edge!.requests).toBe(7);
  });

  it("keeps the newest lines of the pages read, and says truncated when the page bound stops it", async () => {
    const pages = Array.from({ length: MAX_LOG_PAGES + 2 }, (_, p) =>
      Array.from({ length: 30 }, (_, i) => `page ${p} line ${i}`),
    );
    const { deps, calls } = fakeDeps({ metrics: {}, logs: { "us-east-1": { pages } } });
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const logs = edge!.regions.find((r) => r.region === "us-east-1")?.logs;
    expect(logs).toMatchObject({ ok: true, value: { pages: MAX_LOG_PAGES, truncated: true } });
    const messages = logs?.ok ? logs.value.lines.map((l) => l.message) : [];
    expect(messages).toHaveLength(25);
    expect(messages.at(-1)).toBe(`page ${MAX_LOG_PAGES - 1} line 29`);
    expect(messages[0]).toBe(`page ${MAX_LOG_PAGES - 1} line 5`);
    expect(calls.filter((c) => c === "FilterLogEvents us-east-1")).toHaveLength(MAX_LOG_PAGES);
  });

  it("asks for no further page once the deadline has passed", async () => {
    // A clock that moves LOG_DEADLINE_MS at every look: the look after the first page finds the deadline reached.
    let clock = NOW;
    const { deps, calls } = fakeDeps({
      metrics: {},
      logs: { "us-east-1": { pages: [[], [], ["x"]] } },
      now: () => (clock += LOG_DEADLINE_MS),
    });
    const edge = await getEdgeReplicas(request({ ok: true, value: [replicator] }), deps);
    const logs = edge!.regions.find((r) => r.region === "us-east-1")?.logs;
    expect(logs).toEqual({ ok: true, value: { groupExists: true, lines: [], pages: 1, truncated: true } });
    expect(calls.filter((c) => c === "FilterLogEvents us-east-1")).toHaveLength(1);
  });
});

describe("minuteWindow", () => {
  it("floors both ends to whole minutes and is never empty", () => {
    expect(minuteWindow(range)).toEqual({ start: T0, end: T0 + 60 * MIN });
    expect(minuteWindow({ from: T0 + 10, to: T0 + 20 })).toEqual({ start: T0 - MIN, end: T0 });
  });
});
