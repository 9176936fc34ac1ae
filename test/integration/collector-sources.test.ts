/**
 * The collector's async and stream fields against the sandbox over HTTP, with a real SQLite store: per minute,
 * what it keeps for thumbnail-async (AsyncEventsReceived, AsyncEventsDropped, AsyncEventAge) and for
 * clickstream-consumer (IteratorAge) equals what GetMetricData (the SDK, straight to the sandbox) returns, a
 * function publishing none of them keeps none (null, not 0), and coarser tiers add up / max the finer ones.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { createCollector } from "@/lib/collector/collector";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import type { MetricRollup } from "@/lib/core/rollup/types";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { TEST_CREDENTIALS, TEST_NOW, TEST_SEED, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
/** The sandbox's one account (its default seed's id) in that region. */
const SCOPE: Scope = { account: parseAccountId(accountIdFor(TEST_SEED)), region: REGION };
const HORIZON = 2 * HOUR;

let sb: Sandbox;
let store: Store;
const clock = { t: TEST_NOW };

beforeAll(async () => {
  resetPublishers();
  sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  store = createStore(openDatabase(":memory:"));
  const collector = createCollector({
    scopes: () => [SCOPE],
    portsFor: (scope) => sandboxPorts(sb.url)(scope.region),
    store,
    owner: "test",
    settings: { horizonMs: HORIZON },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  const settings = { ...DEFAULT_SETTINGS, horizonMs: HORIZON };
  const done = async () => {
    const p = await backfillProgress(
      { scope: SCOPE, telemetry: store.telemetry, settings },
      "metrics",
      clock.t,
    );
    return p.collectedMs >= p.targetMs;
  };
  try {
    for (let i = 0; i < 200 && !(await done()); i++) {
      await collector.tick();
      clock.t += 20_000;
    }
    expect(await done()).toBe(true);
  } finally {
    await collector.stop();
  }
}, 180_000);

afterAll(async () => {
  await sb?.close();
});

/** One series per minute from the sandbox, by the SDK: timestamp → value. */
async function sandboxSeries(
  fn: string,
  metricName: string,
  stat: string,
  w: { start: number; end: number },
) {
  const cw = new CloudWatchClient({ region: REGION, endpoint: sb.url, credentials: TEST_CREDENTIALS });
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(w.start),
      EndTime: new Date(w.end),
      MetricDataQueries: [
        {
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: metricName,
              Dimensions: [{ Name: "FunctionName", Value: fn }],
            },
            Period: 60,
            Stat: stat,
          },
        },
      ],
    }),
  );
  const res = r.MetricDataResults?.[0];
  const out = new Map<number, number>();
  (res?.Timestamps ?? []).forEach((t, i) => out.set(t.getTime(), res?.Values?.[i] as number));
  return out;
}

/** The store's 1-minute rows of `fn`: timestamp → field, for the minutes holding a value. */
async function storeSeries(fn: string, field: keyof MetricRollup, w: { start: number; end: number }) {
  const out = new Map<number, number>();
  for (const r of await store.telemetry.metricRows(SCOPE, 60, w.start, w.end, fn)) {
    const v = r[field];
    if (typeof v === "number") out.set(r.t, v);
  }
  return out;
}

const W = { start: TEST_NOW - 90 * MINUTE, end: TEST_NOW - 30 * MINUTE };
const sorted = (m: Map<number, number>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
/** A count: minutes without a datapoint hold 0 (the row exists for the function's other metrics). */
const nonZero = (m: Map<number, number>) => sorted(m).filter(([, v]) => v !== 0);

describe("collector: async and stream metrics", () => {
  it("keeps thumbnail-async's async metrics per minute exactly as GetMetricData returns them", async () => {
    const received = await sandboxSeries("thumbnail-async", "AsyncEventsReceived", "Sum", W);
    expect(received.size).toBeGreaterThan(0);
    expect(sorted(await storeSeries("thumbnail-async", "asyncReceived", W))).toEqual(sorted(received));
    const dropped = await sandboxSeries("thumbnail-async", "AsyncEventsDropped", "Sum", W);
    expect([...dropped.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(nonZero(await storeSeries("thumbnail-async", "asyncDropped", W))).toEqual(nonZero(dropped));
    const age = await sandboxSeries("thumbnail-async", "AsyncEventAge", "Maximum", W);
    expect(sorted(await storeSeries("thumbnail-async", "asyncAgeMax", W))).toEqual(sorted(age));
    // No DLQ, no destination: never published, so never stored.
    expect((await storeSeries("thumbnail-async", "deadLetterErrors", W)).size).toBe(0);
    expect((await storeSeries("thumbnail-async", "destinationFailures", W)).size).toBe(0);
  });

  it("keeps clickstream-consumer's IteratorAge maximum per minute, rising over the window", async () => {
    const age = await sandboxSeries("clickstream-consumer", "IteratorAge", "Maximum", W);
    expect(age.size).toBeGreaterThan(30);
    const kept = sorted(await storeSeries("clickstream-consumer", "iteratorAgeMax", W));
    expect(kept).toEqual(sorted(age));
    // The planted backlog grows 48 min an hour: the last minute is far behind the first.
    expect((kept[kept.length - 1]?.[1] ?? 0) - (kept[0]?.[1] ?? 0)).toBeGreaterThan(30 * MINUTE);
    expect((await storeSeries("clickstream-consumer", "asyncReceived", W)).size).toBe(0);
  });

  it("a function without async or stream sources keeps none of these fields", async () => {
    const rows = await store.telemetry.metricRows(SCOPE, 60, W.start, W.end, "payments-api");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows)
      expect([r.iteratorAgeMax, r.asyncReceived, r.asyncAgeMax, r.offsetLagMax]).toEqual([
        null,
        null,
        null,
        null,
      ]);
  });

  it("rolls the fields up into 5-minute rows: counts add, ages take the max", async () => {
    const w = { start: TEST_NOW - 60 * MINUTE, end: TEST_NOW - 30 * MINUTE };
    const fine = await store.telemetry.metricRows(SCOPE, 60, w.start, w.end, "thumbnail-async");
    const coarse = await store.telemetry.metricRows(SCOPE, 300, w.start, w.end, "thumbnail-async");
    expect(coarse.length).toBeGreaterThan(0);
    const sum = (rows: MetricRollup[]) => rows.reduce((a, r) => a + (r.asyncReceived ?? 0), 0);
    const max = (rows: MetricRollup[]) => Math.max(...rows.map((r) => r.asyncAgeMax ?? -1));
    expect(sum(coarse)).toBe(sum(fine));
    expect(max(coarse)).toBe(max(fine));
    const iter = async (res: 60 | 300) =>
      Math.max(
        ...(await store.telemetry.metricRows(SCOPE, res, w.start, w.end, "clickstream-consumer")).map(
          (r) => r.iteratorAgeMax ?? -1,
        ),
      );
    expect(await iter(300)).toBe(await iter(60));
  });
});
