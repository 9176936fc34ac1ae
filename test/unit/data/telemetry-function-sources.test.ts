/**
 * The function page's event-source and async charts from the store, and its per-mapping counts read live
 * (lib/data/telemetry/function.ts, function-store.ts, mapping-metrics.ts): a real in-memory SQLite with
 * hand-written rollups, and a fake CloudWatch port that records what it was asked.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { CloudWatchPort, MetricQuery } from "@/lib/aws/cloudwatch";
import { FleetscopeError, type Outcome } from "@/lib/core/errors";
import { emptyMetric, type MetricRollup } from "@/lib/core/rollup/types";
import { bucketRange, type RangeBucket } from "@/lib/core/time/bucket";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { epochMs, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { createMeter } from "@/lib/data/traces/meter";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { withRegionMetrics } from "@/test/support/region-rows";
import { config } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const HOME: AccountTarget = {
  id: parseAccountId("123456789012"),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const SCOPE = { account: HOME.id, region: REGION };
const M = 60_000;
const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const bucket: RangeBucket = bucketRange(
  { start: epochMs(NOW - 61 * M), end: epochMs(NOW) },
  epochMs(NOW),
  seconds(60),
);
const at = (k: number) => bucket.start + k * M;

async function reader() {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  await inventory.putConfigs(SCOPE, [config({ name: "stream" }), config({ name: "plain" })], NOW);
  const rows: MetricRollup[] = [];
  for (let k = 0; k < 60; k++) {
    rows.push({ ...emptyMetric(SCOPE, "stream", 60, at(k)), invocations: 5, iteratorAgeMax: H + k * M });
    rows.push({ ...emptyMetric(SCOPE, "plain", 60, at(k)), invocations: 5 });
  }
  await telemetry.putMetrics(withRegionMetrics(rows));
  await telemetry.setCoverage(SCOPE, "metrics", 60, at(10), at(59), NOW - 30_000);
  return { telemetry, inventory };
}

async function fakeDeps() {
  const asked: MetricQuery[][] = [];
  const cloudwatch: CloudWatchPort = {
    region: REGION,
    async getMetricData(queries, _window, options) {
      options?.onRequest?.();
      asked.push([...queries]);
      return new Map(
        queries.map((q) => [q.key, { timestamps: [epochMs(at(30))], values: [q.metricName.length] }]),
      );
    },
  };
  const store = await reader();
  const deps: TelemetryDeps = {
    lambda: () => {
      throw new Error("Lambda called");
    },
    cloudwatch: () => cloudwatch,
    logs: () => {
      throw new Error("Logs called");
    },
    store: () => store,
    liveCache: createCache({ ttlMs: 30_000, maxEntries: 100 }),
    settledCache: createCache({ ttlMs: 600_000, maxEntries: 100 }),
    now: () => epochMs(NOW),
    insightsTimeoutMs: 1000,
  };
  return { deps, asked };
}

const mapping = (uuid: string, metrics: string[]): EventSourceMapping => ({
  uuid,
  sourceArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${uuid}`,
  kind: "kinesis",
  state: "Enabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: "OK",
  batchSize: 100,
  batchingWindowSeconds: null,
  startingPosition: "LATEST",
  filters: [],
  bisectOnError: false,
  reportBatchItemFailures: false,
  onFailureDestination: null,
  maxRetries: -1,
  maxRecordAgeSeconds: -1,
  parallelizationFactor: 1,
  lastModified: null,
  metrics,
});

const start = (name: string, deps: TelemetryDeps, mappings?: Promise<Outcome<EventSourceMapping[]>>) => {
  const meter = createMeter();
  const t = startFunctionTelemetry(
    {
      account: HOME,
      region: REGION,
      name,
      config: { logGroup: `/aws/lambda/${name}`, logFormat: "Text" },
      aliases: [],
      bucket,
      meter,
      mappings,
    },
    deps,
  );
  return { t, meter };
};

async function value<T>(p: Promise<Outcome<T>>): Promise<T> {
  const o = await p;
  if (!o.ok) throw new Error(`source failed: ${o.error.message}`);
  return o.value;
}

describe("event-source and async charts from the store", () => {
  it("charts the iterator age a function published, gaps where the store does not cover, in minutes", async () => {
    const { deps, asked } = await fakeDeps();
    const { t } = start("stream", deps);
    const s = await value(t.sources);
    const age = s.charts.find((c) => c.id === "fn-chart-iterator-age");
    if (age?.kind !== "chart") throw new Error("expected a chart");
    // 1 h + up to 59 min: below 2 h, so minutes.
    expect(age.unit).toBe("minutes");
    const points = age.lines[0]?.points ?? [];
    expect(points.find((p) => p.t === at(5))?.v).toBeNull(); // not collected
    expect(points.find((p) => p.t === at(30))?.v).toBe(90);
    expect(age.trend).toMatchObject({ firstMs: H + 10 * M, lastMs: H + 58 * M });
    expect(s.charts.find((c) => c.id === "fn-chart-async-events")?.kind).toBe("absent");
    expect(asked).toHaveLength(0); // store only
  });

  it("a function publishing none of them gets every chart absent with why", async () => {
    const { deps } = await fakeDeps();
    const s = await value(start("plain", deps).t.sources);
    expect(s.charts.every((c) => c.kind === "absent")).toBe(true);
  });
});

describe("per-mapping counts, live", () => {
  it("asks for the six counts of each mapping enabling EventCount in one call, metered and cached", async () => {
    const { deps, asked } = await fakeDeps();
    const mappings = [mapping("m-1", ["EventCount"]), mapping("m-2", [])];
    const first = start("stream", deps, Promise.resolve({ ok: true, value: mappings }));
    const counts = await value(first.t.mappingCounts);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.map((q) => [q.metricName, q.stat, q.dimensions])).toEqual(
      [
        "PolledEventCount",
        "InvokedEventCount",
        "FilteredOutEventCount",
        "FailedInvokeEventCount",
        "DroppedEventCount",
        "OnFailureDestinationDeliveredEventCount",
      ].map((m) => [m, "Sum", { kind: "eventSourceMapping", uuid: "m-1" }]),
    );
    expect(counts.map((c) => [c.uuid, c.counts?.[0]?.total ?? null])).toEqual([
      ["m-1", "PolledEventCount".length],
      ["m-2", null],
    ]);
    expect(counts[1]?.why).toContain("MetricsConfig");
    expect((await first.t.cost).byOperation).toEqual({ GetMetricData: 1 });
    // A second view of the same bucket is served from the cache: no request.
    const second = start("stream", deps, Promise.resolve({ ok: true, value: mappings }));
    await value(second.t.mappingCounts);
    expect(asked).toHaveLength(1);
    expect((await second.t.cost).total).toBe(0);
  });

  it("no mapping enabling metrics, no request; failed mappings fail this panel with their reason", async () => {
    const { deps, asked } = await fakeDeps();
    await value(
      start("stream", deps, Promise.resolve({ ok: true, value: [mapping("x", [])] })).t.mappingCounts,
    );
    expect(asked).toHaveLength(0);
    const failed = await start(
      "stream",
      deps,
      Promise.resolve({ ok: false, error: new FleetscopeError("Throttled", "Rate exceeded") }),
    ).t.mappingCounts;
    expect(failed).toMatchObject({
      ok: false,
      error: { code: "Throttled", message: expect.stringContaining("Rate exceeded") },
    });
  });
});
