/**
 * The collector against the sandbox over HTTP, with a real SQLite store (fencing on both engines:
 * collector-fencing.test.ts): what it keeps for an aligned window
 * equals what the `aws` CLI reads for that window (GetMetricData and Logs Insights), a restart mid-backfill reads
 * no minute twice (counted at the sandbox), and injected throttling slows it down without losing a minute.
 * The sandbox and the collector share one clock that the test moves forward.
 */
import { afterEach, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { createCollector, type Collector } from "@/lib/collector/collector";
import {
  backfillProgress,
  DEFAULT_SETTINGS,
  resetPublishers,
  type CollectorSettings,
} from "@/lib/collector/region";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { cliInsightsRow, cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { TEST_NOW, TEST_SEED, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
/** The sandbox's one account (its default seed's id) in that region. */
const SCOPE: Scope = { account: parseAccountId(accountIdFor(TEST_SEED)), region: REGION };
const SETTINGS: Partial<CollectorSettings> = { horizonMs: 2 * HOUR };

interface Rig {
  horizonMs: number;
  sb: Sandbox;
  store: Store;
  clock: { t: number };
  collector(owner?: string): Collector;
}

const open: { sb?: Sandbox; collectors: Collector[] } = { collectors: [] };

async function rig(horizonMs = 2 * HOUR, maxConcurrentQueries?: number, maxAttempts = 3): Promise<Rig> {
  resetPublishers();
  const clock = { t: TEST_NOW };
  const sb = await startTestSandbox({ regions: [REGION], now: () => clock.t, maxConcurrentQueries });
  open.sb = sb;
  const store = createStore(openDatabase(":memory:"));
  const ports = sandboxPorts(sb.url, maxAttempts);
  return {
    horizonMs,
    sb,
    store,
    clock,
    collector(owner = "test") {
      const c = createCollector({
        scopes: () => [SCOPE],
        portsFor: (scope) => ports(scope.region),
        store,
        owner,
        settings: { ...SETTINGS, horizonMs },
        now: () => clock.t,
        retryPauseMs: 10,
        lambdaRequestsPerSecond: 10,
      });
      open.collectors.push(c);
      return c;
    },
  };
}

afterEach(async () => {
  for (const c of open.collectors.splice(0)) await c.stop();
  await open.sb?.close();
  open.sb = undefined;
});

async function done(r: Rig): Promise<boolean> {
  const settings = { ...DEFAULT_SETTINGS, ...SETTINGS, horizonMs: r.horizonMs };
  for (const source of ["metrics", "logs"] as const) {
    const p = await backfillProgress(
      { scope: SCOPE, telemetry: r.store.telemetry, settings },
      source,
      r.clock.t,
    );
    if (p.collectedMs < p.targetMs) return false;
  }
  return true;
}

/** Ticks (moving the shared clock 20 s a tick) until both sources are backfilled to the horizon. */
async function collectAll(r: Rig, c: Collector, maxTicks = 200): Promise<number> {
  for (let i = 0; i < maxTicks; i++) {
    await c.tick();
    if (await done(r)) return i + 1;
    r.clock.t += 20_000;
  }
  throw new Error("backfill did not finish");
}

async function storeTotals(r: Rig, fn: string, w: { start: number; end: number }) {
  const rows = await r.store.telemetry.metricRows(SCOPE, 60, w.start, w.end, fn);
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((a, x) => a + f(x), 0);
  return {
    Invocations: sum((x) => x.invocations),
    Errors: sum((x) => x.errors),
    Throttles: sum((x) => x.throttles),
  };
}

async function cliReports(url: string, group: string, json: boolean, w: { start: number; end: number }) {
  const query = json
    ? 'filter type = "platform.report" | stats count(*) as n, count(record.metrics.initDurationMs) as cold'
    : 'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold';
  const row = await cliInsightsRow(url, group, w, query);
  return { reports: row.n ?? 0, coldStarts: row.cold ?? 0 };
}

describe("collector", () => {
  it("keeps, for an aligned window, exactly what the aws CLI reads from metrics and logs", async () => {
    const r = await rig();
    await collectAll(r, r.collector());
    const w = { start: TEST_NOW - 90 * MINUTE, end: TEST_NOW - 30 * MINUTE };
    const inventory = await r.store.inventory.functions(SCOPE);
    expect(inventory.length).toBe(40);
    for (const fn of ["payments-api", "webhook-ingest", "notify-sms", "audit-trail"]) {
      const shown = await storeTotals(r, fn, w);
      const cli = {
        Invocations: await cliMetricSum(r.sb.url, fn, "Invocations", w, 60),
        Errors: await cliMetricSum(r.sb.url, fn, "Errors", w, 60),
        Throttles: await cliMetricSum(r.sb.url, fn, "Throttles", w, 60),
      };
      expect(shown, fn).toEqual(cli);
      expect(cli.Invocations).toBeGreaterThan(0);

      const config = inventory.find((e) => e.config.name === fn)!.config;
      const logs = await r.store.telemetry.logRows(SCOPE, 60, w.start, w.end, config.logGroup);
      const kept = {
        reports: logs.reduce((a, x) => a + x.reports, 0),
        coldStarts: logs.reduce((a, x) => a + x.coldStarts, 0),
      };
      expect(kept, fn).toEqual(await cliReports(r.sb.url, config.logGroup, config.logFormat === "JSON", w));
      // The histogram holds every report of every minute.
      for (const row of logs)
        expect(Object.values(row.durations).reduce((a, n) => a + n, 0)).toBe(row.reports);
    }
    // Coarser resolutions are the sum of the finer ones where both exist.
    const hour = { start: TEST_NOW - 2 * HOUR + HOUR, end: TEST_NOW };
    const five = await r.store.telemetry.metricRows(
      SCOPE,
      300,
      hour.start,
      hour.start + 30 * MINUTE,
      "payments-api",
    );
    const ones = await r.store.telemetry.metricRows(
      SCOPE,
      60,
      hour.start,
      hour.start + 30 * MINUTE,
      "payments-api",
    );
    expect(five.reduce((a, x) => a + x.invocations, 0)).toBe(ones.reduce((a, x) => a + x.invocations, 0));
  }, 180_000);

  it("resumes a backfill after a restart without reading a collected minute again", async () => {
    // Reference: one uninterrupted run, its Insights queries counted at the sandbox.
    const ref = await rig();
    await collectAll(ref, ref.collector());
    const refQueries = ref.sb.stats()["logs.StartQuery"] ?? 0;
    const refMetrics = ref.sb.stats()["monitoring.GetMetricData"] ?? 0;
    for (const c of open.collectors.splice(0)) await c.stop();
    await ref.sb.close();

    const r = await rig();
    const first = r.collector("first");
    for (let i = 0; i < 3; i++) {
      await first.tick();
      r.clock.t += 20_000;
    }
    const halfway = (await r.store.telemetry.coverage(SCOPE, "logs", 60))!;
    expect(halfway.from).toBeGreaterThan(TEST_NOW - 2 * HOUR);
    await first.stop();
    // A new process on the same store.
    await collectAll(r, r.collector("second"));
    expect(r.sb.stats()["logs.StartQuery"]).toBe(refQueries);
    expect(r.sb.stats()["monitoring.GetMetricData"]).toBe(refMetrics);
  }, 180_000);

  it("a second collector on the same store waits for the lease", async () => {
    const r = await rig();
    const a = r.collector("a");
    const b = r.collector("b");
    await a.tick();
    await b.tick();
    expect(a.status().leader).toBe(true);
    expect(b.status().leader).toBe(false);
  });

  it("slows down under throttling and loses no minute", async () => {
    const clean = await rig(40 * MINUTE);
    await collectAll(clean, clean.collector());
    const w = { start: TEST_NOW - 35 * MINUTE, end: TEST_NOW - 5 * MINUTE };
    const expected = await storeTotals(clean, "payments-api", w);
    const expectedLogs = (await clean.store.telemetry.logRows(SCOPE, 60, w.start, w.end)).length;
    for (const c of open.collectors.splice(0)) await c.stop();
    await clean.sb.close();

    // One attempt per call: the faults reach the collector instead of being absorbed by the SDK's retries. The
    // shared clock moves on while it retries, so a longer horizon keeps the compared window inside it.
    const r = await rig(60 * MINUTE, undefined, 1);
    r.sb.setFaults({
      logs: { throttleRate: 0.3 },
      monitoring: { throttleRate: 0.3 },
      lambda: { throttleRate: 0.2 },
    });
    const c = r.collector();
    await collectAll(r, c, 600);
    r.sb.setFaults({});
    for (const source of ["metrics", "logs"] as const)
      expect((await r.store.telemetry.coverage(SCOPE, source, 60))!.from).toBeLessThanOrEqual(w.start);
    expect(await storeTotals(r, "payments-api", w)).toEqual(expected);
    expect((await r.store.telemetry.logRows(SCOPE, 60, w.start, w.end)).length).toBe(expectedLogs);
    expect((await r.store.telemetry.events(50)).length).toBeGreaterThan(0);
  }, 400_000);

  it("keeps its concurrent Insights queries under the account's quota: LimitExceeded slows it, loses nothing", async () => {
    // The sandbox allows one running query; the collector starts with four (forward and backfill, Text and JSON
    // groups): the quota errors halve its allowance until it fits.
    const r = await rig(40 * MINUTE, 1, 1);
    await collectAll(r, r.collector(), 400);
    const events = (await r.store.telemetry.events(100)).map((e) => e.message);
    expect(events.some((m) => /Insights quota/.test(m))).toBe(true);
    const w = { start: TEST_NOW - 35 * MINUTE, end: TEST_NOW - 5 * MINUTE };
    const group = (await r.store.inventory.get(SCOPE, "payments-api"))!.config.logGroup;
    const kept = (await r.store.telemetry.logRows(SCOPE, 60, w.start, w.end, group)).reduce(
      (a, x) => a + x.reports,
      0,
    );
    expect(kept).toEqual((await cliReports(r.sb.url, group, false, w)).reports);
  }, 300_000);
});
