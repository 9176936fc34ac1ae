/**
 * What collecting several accounts costs each of them: F functions (one region) in each of 3 accounts of an
 * in-process sandbox organization, collected by one collector (scopes = the 3 accounts × the region), against the
 * same collector on ONE account of F functions measured in the same run (the baseline).
 * Each run catches up (backfill horizon 15 min, every function's details read), then the shared clock moves 30
 * minutes in steady state, a tick every 30 s. Reported per account, from the sandbox's per-account counters
 * (statsByAccount): AWS requests per collected minute by operation in steady state, and their ratio to the
 * baseline's (the goal: ≈ 1 — an account costs what it costs alone, nothing for being one of several); and the
 * account's Lambda control-plane rate over the whole run (catch-up included) against its budget
 * (FLEETSCOPE_COLLECTOR_LAMBDA_RPS applies to each account separately).
 * Each account is reached with a long-term key of its own (sandbox `accessKeys`), so the counters split by account
 * without STS in the way. GetQueryResults counts polls, which follow real time: with three accounts' queries in
 * flight each takes a little longer to answer, so its ratio sits somewhat above 1 (StartQuery's is the cost).
 * Usage: npm run bench -- collector-accounts [F=1000]
 * Prints one JSON line: {"bench":"collector-accounts", …}.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { clientConfig } from "@/lib/aws/client-config";
import { createCloudWatchPort } from "@/lib/aws/cloudwatch";
import { createMetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import { createLambdaPort } from "@/lib/aws/lambda";
import { createLogsPort, DEFAULT_TIMING } from "@/lib/aws/logs";
import { createCollector } from "@/lib/collector/collector";
import {
  backfillProgress,
  DEFAULT_SETTINGS,
  resetPublishers,
  type CollectorSettings,
  type RegionPorts,
} from "@/lib/collector/region";
import { parseEnv } from "@/lib/config/env-schema";
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { createStore, type Store } from "@/lib/store";
import { openDatabase } from "@/lib/store/database";
import { startSandbox } from "@fleetscope/sandbox";

const F = Number(process.argv[2] ?? 1000);
const REGION = "us-east-1";
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const TICK_MS = 30_000;
const STEADY_MS = 30 * MINUTE;
/** The collector's default share of each account's ~15 requests/s (FLEETSCOPE_COLLECTOR_LAMBDA_RPS). */
const LAMBDA_RPS = 2;
const SETTINGS: Partial<CollectorSettings> = { horizonMs: 15 * MINUTE };
const ACCOUNTS = ["111111111111", "222222222222", "333333333333"].map(parseAccountId);
const keyOf = (account: string) => `AKIABENCH${account}`;
const log = (m: string) => console.error(m);

type Stats = Record<string, number>;
const diff = (after: Stats, before: Stats): Stats => {
  const out: Stats = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
};
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const lambdaRequests = (s: Stats) =>
  Object.entries(s).reduce((a, [op, n]) => (op.startsWith("lambda.") ? a + n : a), 0);

/** The collector's ports for one account, built as the console builds them, with that account's own key. */
function portsFor(url: string, scope: Scope): RegionPorts {
  const config = {
    ...clientConfig(scope.region, parseEnv({ AWS_ENDPOINT_URL: url })),
    credentials: { accessKeyId: keyOf(scope.account), secretAccessKey: "sandbox" },
  };
  const timing = { ...DEFAULT_TIMING, firstPollMs: 20 };
  return {
    lambda: createLambdaPort(new LambdaClient(config), scope.region),
    cloudwatch: createCloudWatchPort(new CloudWatchClient(config), scope.region),
    metricList: createMetricListPort(new CloudWatchClient(config), scope.region),
    logs: createLogsPort(new CloudWatchLogsClient(config), scope.region, timing),
  };
}

async function caughtUp(store: Store, scope: Scope, settings: CollectorSettings, now: number) {
  if ((await store.inventory.account(scope)) === null) return false;
  const fns = await store.inventory.functions(scope);
  if (fns.length === 0 || fns.some((e) => e.details === null)) return false;
  for (const source of ["metrics", "logs"] as const) {
    const p = await backfillProgress({ scope, telemetry: store.telemetry, settings }, source, now);
    const cov = await store.telemetry.coverage(scope, source, 60);
    const lag = source === "metrics" ? settings.metricLagMs : settings.logLagMs;
    const closed = Math.floor((now - lag) / MINUTE) * MINUTE;
    if (cov === null || p.collectedMs < p.targetMs || cov.to < closed - MINUTE) return false;
  }
  return true;
}

interface AccountRun {
  /** Steady state: requests per collected minute by operation. */
  perMinute: Stats;
  /** The whole run: Lambda control-plane requests per simulated second. */
  lambdaRps: number;
  lambdaPeakRps: number;
}

