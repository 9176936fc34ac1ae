/**
 * getEdgeReplicas over fake CloudWatch and Logs ports (only AWS is replaced) and the real cache: a non-Edge
 * function costs nothing; each region and each of its two reads settles on its own; a missing replica log group
 * is "no replica logged here", not a failure; a whole reading is cached (the next view costs no request), a
 * degraded one is not.
 */
import { describe, expect, it } from "vitest";
import { FleetscopeError, type Outcome } from "@/lib/core/errors";
import type { PushSource } from "@/lib/core/triggers/types";
import { bytes, epochMs, mb, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { getEdgeReplicas, minuteWindow, type EdgeDeps } from "@/lib/data/edge";
import { createMeter } from "@/lib/data/traces/meter";
import type { FunctionTriggers } from "@/lib/data/triggers";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 11, 0, 0);
const range = { from: T0 + 1234, to: T0 + 60 * MIN + 5678 };

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

/** Fake ports: per region, invocations/errors, or an error to throw; log groups by region. */
function fakeDeps(opts: {
  metrics: Record<string, { invocations: number; errors: number } | FleetscopeError>;
  logs: Record<string, string[] | FleetscopeError>;
}) {
  const calls: string[] = [];
  const deps: EdgeDeps = {
    cache: createCache({ ttlMs: 60_000, maxEntries: 10 }),
    regions: () => ({ configured: ["us-east-1"], explicit: ["us-east-1", "eu-west-1", "ap-northeast-1"] }),
    cloudWatch: (region) => ({
      async getMetricData(queries, window, options) {
        calls.push(`GetMetricData ${region}`);
        options?.onRequest?.();
        expect(queries.map((q) => [q.metricName, q.stat, q.dimensions])).toEqual([
          ["Invocations", "Sum", { kind: "function", functionName: "us-east-1.edge-fn" }],
          ["Errors", "Sum", { kind: "function", functionName: "us-east-1.edge-fn" }],
        ]);
        expect(queries[0]?.period).toBe((window.end - window.start) / 1000);
        const m = opts.metrics[region];
        if (m instanceof FleetscopeError) throw m;
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
    logEvents: (region) => ({
      async filterLogEvents(input) {
        calls.push(`FilterLogEvents ${region}`);
        expect(input.logGroup).toBe("/aws/lambda/us-east-1.edge-fn");
        const l = opts.logs[region];
        if (l instanceof FleetscopeError) throw l;
        if (!l) throw new FleetscopeError("NotFound", "The specified log group does not exist.");
        return {
          events: l.map((message, i) => ({ timestamp: epochMs(input.from + i), message, logStream: "s" })),
          nextToken: null,
        };
      },
    }),
  };
  return { deps, calls };
}

const request = (pushSources: Outcome<PushSource[]>, meter = createMeter()) => ({
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
      value: { groupExists: false, lines: [], truncated: false },
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
});

describe("minuteWindow", () => {
  it("floors both ends to whole minutes and is never empty", () => {
    expect(minuteWindow(range)).toEqual({ start: T0, end: T0 + 60 * MIN });
    expect(minuteWindow({ from: T0 + 10, to: T0 + 20 })).toEqual({ start: T0 - MIN, end: T0 });
  });
});
