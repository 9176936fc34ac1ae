/**
 * SnapStart restores are in the cost (issue 11): the collector fills a real SQLite store from the sandbox over
 * HTTP; the function page's and the fleet table's monthly cost of ml-inference (python3.12, SnapStart on its
 * published versions, traffic through `live`) equal the cost this test computes on its own from the `aws` CLI's
 * answers — get-function-configuration, list-aliases, the Invocations metric, and a Logs Insights query that
 * parses the REPORT lines' `Restore Duration` / `Billed Restore Duration` (Insights discovers no field for them) —
 * and AWS's published rates written out below (https://aws.amazon.com/lambda/pricing/, us-east-1, x86_64). The
 * estimate is whole: not a lower bound.
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
const FN = "ml-inference";

// Published list prices, us-east-1, x86_64; SnapStart's for Python and .NET.
const PER_REQUEST = 0.2 / 1_000_000;
const ON_DEMAND_PER_GB_S = 0.0000166667;
const SNAPSTART_CACHE_PER_GB_S = 0.0000015046;
const SNAPSTART_RESTORE_PER_GB = 0.0001397998;
const MONTH_S = 730 * 3600;

let rig: CollectedStore;
beforeAll(async () => {
  rig = await collectedStore({
    region: REGION,
    horizonMs: HORIZON,
    ready: async (s) => (await s.inventory.get(SCOPE, FN))?.details !== undefined,
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

/** REPORT aggregates over the window, restores parsed from the line as a user would write it. */
async function cliReports(group: string, w: { start: number; end: number }) {
  const row = await cliInsightsRow(
    rig.sb.url,
    group,
    w,
    'filter @type = "REPORT" ' +
      "| parse @message /Restore Duration: (?<restoreMs>\\S+) ms\\s+Billed Restore Duration: (?<restoreBilled>\\S+) ms/ " +
      "| stats count(*) as n, count(@initDuration) as cold, sum(@initDuration) as init, sum(@billedDuration) as billed, " +
      "count(restoreBilled) as restores, sum(restoreBilled) as restoreBilledSum, sum(restoreMs) as restoreSum",
  );
  return {
    reports: row.n ?? 0,
    coldStarts: row.cold ?? 0,
    initSum: row.init ?? 0,
    billedSum: row.billed ?? 0,
    restores: row.restores ?? 0,
    restoreBilledSum: row.restoreBilledSum ?? 0,
    restoreSum: row.restoreSum ?? 0,
  };
}

interface CliConfig {
  MemorySize: number;
  Architectures: string[];
  Runtime: string;
  EphemeralStorage: { Size: number };
  SnapStart: { ApplyOn: string; OptimizationStatus: string };
  LoggingConfig?: { LogGroup?: string };
}

/** The monthly cost in USD, computed from the CLI's answers alone. */
async function cliMonthlyCost(w: { start: number; end: number }) {
  const config = await awsCliJson<CliConfig>(rig.sb.url, [
    "lambda",
    "get-function-configuration",
    "--function-name",
    FN,
  ]);
  const aliases = await awsCliJson<{
    Aliases: {
      FunctionVersion: string;
      RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
    }[];
  }>(rig.sb.url, ["lambda", "list-aliases", "--function-name", FN]);
  // One cached snapshot per published version the aliases route to.
  const versions = new Set(
    aliases.Aliases.flatMap((a) => [
      a.FunctionVersion,
      ...Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {}),
    ]),
  );
  for (const v of versions) {
    const published = await awsCliJson<CliConfig>(rig.sb.url, [
      "lambda",
      "get-function-configuration",
      "--function-name",
      FN,
      "--qualifier",
      v,
    ]);
    expect(published.SnapStart, `version ${v}`).toEqual({
      ApplyOn: "PublishedVersions",
      OptimizationStatus: "On",
    });
  }
  const period = (w.end - w.start) / 1000;
  const invocations = await cliMetricSum(rig.sb.url, FN, "Invocations", w, period);
  const r = await cliReports(config.LoggingConfig?.LogGroup ?? `/aws/lambda/${FN}`, w);

  expect(config.SnapStart.ApplyOn).toBe("PublishedVersions");
  expect(config.Runtime).toMatch(/^python/); // cache and restore charges apply
  expect(config.Architectures).toEqual(["x86_64"]);
  expect(config.EphemeralStorage.Size).toBe(512); // no /tmp charge
  const gb = config.MemorySize / 1024;
  const perMonth = (MONTH_S * 1000) / (w.end - w.start);
  const billedS = r.billedSum / r.reports / 1000;
  const initS = r.coldStarts === 0 ? 0 : Math.ceil(r.initSum / r.coldStarts) / 1000;
  const usd = {
    requests: invocations * perMonth * PER_REQUEST,
    duration: invocations * perMonth * billedS * gb * ON_DEMAND_PER_GB_S,
    // INIT of cold starts and the Billed Restore Duration of restores, at the on-demand duration rate.
    init: (r.coldStarts * initS + r.restoreBilledSum / 1000) * perMonth * gb * ON_DEMAND_PER_GB_S,
    snapStartRestore: r.restores * perMonth * gb * SNAPSTART_RESTORE_PER_GB,
    snapStartCache: versions.size * gb * MONTH_S * SNAPSTART_CACHE_PER_GB_S,
  };
  return { usd, total: Object.values(usd).reduce((a, b) => a + b, 0), r };
}

describe("SnapStart restores are in the cost", () => {
  it("the function page's and the fleet table's monthly cost equal the CLI-derived cost, not a lower bound", async () => {
    const w = window();
    const bucket = bucketForRange(
      { kind: "custom", from: epochMs(w.start), to: epochMs(w.end) },
      epochMs(rig.clock.t),
    );
    const entry = await rig.store.inventory.get(SCOPE, FN);
    if (!entry?.details) throw new Error(`${FN} has no stored details`);
    const cli = await cliMonthlyCost(w);
    // The planted function restores on its cold starts (never INIT: its traffic goes to published versions),
    // and the restore billed is the part of the restore after the snapshot load.
    expect(cli.r.restores).toBeGreaterThan(0);
    expect(cli.r.coldStarts).toBe(0);
    expect(cli.r.restoreBilledSum).toBeLessThan(cli.r.restoreSum);

    const t = startFunctionTelemetry(
      {
        account: HOME,
        region: REGION,
        name: FN,
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
    if (!o.ok || o.value === null) throw new Error(`${FN}: no cost estimate`);
    const e = o.value;
    expect(e.missing).toEqual([]);
    expect(e.lowerBound).toBe(false);
    // Each part is rounded to a micro-dollar once: a cent is far wider than the rounding.
    expect(e.parts.requests / 1e6).toBeCloseTo(cli.usd.requests, 2);
    expect(e.parts.duration / 1e6).toBeCloseTo(cli.usd.duration, 2);
    expect(e.parts.init / 1e6).toBeCloseTo(cli.usd.init, 2);
    expect(e.parts.snapStartRestore / 1e6).toBeCloseTo(cli.usd.snapStartRestore, 2);
    expect(e.parts.snapStartCache / 1e6).toBeCloseTo(cli.usd.snapStartCache, 2);
    expect(e.total / 1e6).toBeCloseTo(cli.total, 2);
    expect(cli.usd.snapStartRestore).toBeGreaterThan(0);

    const overview = await loadFleetOverview([{ ...SCOPE, target: HOME }], bucket, rig.deps());
    const row = overview.table.rows.find((r) => r.name === FN);
    expect(row?.cost?.lowerBound, "fleet row").toBe(false);
    expect(row?.cost?.total, "fleet row").toBe(e.total);
  }, 120_000);
});
