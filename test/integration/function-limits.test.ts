/**
 * "Limits used" of report-generator (planted near its 30 s timeout) through the real path: the collector reads
 * the sandbox over HTTP into a SQLite store, the function page's use-cases read that store, and the rows are
 * checked against what the `aws` CLI reads from the sandbox (its configuration, and a Logs Insights query over
 * the same window: the sandbox's own percentile and max, not lib/core's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector } from "@/lib/collector/collector";
import { resetPublishers } from "@/lib/collector/region";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import type { LimitRow } from "@/lib/core/limits";
import { RELATIVE_ERROR } from "@/lib/core/rollup/histogram";
import { bucketRange } from "@/lib/core/time/bucket";
import { epochMs, seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { loadMeasuredLimits } from "@/lib/data/function-limits";
import { getFunctionDetail } from "@/lib/data/functions";
import type { TelemetryDeps } from "@/lib/data/telemetry/deps";
import { startFunctionTelemetry } from "@/lib/data/telemetry/function";
import type { Sandbox } from "@fleetscope/sandbox";
import { openDatabase } from "@/lib/store/database";
import { createStore, type Store } from "@/lib/store";
import { awsCliJson, cliInsightsRow } from "@fleetscope/sandbox/testing/awscli";
import { TEST_NOW, startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";
import { sandboxPorts } from "./advisor-ports";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REGION = "us-east-1";
const NAME = "report-generator";
/** Insights' @maxMemoryUsed counts MB × 1,000,000, as AWS's own sample queries divide it (`/ 1000 / 1000`). */
const MB_IN_INSIGHTS = 1_000_000;

let sb: Sandbox;
let store: Store;
/** The sandbox's one account, read with the console's own credentials. */
let home: AccountTarget;
let scope: Scope;
const clock = { t: TEST_NOW };

beforeAll(async () => {
  resetPublishers();
  sb = await startTestSandbox({ regions: [REGION], now: () => clock.t });
  home = {
    id: parseAccountId(sb.account.accountId),
    name: null,
    source: "home",
    roleArn: null,
    externalId: null,
    telemetry: "direct",
  };
  scope = { account: home.id, region: REGION };
  store = createStore(openDatabase(":memory:"));
  const collector = createCollector({
    scopes: () => [scope],
    portsFor: (s) => sandboxPorts(sb.url)(s.region),
    store,
    owner: "test",
    settings: { horizonMs: 2 * HOUR },
    now: () => clock.t,
    retryPauseMs: 10,
    lambdaRequestsPerSecond: 10,
  });
  // Tick (the shared clock moving 20 s a tick) until the window below is collected from both sources.
  const covered = async (source: "metrics" | "logs") => {
    const c = await store.telemetry.coverage(scope, source, 60);
    return c !== null && c.from <= TEST_NOW - 90 * MINUTE && c.to >= TEST_NOW - 30 * MINUTE;
  };
  for (let i = 0; i < 200 && !((await covered("metrics")) && (await covered("logs"))); i++) {
    await collector.tick();
    clock.t += 20_000;
  }
  await collector.stop();
}, 180_000);

afterAll(async () => {
  await sb?.close();
  await store?.db.close();
});

async function pageLimits(window: { start: number; end: number }) {
  const ports = sandboxPorts(sb.url);
  const cache = () => createCache({ ttlMs: 60_000, maxEntries: 50 });
  const detail = await getFunctionDetail(home, REGION, NAME, {
    lambda: (r) => ports(r).lambda,
    cache: cache(),
    inventory: () => store.inventory,
  });
  const deps: TelemetryDeps = {
    lambda: (r) => ports(r).lambda,
    cloudwatch: (r) => ports(r).cloudwatch,
    logs: (r) => ports(r).logs,
    store: () => store,
    liveCache: cache(),
    settledCache: cache(),
    now: () => epochMs(clock.t),
    insightsTimeoutMs: 10_000,
  };
  const bucket = bucketRange(
    { start: epochMs(window.start), end: epochMs(window.end) },
    epochMs(clock.t),
    seconds(300),
  );
  const telemetry = startFunctionTelemetry(
    { account: home, region: REGION, name: NAME, config: detail.config, aliases: detail.aliases, bucket },
    deps,
  );
  const rows = await loadMeasuredLimits(detail, telemetry);
  const row = (id: string) => {
    const r = rows.find((x) => x.id === id);
    if (!r) throw new Error(`no ${id} row`);
    return r;
  };
  return { detail, rows, row };
}

