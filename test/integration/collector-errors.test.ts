/**
 * The collector's error groups against the sandbox over HTTP, with a real SQLite store (in memory): for a
 * collected window, the failing functions have groups, per function the failure kinds add up to the Errors
 * metric the sandbox serves for the same minutes (read with @aws-sdk/client-cloudwatch, not the store),
 * timeouts and OOM kills are groups of their own, and the error query adds a bounded number of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { createCollector } from "@/lib/collector/collector";
import { errorsBackfillProgress } from "@/lib/collector/errors-step";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { TEST_CREDENTIALS, TEST_NOW, TEST_SEED, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const REGION = "us-east-1";
/** The sandbox's one account (its default seed's id) in that region. */
const SCOPE: Scope = { account: parseAccountId(accountIdFor(TEST_SEED)), region: REGION };
const HORIZON = 60 * MINUTE;

let sb: Sandbox;
let store: Store;
const clock = { t: TEST_NOW };
let ticks = 0;

beforeAll(async () => {
  resetPublishers();
  sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  store = createStore(openDatabase(":memory:"));
  const c = createCollector({
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
    const progress = [
      await errorsBackfillProgress({ scope: SCOPE, errors: store.errors, settings }, clock.t),
      ...(await Promise.all(
        (["metrics", "logs"] as const).map((source) =>
          backfillProgress({ scope: SCOPE, telemetry: store.telemetry, settings }, source, clock.t),
        ),
      )),
    ];
    return progress.every((p) => p.collectedMs >= p.targetMs);
  };
  for (; ticks < 200 && !(await done()); ticks++) {
    await c.tick();
    clock.t += 20_000;
  }
  await c.stop();
  if (!(await done())) throw new Error("backfill did not finish");
}, 300_000);

afterAll(async () => {
  await sb?.close();
});

/** The Errors metric per minute from the sandbox, by the SDK. */
async function errorsMetric(fn: string, w: { start: number; end: number }): Promise<Map<number, number>> {
  const cw = new CloudWatchClient({ region: REGION, endpoint: sb.url, credentials: TEST_CREDENTIALS });
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(w.start),
      EndTime: new Date(w.end),
      MetricDataQueries: [
        {
          Id: "e",
          MetricStat: {
            Metric: {
              Namespace: "AWS/Lambda",
              MetricName: "Errors",
              Dimensions: [{ Name: "FunctionName", Value: fn }],
            },
            Period: 60,
            Stat: "Sum",
          },
        },
      ],
    }),
  );
  const res = r.MetricDataResults?.[0];
  const out = new Map<number, number>();
  (res?.Timestamps ?? []).forEach((t, i) => out.set(t.getTime(), res?.Values?.[i] ?? 0));
  return out;
}

const failures = (rows: readonly ErrorGroupRow[]) =>
  rows.filter((r) => r.kind !== "logged").reduce((a, r) => a + r.count, 0);

describe("collector error groups", () => {
  // The errors steps' own coverage says which minutes error rows cover.
  const w = async () => {
    const cov = (await store.errors.coverage(SCOPE))!;
    return { start: cov.from + 5 * MINUTE, end: cov.to - 5 * MINUTE };
  };

  it("groups the failing functions' errors, and their failure counts equal the Errors metric", async () => {
    const win = await w();
    expect(win.end - win.start).toBeGreaterThanOrEqual(30 * MINUTE);
    const report: Record<string, unknown> = {};
    for (const fn of ["payments-api", "legacy-sync", "pdf-renderer", "report-generator", "audit-trail"]) {
      const rows = await store.errors.rows({ scopes: [SCOPE], fn, from: win.start, to: win.end });
      const metric = await errorsMetric(fn, win);
      const metricSum = [...metric.values()].reduce((a, n) => a + n, 0);
      report[fn] = {
        groups: new Set(rows.map((r) => r.fingerprint)).size,
        failures: failures(rows),
        metricSum,
      };
      expect(failures(rows), fn).toBe(metricSum);
    }
    console.log(JSON.stringify(report));
  });

  it("keeps timeouts and OOM kills in groups of their own", async () => {
    const win = await w();
    const of = (fn: string) => store.errors.rows({ scopes: [SCOPE], fn, from: win.start, to: win.end });
    const legacy = await of("legacy-sync");
    expect(legacy.some((r) => r.kind === "timeout")).toBe(true);
    for (const r of legacy.filter((x) => x.kind === "timeout")) {
      expect(r.errorType).toBe("Sandbox.Timedout");
      expect(r.pattern).toMatch(/Task timed out/);
    }
    const pdf = await of("pdf-renderer");
    expect(pdf.some((r) => r.kind === "oom")).toBe(true);
    // One fingerprint per kind here: the same site with other numbers is one group.
    expect(new Set(legacy.filter((r) => r.kind === "timeout").map((r) => r.fingerprint)).size).toBe(1);
    expect(new Set(pdf.filter((r) => r.kind === "oom").map((r) => r.fingerprint)).size).toBe(1);
    for (const r of [...legacy, ...pdf]) {
      expect(r.count).toBeGreaterThan(0);
      expect(r.examples.length).toBeLessThanOrEqual(3);
      expect(r.sample.length).toBeLessThanOrEqual(1_000);
    }
  });

  it("groups the canary's error, whose ids differ every time, as one group of version 8 (contract C2)", async () => {
    const win = await w();
    const rows = await store.errors.rows({
      scopes: [SCOPE],
      fn: "payments-api",
      from: win.start,
      to: win.end,
    });
    const declined = rows.filter((r) => r.errorType === "PaymentDeclinedError");
    expect(declined.length).toBeGreaterThan(0);
    expect(new Set(declined.map((r) => r.fingerprint)).size).toBe(1);
    expect(new Set(declined.map((r) => r.version))).toEqual(new Set(["8"]));
    expect(new Set(declined.flatMap((r) => r.examples.map((e) => e.requestId))).size).toBe(
      declined.reduce((a, r) => a + r.examples.length, 0),
    );
    for (const r of rows) {
      expect(r.examples.length).toBeGreaterThan(0);
      for (const e of r.examples) expect(e.atMs >= r.t && e.atMs < r.t + MINUTE).toBe(true);
    }
  });

  it("adds a bounded number of AWS requests", async () => {
    const costs = await store.telemetry.costs(0);
    const of = (source: string) =>
      costs
        .filter((c) => c.source === source)
        .reduce(
          (a, c) => ({
            requests: a.requests + c.requests,
            bytes: a.bytes + c.bytesScanned,
            minutes: a.minutes + c.minutes,
          }),
          { requests: 0, bytes: 0, minutes: 0 },
        );
    const logs = of("logs");
    const errors = of("errors");
    console.log(JSON.stringify({ ticks, logs, errors, startQuery: sb.stats()["logs.StartQuery"] }));
    // Every covered minute was read once, by the errors steps' own windows.
    const cov = (await store.errors.coverage(SCOPE))!;
    expect(errors.minutes).toBe((cov.to - cov.from) / MINUTE);
    expect(errors.requests).toBeGreaterThan(0);
    // At most the REPORT query's requests: one query per ≤ 50 groups per window, over fewer groups.
    expect(errors.requests).toBeLessThanOrEqual(logs.requests);
  });
});
