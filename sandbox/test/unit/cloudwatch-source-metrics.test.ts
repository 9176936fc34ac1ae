/**
 * The trigger metrics of the planted fleet (sandbox/src/cloudwatch/source-metrics.ts), read through the
 * CloudWatch handler from the real simulator: the lagging Kinesis consumer's climbing IteratorAge, the async
 * function's drops, the event source mapping metrics, and no datapoint where no trigger implies one.
 */
import { describe, expect, it } from "vitest";
import { handleCloudWatch } from "../../src/cloudwatch/handler";
import { generateAccount } from "../../src/fleet/generate";
import type { SimFunction, StreamMapping } from "../../src/fleet/model";
import type { SandboxContext } from "../../src/http/types";
import { createSimulator } from "../../src/sim/simulator";
import type { Simulator } from "../../src/sim/types";
import { request } from "../support/cloudwatch-fixture";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const account = generateAccount({ seed: 7, nowMs: NOW, functionsPerRegion: 20 });
const region = account.regions.get("us-east-1")!;
const sim = createSimulator(account, { now: () => NOW });
const ctx = (s: Simulator = sim): SandboxContext => ({ account, now: () => NOW, sim: s });

const fnNamed = (name: string): SimFunction => {
  const f = region.functions.get(name);
  if (!f) throw new Error(`missing ${name}`);
  return f;
};
const uuidOf = (name: string) => fnNamed(name).eventSources?.[0]?.uuid as string;

type Dims = Record<string, string>;
interface Series {
  timestamps: number[];
  values: number[];
}

