/**
 * The collector's status for the status page: per account, whether the collector reaches it (one row each: ok
 * or its error); per account-region and source what is collected (and the backfill's progress), what collecting cost AWS over the last hour and day with its estimated monthly price at list prices,
 * recent quota errors and failures, the store's size per resolution, and which replica holds the collector
 * lease. Reads the store only (its reads run side by side: PostgreSQL is a network away).
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { COLLECTOR_LEASE, type Collector } from "@/lib/collector/collector";
import { runningCollector } from "@/lib/collector/runtime";
import { env } from "@/lib/config/env";
import type { Env } from "@/lib/config/env-schema";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { toOutcomeError } from "@/lib/core/errors";
import { accountLabel, accountTargets } from "@/lib/data/accounts";
import { store, type Store } from "@/lib/store";
import type { CollectorEvent, Coverage } from "@/lib/store/telemetry";

const HOUR = 3_600_000;
/** List prices (us-east-1): GetMetricData $0.01 per 1,000 metrics requested; Logs Insights $0.005 per GB scanned. */
export const PRICES = {
  getMetricDataPer1000Metrics: 0.01,
  insightsPerGbScanned: 0.005,
  source: "https://aws.amazon.com/cloudwatch/pricing/",
} as const;

export interface SourceStatus {
  source: "metrics" | "logs";
  coverage: Coverage | null;
  /** Null until something is collected: "0 h of 24 h" would read as a collector that ran and found nothing. */
  backfill: { collectedMs: number; targetMs: number } | null;
}

/** One account-region. */
export interface RegionStatus {
  account: string;
  region: string;
  /** Null until the inventory is first listed (not zero functions). */
  functions: number | null;
  inventoryListedAt: number | null;
  /**
   * The stored triggers: when the region's mappings were last listed (null: not yet), and how many functions
   * have a reading at their current RevisionId (the others are read live by a view until the collector gets
   * to them). Their requests are in the costs under source "triggers".
   */
  triggers: { mappingsListedAt: number | null; functionsRead: number };
  sources: SourceStatus[];
}

export interface CostSummary {
  requests: number;
  bytesScanned: number;
}

/** Whether the collector reaches one account, as the leading collector stored it. */
export interface AccountCollection {
  account: string;
  /** "111111111111 (member-1)", or the id alone. */
  label: string;
  /** Whether the collector has tried it (it has a stored state). */
  tried: boolean;
  /** Its latest error while it fails; `at`: when it began failing. */
  error: { code: string; message: string; at: number } | null;
}

export interface CollectorStatusView {
  now: number;
  mode: "embedded" | "off";
  running: boolean;
  leader: boolean | null;
  /** The replica holding the collector lease now (any replica's), or null when none does. */
  holder: { owner: string; generation: number } | null;
  /** One per account read, in the accounts' order. */
  accounts: AccountCollection[];
  /** Why the accounts could not be decided (then `accounts` is empty), or null. */
  accountsError: string | null;
  /** One per account-region, account by account. */
  regions: RegionStatus[];
  /** Whether any region and source has collected anything yet. */
  collected: boolean;
  lastHour: CostSummary;
  lastDay: CostSummary;
  /** Insights bytes scanned per hour over the last day, priced per month. */
  monthlyInsightsUsd: number;
  events: CollectorEvent[];
  size: { table: string; res: number; rows: number; bytes: number | null }[];
}

export interface StatusSources {
  store: Store;
  settings: Env;
  collector: Collector | null;
  /** The accounts the console reads, or why they could not be decided. */
  accounts: readonly AccountTarget[] | { error: string };
}

/** The most recent events shown. */
const EVENTS = 20;

export async function collectorStatus(now: number = systemClock.now()): Promise<CollectorStatusView> {
  const accounts = await accountTargets().catch((e: unknown) => ({ error: toOutcomeError(e).message }));
  return readCollectorStatus(
    { store: store(), settings: env(), collector: runningCollector(), accounts },
    now,
  );
}

