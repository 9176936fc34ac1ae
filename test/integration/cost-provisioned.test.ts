/**
 * Costs include what users pay for provisioned concurrency (issue 11): the collector fills a real SQLite store
 * from the sandbox over HTTP; the function page's and the fleet table's monthly cost of the planted
 * provisioned-concurrency functions (checkout-api: 50 idle on `live`; search-api: 2 on `live`, spilling over)
 * equal the cost this test computes on its own from the `aws` CLI's answers and AWS's published rates, written
 * out below (https://aws.amazon.com/lambda/pricing/, us-east-1, x86_64).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { backfillProgress, DEFAULT_SETTINGS, resetPublishers } from "@/lib/collector/region";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { costConfigOf } from "@/lib/data/telemetry/function-cost";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { bucketForWindow } from "@/lib/data/telemetry/window";
import type { Sandbox } from "@/lib/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { awsCliJson, cliMetricSum } from "@/test/support/awscli";
import { TEST_NOW, startTestSandbox } from "@/test/support/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const WINDOW = 30 * MINUTE;
const REGION = "us-east-1";
const HORIZON = 90 * MINUTE;
const FUNCTIONS = ["checkout-api", "search-api"];

// Published list prices, us-east-1, x86_64.
const PER_REQUEST = 0.2 / 1_000_000;
const ON_DEMAND_PER_GB_S = 0.0000166667;
const PC_PER_GB_S = 0.0000041667;
const PC_DURATION_PER_GB_S = 0.0000097222;
const MONTH_S = 730 * 3600;

let sb: Sandbox;
let store: Store;
let collector: Collector;
const clock = { t: TEST_NOW };

beforeAll(async () => {
  resetPublishers();
  sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  store = createStore(openDatabase(":memory:"));
  collector = createCollector({
    regions: [REGION],
    portsFor: sandboxPorts(sb.url, 3),
    store,
    owner: "test",
    settings: { horizonMs: HORIZON },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  const settings = { ...DEFAULT_SETTINGS, horizonMs: HORIZON };
  const done = () =>
    (["metrics", "logs"] as const).every((source) => {
      const p = backfillProgress({ region: REGION, telemetry: store.telemetry, settings }, source, clock.t);
      return p.collectedMs >= p.targetMs;
    }) && FUNCTIONS.every((fn) => store.inventory.get(REGION, fn)?.details);
  for (let i = 0; !done(); i++) {
    if (i > 200) throw new Error("backfill did not finish");
    await collector.tick();
    clock.t += 20_000;
  }
}, 240_000);

afterAll(async () => {
  await collector?.stop();
  await sb?.close();
});

function deps(): TelemetryDeps {
  const refuse = () => {
    throw new Error("a store-backed view must not call AWS");
  };
  return {
    lambda: refuse,
    cloudwatch: refuse,
    logs: refuse,
    store: () => store,
    liveCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    settledCache: createCache({ ttlMs: 1, maxEntries: 10 }),
    now: () => epochMs(clock.t),
    insightsTimeoutMs: 5_000,
  };
}

/** Half an hour on the clock, ending at least 20 minutes before now (settled), inside the horizon. */
function window(): { start: EpochMs; end: EpochMs } {
  const end = Math.floor((clock.t - 20 * MINUTE) / WINDOW) * WINDOW;
  return { start: epochMs(end - WINDOW), end: epochMs(end) };
}

