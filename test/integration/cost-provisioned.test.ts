/**
 * Costs include what users pay for provisioned concurrency (issue 11): the collector fills a real SQLite store
 * from the sandbox over HTTP; the function page's and the fleet table's monthly cost of the planted
 * provisioned-concurrency functions (checkout-api: 50 idle on `live`; search-api: 2 on `live`, spilling over)
 * equal the cost this test computes on its own from the `aws` CLI's answers and AWS's published rates, written
 * out below (https://aws.amazon.com/lambda/pricing/, us-east-1, x86_64).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdFor } from "@fleetscope/sandbox";
import { TEST_SEED } from "@fleetscope/sandbox/testing/sandbox";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import { epochMs, type EpochMs } from "@/lib/core/units";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import { costConfigOf } from "@/lib/data/telemetry/function-cost";
import { loadFleetOverview } from "@/lib/data/telemetry/overview";
import { bucketForRange } from "@/lib/core/time/bucket";
import { awsCliJson, cliInsightsRow, cliMetricSum } from "@fleetscope/sandbox/testing/awscli";
import { collectedStore, type CollectedStore } from "@/test/support/collected-store";

const MINUTE = 60_000;
const WINDOW = 30 * MINUTE;
const REGION = "us-east-1";
/** The sandbox's one account (its seed's), read with the console's own credentials. */
const HOME: AccountTarget = {
  id: parseAccountId(accountIdFor(TEST_SEED)),
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const SCOPE = { account: HOME.id, region: REGION };
const HORIZON = 90 * MINUTE;
const FUNCTIONS = ["checkout-api", "search-api"];

// Published list prices, us-east-1, x86_64.
const PER_REQUEST = 0.2 / 1_000_000;
const ON_DEMAND_PER_GB_S = 0.0000166667;
const PC_PER_GB_S = 0.0000041667;
const PC_DURATION_PER_GB_S = 0.0000097222;
const MONTH_S = 730 * 3600;

let rig: CollectedStore;
beforeAll(async () => {
  rig = await collectedStore({
    region: REGION,
    horizonMs: HORIZON,
    ready: async (s) =>
      (await Promise.all(FUNCTIONS.map((fn) => s.inventory.get(SCOPE, fn)))).every((e) => e?.details),
  });
}, 240_000);
afterAll(async () => {
  await rig?.close();
});

/** Half an hour on the clock, ending at least 20 minutes before now (settled), inside the horizon. */
function window(): { start: EpochMs; end: EpochMs } {
  const end = Math.floor((rig.clock.t - 20 * MINUTE) / WINDOW) * WINDOW;
  return { start: epochMs(end - WINDOW), end: epochMs(end) };
}

async function cliReports(group: string, w: { start: number; end: number }) {
  const row = await cliInsightsRow(
    rig.sb.url,
    group,
    w,
    'filter @type = "REPORT" | stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as init, sum(@billedDuration) as billed',
  );
  return {
    reports: row.n ?? 0,
    coldStarts: row.cold ?? 0,
    initSum: row.init ?? 0,
    billedSum: row.billed ?? 0,
  };
}

/** The monthly cost in USD, computed from the CLI's answers alone. */
async function cliMonthlyCost(fn: string, w: { start: number; end: number }) {
  const config = await awsCliJson<{
    MemorySize: number;
    Architectures: string[];
    LoggingConfig?: { LogGroup?: string };
  }>(rig.sb.url, ["lambda", "get-function-configuration", "--function-name", fn]);
  const pc = await awsCliJson<{ RequestedProvisionedConcurrentExecutions: number }>(rig.sb.url, [
    "lambda",
    "get-provisioned-concurrency-config",
    "--function-name",
    fn,
    "--qualifier",
    "live",
  ]);
  const period = (w.end - w.start) / 1000;
  const invocations = await cliMetricSum(rig.sb.url, fn, "Invocations", w, period);
  const spillover = await cliMetricSum(
    rig.sb.url,
    fn,
    "ProvisionedConcurrencySpilloverInvocations",
    w,
    period,
  );
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
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(rig.clock.t),
    );
    const overview = await loadFleetOverview([{ ...SCOPE, target: HOME }], bucket, rig.deps());
    const cliCosts = new Map<string, Awaited<ReturnType<typeof cliMonthlyCost>>>();
    for (const fn of FUNCTIONS) {
      const entry = await rig.store.inventory.get(SCOPE, fn);
      if (!entry?.details) throw new Error(`${fn} has no stored details`);
      const cli = await cliMonthlyCost(fn, w);
      cliCosts.set(fn, cli);
      const t = startFunctionTelemetry(
        {
          account: HOME,
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
        rig.deps(),
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