async function regionStatus(s: Store, scope: Scope, horizonMs: number, now: number): Promise<RegionStatus> {
  const [coverages, account, entries, readings, listing] = await Promise.all([
    Promise.all((["metrics", "logs"] as const).map((source) => s.telemetry.coverage(scope, source, 60))),
    s.inventory.account(scope),
    s.inventory.functions(scope),
    s.triggers.list(scope),
    s.triggers.listing(scope),
  ]);
  const sources = (["metrics", "logs"] as const).map((source, i): SourceStatus => {
    const coverage = coverages[i] ?? null;
    const horizon = Math.floor((now - horizonMs) / 60_000) * 60_000;
    return {
      source,
      coverage,
      backfill: coverage
        ? {
            // Coverage ending before the horizon (the collector was stopped for longer) counts as none, never negative.
            collectedMs: Math.max(0, coverage.to - Math.max(horizon, coverage.from)),
            targetMs: Math.max(0, coverage.to - horizon),
          }
        : null,
    };
  });
  const inventoryListedAt = account?.listedAt ?? null;
  const functions = entries.length;
  return {
    account: scope.account,
    region: scope.region,
    functions: functions === 0 && inventoryListedAt === null ? null : functions,
    inventoryListedAt,
    triggers: {
      mappingsListedAt: listing?.listedAt ?? null,
      functionsRead: entries.filter((e) => readings.get(e.config.name)?.revisionId === e.config.revisionId)
        .length,
    },
    sources,
  };
}

/**
 * Each account's row, as the leading collector keeps it in the store (lib/store/collector-accounts.ts): its error
 * and since when it fails, or ok; every replica, the leader too, shows the same. An account without a row has not
 * been tried yet (just added to the accounts read, or the store was written by a release before migration 12).
 */
async function accountRows(s: Store, targets: readonly AccountTarget[]): Promise<AccountCollection[]> {
  // Every row, not an IN list of the targets: an organization's accounts could outnumber a statement's
  // parameters, and the table holds one row per account ever collected.
  const rows = new Map((await s.collectorAccounts.list()).map((r) => [r.account, r]));
  return targets.map((t) => {
    const row = rows.get(t.id);
    const error = row?.error && row.failingSince !== null ? { ...row.error, at: row.failingSince } : null;
    return { account: t.id, label: accountLabel(t), tried: row !== undefined, error };
  });
}

export async function readCollectorStatus(
  { store: s, settings, collector, accounts }: StatusSources,
  now: number,
): Promise<CollectorStatusView> {
  const horizonMs = settings.collector.backfillHours * HOUR;
  const targets = "error" in accounts ? [] : accounts;
  const scopes = targets.flatMap((t) => settings.regions.map((region) => ({ account: t.id, region })));
  const [regions, costs, recent, size, holder, accountStates] = await Promise.all([
    Promise.all(scopes.map((scope) => regionStatus(s, scope, horizonMs, now))),
    s.telemetry.costs(now - 24 * HOUR),
    s.telemetry.events(EVENTS),
    s.telemetry.size(),
    s.leases.holder(COLLECTOR_LEASE, now),
    accountRows(s, targets),
  ]);
  const sum = (since: number): CostSummary =>
    costs
      .filter((c) => c.hour >= since)
      .reduce(
        (a, c) => ({ requests: a.requests + c.requests, bytesScanned: a.bytesScanned + c.bytesScanned }),
        {
          requests: 0,
          bytesScanned: 0,
        },
      );
  const lastDay = sum(now - 24 * HOUR);
  return {
    now,
    mode: settings.collector.mode,
    running: collector !== null,
    leader: collector?.status().leader ?? null,
    holder: holder ? { owner: holder.owner, generation: holder.generation } : null,
    accounts: accountStates,
    accountsError: "error" in accounts ? accounts.error : null,
    regions,
    collected: regions.some((r) => r.sources.some((src) => src.coverage !== null)),
    lastHour: sum(Math.floor(now / HOUR) * HOUR - HOUR),
    lastDay,
    monthlyInsightsUsd: (lastDay.bytesScanned / 1e9) * PRICES.insightsPerGbScanned * 30,
    events: recent,
    size,
  };
}