const measured = (r: LimitRow) => {
  if (r.status !== "measured") throw new Error(`${r.id} unavailable: ${r.why}`);
  return r;
};

/** The sandbox's own REPORT figures over [start, end), through a Logs Insights query run by the aws CLI. */
async function cliReportStats(group: string, w: { start: number; end: number }) {
  const row = await cliInsightsRow(
    sb.url,
    group,
    w,
    'filter @type = "REPORT" | stats pct(@duration, 99) as p99, max(@duration) as mx, max(@maxMemoryUsed) as mem',
  );
  return { p99: row.p99 ?? NaN, max: row.mx ?? NaN, memoryMb: (row.mem ?? NaN) / MB_IN_INSIGHTS };
}

describe("Limits used of a function near its timeout", () => {
  const w = { start: TEST_NOW - 90 * MINUTE, end: TEST_NOW - 30 * MINUTE };

  it("measures p99 and max duration against the configured timeout, memory used against memory", async () => {
    const cfg = await awsCliJson<{
      Timeout: number;
      MemorySize: number;
      LoggingConfig?: { LogGroup?: string };
    }>(sb.url, ["lambda", "get-function-configuration", "--function-name", NAME]);
    const { detail, row } = await pageLimits(w);
    const cli = await cliReportStats(detail.config.logGroup, w);

    const p99 = measured(row("timeout-p99"));
    expect(p99.against).toBe("configured timeout");
    expect(p99.limit).toBe(cfg.Timeout * 1000);
    // The console's p99 comes from its histograms (relative error RELATIVE_ERROR); the sandbox's is exact.
    expect(Math.abs(p99.used / cli.p99 - 1)).toBeLessThanOrEqual(RELATIVE_ERROR + 0.01);
    expect(p99.ratio).toBeCloseTo(p99.used / p99.limit, 9);
    // Planted near its timeout: the row shows that, where the 900 s maximum showed a few percent.
    expect(p99.ratio).toBeGreaterThan(0.8);

    const max = measured(row("timeout-max"));
    expect(max.limit).toBe(cfg.Timeout * 1000);
    expect(max.used).toBeCloseTo(cli.max, 2);

    const memory = measured(row("memory-used"));
    expect(memory.limit).toBe(cfg.MemorySize);
    expect(memory.used).toBeCloseTo(cli.memoryMb, 2);

    // The 900 s maximum is still shown, as a setting, not as usage.
    expect(detail.limits.find((r) => r.id === "timeout-setting")).toMatchObject({
      group: "setting",
      used: cfg.Timeout,
      limit: 900,
    });
  }, 60_000);

  it("measures peak concurrency against reserved concurrency, else the account's unreserved pool", async () => {
    const { row } = await pageLimits(w);
    const reserved = await awsCliJson<{ ReservedConcurrentExecutions?: number } | null>(sb.url, [
      "lambda",
      "get-function-concurrency",
      "--function-name",
      NAME,
    ]);
    const account = await awsCliJson<{ AccountLimit: { UnreservedConcurrentExecutions: number } }>(sb.url, [
      "lambda",
      "get-account-settings",
    ]);
    const peak = measured(row("concurrency-peak"));
    const limit =
      reserved?.ReservedConcurrentExecutions ?? account.AccountLimit.UnreservedConcurrentExecutions;
    expect(peak.limit).toBe(limit);
    expect(peak.used).toBeGreaterThan(0);
  }, 60_000);

  it("says the figures are unavailable, not 0 %, for a range the collector has not read", async () => {
    const { rows } = await pageLimits({ start: TEST_NOW - 6 * HOUR, end: TEST_NOW - 5 * HOUR });
    expect(rows.map((r) => [r.id, r.status === "unavailable" ? r.why : r.ratio])).toEqual([
      ["timeout-p99", expect.stringMatching(/^no REPORT lines collected for this range yet/)],
      ["timeout-max", expect.stringMatching(/^no REPORT lines collected for this range yet/)],
      ["memory-used", expect.stringMatching(/^no REPORT lines collected for this range yet/)],
      ["concurrency-peak", expect.stringMatching(/not collected for this range yet/)],
    ]);
  }, 60_000);
});
