/**
 * The process's collector: built from the environment on the real AWS adapters and the process's store, started
 * once (kept on globalThis so Next's dev reloads do not start a second), stopped on shutdown. The console server
 * starts it from instrumentation.ts unless FLEETSCOPE_COLLECTOR=off; `npm run collector` runs it alone.
 * Every replica starts one; the collector lease (FLEETSCOPE_LEASE_SECONDS) lets exactly one of them work.
 * It collects every account the console reads (accountTargets(), re-decided when that cache expires) in every
 * configured region, each through its account's credentials. The accounts come from lib/data (accountTargets,
 * defaultTarget), which this layer does not import: lib/data/collector/runtime.ts binds them.
 */
import "server-only";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { BACKGROUND_TIMING, logsFor } from "@/lib/aws/logs";
import { env } from "@/lib/config/env";
import type { AccountId, AccountTarget } from "@/lib/core/accounts";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import { replicaId } from "@/lib/config/replica";
import { store } from "@/lib/store";
import { createCollector, type Collector } from "./collector";

const holder = globalThis as typeof globalThis & { __fleetscopeCollector?: Collector };

/** Which accounts to collect, and which one owns the rows stored before accounts. */
export interface CollectorAccounts {
  targets(): Promise<readonly AccountTarget[]>;
  legacyAccount(): Promise<AccountId>;
}

export function collectorFromEnv(accounts: CollectorAccounts): Collector {
  const settings = env();
  /** The targets of the scopes last asked for: the ports of a scope reach its account through its target. */
  const targets = new Map<string, AccountTarget>();
  const targetOf = (scope: Scope): AccountTarget => {
    const target = targets.get(scope.account);
    // Unreachable: the collector asks for ports only for scopes it was just given.
    if (!target) throw new Error(`collector: no account target for ${scopeKey(scope)}`);
    return target;
  };
  return createCollector({
    scopes: async () => {
      const read = await accounts.targets();
      targets.clear();
      for (const t of read) targets.set(t.id, t);
      return read.flatMap((t) => settings.regions.map((region) => ({ account: t.id, region })));
    },
    portsFor: (scope) => {
      const target = targetOf(scope);
      return {
        lambda: lambdaFor(scope.region, target),
        cloudwatch: cloudWatchFor(scope.region, target),
        metricList: metricListFor(scope.region, target),
        logs: logsFor(scope.region, BACKGROUND_TIMING, target),
      };
    },
    // OAM: a source read through the monitoring account runs its queries there, with the console's own
    // credentials (the home account is the monitoring account): they share that account's Insights quota.
    insightsAccountOf: (scope) =>
      targetOf(scope).telemetry === "monitoring-account"
        ? ([...targets.values()].find((t) => t.source === "home")?.id ?? "monitoring-account")
        : scope.account,
    legacyAccount: () => accounts.legacyAccount(),
    store: store(),
    // This replica's name, the same the plan runner's lease and /api/health carry.
    owner: replicaId(),
    leaseMs: settings.leaseSeconds * 1000,
    settings: { horizonMs: settings.collector.backfillHours * 3_600_000 },
    lambdaRequestsPerSecond: settings.collector.lambdaRequestsPerSecond,
    maxConcurrentInsightsQueries: settings.collector.insightsConcurrency,
    log: (m) => console.warn(`[fleetscope] ${m}`),
  });
}

/** Starts the embedded collector once; null when this deployment runs it elsewhere. */
export function ensureCollector(accounts: CollectorAccounts): Collector | null {
  if (env().collector.mode === "off") return null;
  if (!holder.__fleetscopeCollector) {
    holder.__fleetscopeCollector = collectorFromEnv(accounts);
    holder.__fleetscopeCollector.start();
  }
  return holder.__fleetscopeCollector;
}

export const runningCollector = (): Collector | null => holder.__fleetscopeCollector ?? null;