async function cliReports(group: string, w: { start: number; end: number }) {
  const started = await awsCliJson<{ queryId: string }>(sb.url, [
    "logs",
    "start-query",
    "--log-group-name",
    group,
    "--start-time",
    String(w.start / 1000),
    "--end-time",
    String(w.end / 1000 - 1),
    "--query-string",
    'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as init, sum(@billedDuration) as billed',
  ]);
  for (let i = 0; i < 100; i++) {
    const r = await awsCliJson<{ status: string; results: { field: string; value: string }[][] }>(sb.url, [
      "logs",
      "get-query-results",
      "--query-id",
      started.queryId,
    ]);
    if (r.status === "Complete") {
      const row = Object.fromEntries((r.results[0] ?? []).map((c) => [c.field, Number(c.value)]));
      return {
        reports: row.n ?? 0,
        coldStarts: row.cold ?? 0,
        initSum: row.init ?? 0,
        billedSum: row.billed ?? 0,
      };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("query did not complete");
}

/** The monthly cost in USD, computed from the CLI's answers alone. */
async function cliMonthlyCost(fn: string, w: { start: number; end: number }) {
  const config = await awsCliJson<{
    MemorySize: number;
    Architectures: string[];
    LoggingConfig?: { LogGroup?: string };
  }>(sb.url, ["lambda", "get-function-configuration", "--function-name", fn]);
  const pc = await awsCliJson<{ RequestedProvisionedConcurrentExecutions: number }>(sb.url, [
    "lambda",
    "get-provisioned-concurrency-config",
    "--function-name",
    fn,
    "--qualifier",
    "live",
  ]);
  const period = (w.end - w.start) / 1000;
  const invocations = await cliMetricSum(sb.url, fn, "Invocations", w, period);
  const spillover = await cliMetricSum(sb.url, fn, "ProvisionedConcurrencySpilloverInvocations", w, period);
  const r = await cliReports(config.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn}`, w);

  expect(config.Architectures).toEqual(["x86_64"]);
  const gb = config.MemorySize / 1024;
  const perMonth = (MONTH_S * 1000) / (w.end - w.start);
  const billedS = r.billedSum / r.reports / 1000;
  const concurrency = pc.RequestedProvisionedConcurrentExecutions;
  // What was not spilled ran on the provisioned environments (they had the capacity for it here).
  const served = invocations - spillover;
  expect(served * billedS).toBeLessThanOrEqual(concurrency * period);
  const initS = r.coldStarts === 0 ? 0 : Math.ceil(r.initSum / r.coldStarts) / 1000;
  const usd = {
    requests: invocations * perMonth * PER_REQUEST,
    onDemand: spillover * perMonth * billedS * gb * ON_DEMAND_PER_GB_S,
    init: r.coldStarts * perMonth * initS * gb * ON_DEMAND_PER_GB_S,
    pc: concurrency * gb * MONTH_S * PC_PER_GB_S,
    pcDuration: served * perMonth * billedS * gb * PC_DURATION_PER_GB_S,
  };
  return { usd, total: Object.values(usd).reduce((a, b) => a + b, 0), concurrency, spillover };
}

describe("provisioned concurrency is in the cost", () => {
  it("the function page's and the fleet table's monthly cost equal the CLI-derived cost", async () => {
    const w = window();
    const bucket = bucketForWindow(w.start, w.end, epochMs(clock.t));
    const overview = await loadFleetOverview([REGION], bucket, deps());
    const cliCosts = new Map<string, Awaited<ReturnType<typeof cliMonthlyCost>>>();
    for (const fn of FUNCTIONS) {
      const entry = store.inventory.get(REGION, fn);
      if (!entry?.details) throw new Error(`${fn} has no stored details`);
      const cli = await cliMonthlyCost(fn, w);
      cliCosts.set(fn, cli);
      const t = startFunctionTelemetry(
        {
          region: REGION,
          name: fn,
          config: entry.config,
          aliases: entry.details.aliases,
          bucket,
          pricing: {
            config: costConfigOf(entry.config),
            provisioned: { ok: true, value: entry.details.provisioned },
          },
        },
        deps(),
      );
      const o = await t.monthlyCost;
      if (!o.ok || o.value === null) throw new Error(`${fn}: no cost estimate`);
      const e = o.value;
      expect(e.provisioned, fn).toEqual([
        { qualifier: "live", concurrency: cli.concurrency, monthly: expect.any(Number) },
      ]);
      expect(e.lowerBound, `${fn}: ${e.missing.join()}`).toBe(false);
      // Each part is rounded to a micro-dollar once: a cent is far wider than the rounding.
      expect(e.parts.provisionedConcurrency / 1e6, fn).toBeCloseTo(cli.usd.pc, 2);
      expect(e.parts.provisionedDuration / 1e6, fn).toBeCloseTo(cli.usd.pcDuration, 2);
      expect(e.parts.duration / 1e6, fn).toBeCloseTo(cli.usd.onDemand, 2);
      expect(e.parts.init / 1e6, fn).toBeCloseTo(cli.usd.init, 2);
      expect(e.total / 1e6, fn).toBeCloseTo(cli.total, 2);

      const row = overview.table.rows.find((r) => r.name === fn);
      expect(row?.cost?.total, `${fn} fleet row`).toBe(e.total);
    }
    // The planted scenarios: checkout-api's 50 environments cost far more than its traffic; search-api spills.
    expect(cliCosts.get("checkout-api")?.usd.pc).toBeGreaterThan(500);
    expect(cliCosts.get("search-api")?.spillover).toBeGreaterThan(0);
  }, 120_000);
});