/** One collector over `accounts` (each F functions in REGION); per account, what it cost. */
async function run(
  accounts: readonly string[],
): Promise<{ byAccount: Record<string, AccountRun>; catchUpTicks: number }> {
  resetPublishers();
  const clock = { t: START };
  const sb = await startSandbox({
    port: 0,
    seed: 7,
    now: () => clock.t,
    functionsPerRegion: F,
    regions: [REGION],
    accounts: accounts.map((id, i) => ({ id, name: i === 0 ? "management" : `member-${i}` })),
    accessKeys: Object.fromEntries(accounts.map((id) => [keyOf(id), id])),
  });
  const store = createStore(openDatabase(":memory:"));
  const settings = { ...DEFAULT_SETTINGS, ...SETTINGS };
  const scopes: Scope[] = accounts.map((id) => ({ account: parseAccountId(id), region: REGION }));
  const collector = createCollector({
    scopes: () => scopes,
    portsFor: (scope) => portsFor(sb.url, scope),
    store,
    owner: "bench",
    settings: SETTINGS,
    tickMs: TICK_MS,
    now: () => clock.t,
    retryPauseMs: 1000,
    lambdaRequestsPerSecond: LAMBDA_RPS,
  });
  // Lambda requests per account per tick: the peak rate over any one tick (30 s) next to the average.
  const peak = new Map<string, number>();
  const tick = async () => {
    const before = sb.statsByAccount();
    await collector.tick();
    const after = sb.statsByAccount();
    for (const id of accounts) {
      const rps = lambdaRequests(diff(after[id] ?? {}, before[id] ?? {})) / (TICK_MS / 1000);
      peak.set(id, Math.max(peak.get(id) ?? 0, rps));
    }
  };
  try {
    const started = clock.t;
    let catchUpTicks = 0;
    for (;;) {
      await tick();
      catchUpTicks++;
      const done = await Promise.all(scopes.map((s) => caughtUp(store, s, settings, clock.t)));
      if (done.every(Boolean)) break;
      if (catchUpTicks > 600) throw new Error("collector did not catch up in 600 ticks");
      clock.t += TICK_MS;
    }
    log(`${accounts.length} account(s): caught up after ${catchUpTicks} ticks`);
    const metricsFrom = await Promise.all(scopes.map((s) => store.telemetry.coverage(s, "metrics", 60)));
    const before = sb.statsByAccount();
    for (let t = 0; t < STEADY_MS; t += TICK_MS) {
      clock.t += TICK_MS;
      await tick();
    }
    const after = sb.statsByAccount();
    const byAccount: Record<string, AccountRun> = {};
    for (const [i, scope] of scopes.entries()) {
      const to = (await store.telemetry.coverage(scope, "metrics", 60))!.to;
      const minutes = (to - metricsFrom[i]!.to) / MINUTE;
      const steady = diff(after[scope.account] ?? {}, before[scope.account] ?? {});
      byAccount[scope.account] = {
        perMinute: Object.fromEntries(
          Object.entries(steady)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([op, n]) => [op, round(n / minutes, 3)]),
        ),
        lambdaRps: round(
          lambdaRequests(after[scope.account] ?? {}) / ((clock.t - started + TICK_MS) / 1000),
          3,
        ),
        lambdaPeakRps: round(peak.get(scope.account) ?? 0, 3),
      };
    }
    return { byAccount, catchUpTicks };
  } finally {
    await collector.stop();
    await sb.close();
    await store.db.close();
  }
}

async function main() {
  const baseline = await run([ACCOUNTS[0]!]);
  const several = await run(ACCOUNTS);
  const base = baseline.byAccount[ACCOUNTS[0]!]!;
  const accounts = ACCOUNTS.map((id) => {
    const a = several.byAccount[id]!;
    const ratio = Object.fromEntries(
      [...new Set([...Object.keys(a.perMinute), ...Object.keys(base.perMinute)])]
        .sort()
        .map((op) => [
          op,
          base.perMinute[op] ? round((a.perMinute[op] ?? 0) / base.perMinute[op]!, 3) : null,
        ]),
    );
    return {
      account: id,
      requestsPerCollectedMinute: a.perMinute,
      ratioToBaseline: ratio,
      lambdaRps: a.lambdaRps,
      lambdaPeakRpsPerTick: a.lambdaPeakRps,
      lambdaBudgetRps: LAMBDA_RPS,
      withinBudget: a.lambdaRps <= LAMBDA_RPS,
    };
  });
  console.log(
    JSON.stringify({
      bench: "collector-accounts",
      functionsPerAccount: F,
      region: REGION,
      steadyMinutes: STEADY_MS / MINUTE,
      baseline: {
        account: ACCOUNTS[0],
        requestsPerCollectedMinute: base.perMinute,
        lambdaRps: base.lambdaRps,
        catchUpTicks: baseline.catchUpTicks,
      },
      catchUpTicks: several.catchUpTicks,
      accounts,
    }),
  );
}

/** Run by collector-accounts.ts under the react-server condition (the adapters import `server-only`). */
export default main;