async function series(
  metric: string,
  stat: string,
  dims: Dims,
  opts: { period?: number; from?: number; to?: number; s?: Simulator } = {},
): Promise<Series> {
  const body = {
    StartTime: (opts.from ?? NOW - DAY) / 1000,
    EndTime: (opts.to ?? NOW) / 1000,
    ScanBy: "TimestampAscending",
    MetricDataQueries: [
      {
        Id: "m",
        MetricStat: {
          Metric: {
            Namespace: "AWS/Lambda",
            MetricName: metric,
            Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: opts.period ?? 86_400,
          Stat: stat,
        },
      },
    ],
  };
  const res = await handleCloudWatch(request("GetMetricData", body), ctx(opts.s));
  expect(res.status).toBe(200);
  const out = JSON.parse(String(res.body)) as {
    MetricDataResults: { Timestamps: number[]; Values: number[] }[];
  };
  const r = out.MetricDataResults[0]!;
  return { timestamps: r.Timestamps, values: r.Values };
}

const total = async (metric: string, stat: string, dims: Dims, opts?: { period?: number; from?: number }) =>
  (await series(metric, stat, dims, opts)).values.reduce((a, v) => a + v, 0);

const fnDims = (name: string): Dims => ({ FunctionName: name });

describe("clickstream-consumer's iterator age", () => {
  const growth = (fnNamed("clickstream-consumer").eventSources?.[0] as StreamMapping).iteratorAgeGrowth!;

  it("climbs for the last 6 h, from about a second to hours, every hour above the one before", async () => {
    const hourly = await series("IteratorAge", "Maximum", fnDims("clickstream-consumer"), {
      period: 3600,
      from: NOW - 8 * HOUR,
    });
    expect(hourly.values).toHaveLength(8);
    const [before, , ...lagging] = hourly.values as [number, number, ...number[]];
    expect(before).toBeLessThan(5_000);
    for (let i = 1; i < lagging.length; i++) expect(lagging[i]).toBeGreaterThan(lagging[i - 1]!);
    // 48 minutes more behind every hour: about 4.8 h at now.
    const last = lagging.at(-1)!;
    expect(last).toBeGreaterThan(4.7 * HOUR);
    expect(last).toBeLessThan(4.9 * HOUR);
    expect(growth.perHourMs).toBe(0.8 * HOUR);
  });

  it("rises minute after minute once behind (Maximum and Average), the average under the maximum", async () => {
    const opts = { period: 60, from: growth.sinceMs + 5 * 60_000 };
    const max = await series("IteratorAge", "Maximum", fnDims("clickstream-consumer"), opts);
    const avg = await series("IteratorAge", "Average", fnDims("clickstream-consumer"), opts);
    expect(max.timestamps).toEqual(avg.timestamps);
    expect(max.values.length).toBeGreaterThan(300);
    for (let i = 1; i < max.values.length; i++) {
      expect(max.values[i]).toBeGreaterThan(max.values[i - 1]!);
      expect(avg.values[i]).toBeGreaterThan(avg.values[i - 1]!);
      expect(avg.values[i]).toBeLessThanOrEqual(max.values[i]!);
      // Within one minute the age grows by under a minute's 48 s plus noise of a few seconds.
      expect(max.values[i]! - avg.values[i]!).toBeLessThan(60_000);
    }
  });

  it("counts one sample per batch invocation, alike at function, alias and executed-version level", async () => {
    const invocations = await total("Invocations", "Sum", fnDims("clickstream-consumer"));
    expect(await total("IteratorAge", "SampleCount", fnDims("clickstream-consumer"))).toBe(invocations);
    const resource = { ...fnDims("clickstream-consumer"), Resource: "clickstream-consumer:live" };
    const version = fnNamed("clickstream-consumer").aliases[0]!.history.at(-1)!.functionVersion;
    const executed = { ...resource, ExecutedVersion: version };
    const atFunction = await series("IteratorAge", "Maximum", fnDims("clickstream-consumer"), {
      period: 300,
    });
    expect(await series("IteratorAge", "Maximum", resource, { period: 300 })).toEqual(atFunction);
    expect(await series("IteratorAge", "Maximum", executed, { period: 300 })).toEqual(atFunction);
  });

  it("stays small and steady for the well-configured DynamoDB consumer", async () => {
    const hourly = await series("IteratorAge", "Maximum", fnDims("audit-trail"), { period: 3600 });
    expect(hourly.values).toHaveLength(24);
    expect(Math.max(...hourly.values)).toBeLessThan(30_000);
  });

  it("is the largest consumer's age for the region", async () => {
    // Two hours, not the day: the region's series simulates every function of the region.
    const opts = { period: 600, from: NOW - 2 * HOUR };
    const regionMax = await series("IteratorAge", "Maximum", {}, opts);
    const click = await series("IteratorAge", "Maximum", fnDims("clickstream-consumer"), opts);
    const audit = await series("IteratorAge", "Maximum", fnDims("audit-trail"), opts);
    expect(regionMax.values).toHaveLength(12);
    expect(regionMax.values).toEqual(click.values.map((v, i) => Math.max(v, audit.values[i]!)));
  });
});

describe("thumbnail-async's asynchronous events", () => {
  const dims = fnDims("thumbnail-async");

  it("drops about its drop rate of the events it receives", async () => {
    const received = await total("AsyncEventsReceived", "Sum", dims);
    const dropped = await total("AsyncEventsDropped", "Sum", dims);
    expect(received).toBeGreaterThan(10_000);
    expect(dropped / received).toBeGreaterThan(0.035);
    expect(dropped / received).toBeLessThan(0.05);
    expect(fnNamed("thumbnail-async").asyncDropRate).toBe(0.04);
  });

  it("receives what ran plus what expired; with no retry left, every failed invocation is dropped too", async () => {
    const received = await total("AsyncEventsReceived", "Sum", dims);
    const dropped = await total("AsyncEventsDropped", "Sum", dims);
    const invocations = await total("Invocations", "Sum", dims);
    const errors = await total("Errors", "Sum", dims);
    expect(errors).toBeGreaterThan(0);
    expect(dropped).toBe(received - invocations + errors);
    expect(await total("AsyncEventAge", "SampleCount", dims)).toBe(invocations);
    expect(await total("AsyncEventsDropped", "SampleCount", dims)).toBe(received);
  });

  it("waits tens of milliseconds in the queue", async () => {
    const p50 = await series("AsyncEventAge", "p50", dims);
    expect(p50.values[0]).toBeGreaterThan(10);
    expect(p50.values[0]).toBeLessThan(200);
  });

  it("publishes no DLQ or destination failures (it has neither) and no recursive drops (loops are allowed)", async () => {
    for (const metric of ["DeadLetterErrors", "DestinationDeliveryFailures", "RecursiveInvocationsDropped"]) {
      expect((await series(metric, "Sum", dims)).values).toEqual([]);
    }
  });

  it("has report-generator, with retries and a DLQ, drop nothing and fail no DLQ delivery", async () => {
    const rg = fnDims("report-generator");
    expect(await total("AsyncEventsReceived", "Sum", rg)).toBe(await total("Invocations", "Sum", rg));
    expect(await total("AsyncEventsDropped", "Sum", rg)).toBe(0);
    const dlq = await series("DeadLetterErrors", "Sum", rg);
    expect(dlq.values.length).toBeGreaterThan(0);
    expect(dlq.values.every((v) => v === 0)).toBe(true);
  });

  it("adds up to the region's AsyncEventsDropped", async () => {
    // Two hours, not the day: each function's series simulates that function.
    const opts = { from: NOW - 2 * HOUR };
    const names = [...region.functions.keys()];
    let sum = 0;
    for (const n of names) sum += await total("AsyncEventsDropped", "Sum", fnDims(n), opts);
    expect(sum).toBeGreaterThan(0);
    expect(await total("AsyncEventsDropped", "Sum", {}, opts)).toBe(sum);
    expect(sum).toBe(await total("AsyncEventsDropped", "Sum", dims, opts));
  });
});

describe("event source mapping metrics (EventSourceMappingUUID)", () => {
  it("counts full batches of 100 for every invocation of the lagging Kinesis consumer", async () => {
    const from = NOW - 5 * HOUR;
    const mapping = { EventSourceMappingUUID: uuidOf("clickstream-consumer") };
    const invocations = await total("Invocations", "Sum", fnDims("clickstream-consumer"), { from });
    const invoked = await total("InvokedEventCount", "Sum", mapping, { from });
    expect(invoked).toBe(invocations * 100);
    expect(await total("PolledEventCount", "Sum", mapping, { from })).toBe(invoked);
    const errors = await total("Errors", "Sum", fnDims("clickstream-consumer"), { from });
    expect(await total("FailedInvokeEventCount", "Sum", mapping, { from })).toBe(errors * 100);
    expect(await total("DroppedEventCount", "Sum", mapping, { from })).toBe(0);
    // No filter, no on-failure destination: those metrics are not published.
    expect((await series("FilteredOutEventCount", "Sum", mapping)).values).toEqual([]);
    expect((await series("OnFailureDestinationDeliveredEventCount", "Sum", mapping)).values).toEqual([]);
  });

  it("polls what it invokes with plus what its filter removes, for the DynamoDB consumer", async () => {
    const mapping = { EventSourceMappingUUID: uuidOf("audit-trail") };
    const polled = await total("PolledEventCount", "Sum", mapping);
    const invoked = await total("InvokedEventCount", "Sum", mapping);
    const filtered = await total("FilteredOutEventCount", "Sum", mapping);
    expect(filtered).toBeGreaterThan(0);
    expect(polled).toBe(invoked + filtered);
    expect(await total("InvokedEventCount", "SampleCount", mapping)).toBe(
      await total("Invocations", "Sum", fnDims("audit-trail")),
    );
    expect((await series("InvokedEventCount", "Maximum", mapping)).values[0]).toBeLessThanOrEqual(50);
    expect(await total("OnFailureDestinationDeliveredEventCount", "Sum", mapping)).toBe(0);
  });

  it("publishes nothing for mappings without MetricsConfig, a disabled one, or under FunctionName", async () => {
    for (const name of ["email-sender", "legacy-sync"]) {
      expect(
        (await series("PolledEventCount", "Sum", { EventSourceMappingUUID: uuidOf(name) })).values,
      ).toEqual([]);
    }
    expect((await series("PolledEventCount", "Sum", fnDims("clickstream-consumer"))).values).toEqual([]);
  });
});

describe("functions without such sources", () => {
  it.each(["orders-api", "email-sender", "legacy-sync", "image-resizer"])(
    "%s has no iterator age and no async metric",
    async (name) => {
      expect(await total("Invocations", "Sum", fnDims(name))).toBeGreaterThan(0);
      for (const metric of ["IteratorAge", "AsyncEventsReceived", "AsyncEventAge", "AsyncEventsDropped"]) {
        expect((await series(metric, "Maximum", fnDims(name))).values).toEqual([]);
      }
    },
  );
});

describe("ListMetrics", () => {
  const list = async (body: object) => {
    const res = await handleCloudWatch(request("ListMetrics", body), ctx());
    const out = JSON.parse(String(res.body)) as {
      Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[];
    };
    return out.Metrics.map(
      (m) => `${m.MetricName}|${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(",")}`,
    );
  };

  it.each([{}, { RecentlyActive: "PT3H" }])(
    "lists the trigger series where they have data (%o)",
    async (opts) => {
      const keys = await list({ Namespace: "AWS/Lambda", ...opts });
      expect(keys).toContain("IteratorAge|FunctionName=clickstream-consumer");
      expect(keys).toContain("IteratorAge|FunctionName=audit-trail,Resource=audit-trail:live");
      expect(keys).toContain("IteratorAge|");
      expect(keys).toContain("AsyncEventsDropped|FunctionName=thumbnail-async");
      expect(keys).toContain("AsyncEventsDropped|");
      expect(keys).toContain("DeadLetterErrors|FunctionName=report-generator");
      expect(keys).toContain(`PolledEventCount|EventSourceMappingUUID=${uuidOf("clickstream-consumer")}`);
      expect(keys).toContain(`FilteredOutEventCount|EventSourceMappingUUID=${uuidOf("audit-trail")}`);
      expect(keys).not.toContain(
        `FilteredOutEventCount|EventSourceMappingUUID=${uuidOf("clickstream-consumer")}`,
      );
      expect(
        keys.filter((k) => k.includes(uuidOf("email-sender")) || k.includes(uuidOf("legacy-sync"))),
      ).toEqual([]);
      expect(keys.filter((k) => k.startsWith("IteratorAge|FunctionName=orders-api"))).toEqual([]);
      expect(keys.filter((k) => k.startsWith("RecursiveInvocationsDropped"))).toEqual([]);
    },
  );

  it("lists for each trigger metric exactly the series GetMetricData has datapoints for", async () => {
    const keys = await list({ Namespace: "AWS/Lambda", RecentlyActive: "PT3H" });
    const sourceKeys = keys.filter((k) => /^(IteratorAge|Async|DeadLetter|Destination|.*EventCount)/.test(k));
    expect(sourceKeys.length).toBeGreaterThan(20);
    for (const k of sourceKeys) {
      const [metric, dims] = k.split("|") as [string, string];
      const d = Object.fromEntries(dims ? dims.split(",").map((p) => p.split("=") as [string, string]) : []);
      const s = await series(metric, "SampleCount", d, { from: NOW - 3 * HOUR, period: 3 * 3600 });
      expect(s.values.length, k).toBe(1);
    }
  });
});

describe("the summary and full-record paths", () => {
  it("agree on every trigger metric", async () => {
    const recordsOnly: Simulator = { minute: sim.minute, minutes: sim.minutes };
    const opts = { period: 60, from: NOW - 20 * 60_000 };
    const cases: [string, string, Dims][] = [
      ["IteratorAge", "Average", fnDims("clickstream-consumer")],
      ["IteratorAge", "p99", { ...fnDims("audit-trail"), Resource: "audit-trail:live" }],
      ["AsyncEventsDropped", "Sum", fnDims("thumbnail-async")],
      ["AsyncEventAge", "Average", fnDims("thumbnail-async")],
      ["AsyncEventsReceived", "Sum", {}],
      ["PolledEventCount", "Sum", { EventSourceMappingUUID: uuidOf("audit-trail") }],
      ["FailedInvokeEventCount", "Sum", { EventSourceMappingUUID: uuidOf("clickstream-consumer") }],
    ];
    for (const [metric, stat, dims] of cases) {
      const fromSummaries = await series(metric, stat, dims, opts);
      expect(fromSummaries.values.length, metric).toBe(20);
      expect(await series(metric, stat, dims, { ...opts, s: recordsOnly }), metric).toEqual(fromSummaries);
    }
  });
});
