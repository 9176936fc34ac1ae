/**
 * The collector's status for the status page: per region and source what is collected (and the backfill's
 * progress), what collecting cost AWS over the last hour and day with its estimated monthly price at list prices,
 * recent quota errors and failures, the store's size per resolution, and which replica holds the collector
 * lease. Reads the store only (its reads run side by side: PostgreSQL is a network away).
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { COLLECTOR_LEASE, type Collector } from "@/lib/collector/collector";
import { runningCollector } from "@/lib/collector/runtime";
import { env } from "@/lib/config/env";
import type { Env } from "@/lib/config/env-schema";
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

export interface RegionStatus {
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

export interface CollectorStatusView {
  now: number;
  mode: "embedded" | "off";
  running: boolean;
  leader: boolean | null;
  /** The replica holding the collector lease now (any replica's), or null when none does. */
  holder: { owner: string; generation: number } | null;
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
}

export const collectorStatus = (now: number = systemClock.now()): Promise<CollectorStatusView> =>
  readCollectorStatus({ store: store(), settings: env(), collector: runningCollector() }, now);

async function regionStatus(s: Store, region: string, horizonMs: number, now: number): Promise<RegionStatus> {
  const [coverages, account, entries, readings, listing] = await Promise.all([
    Promise.all((["metrics", "logs"] as const).map((source) => s.telemetry.coverage(region, source, 60))),
    s.inventory.account(region),
    s.inventory.functions(region),
    s.triggers.list(region),
    s.triggers.listing(region),
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
    region,
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

export async function readCollectorStatus(
  { store: s, settings, collector }: StatusSources,
  now: number,
): Promise<CollectorStatusView> {
  const horizonMs = settings.collector.backfillHours * HOUR;
  const [regions, costs, events, size, holder] = await Promise.all([
    Promise.all(settings.regions.map((region) => regionStatus(s, region, horizonMs, now))),
    s.telemetry.costs(now - 24 * HOUR),
    s.telemetry.events(20),
    s.telemetry.size(),
    s.leases.holder(COLLECTOR_LEASE, now),
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
    regions,
    collected: regions.some((r) => r.sources.some((src) => src.coverage !== null)),
    lastHour: sum(Math.floor(now / HOUR) * HOUR - HOUR),
    lastDay,
    monthlyInsightsUsd: (lastDay.bytesScanned / 1e9) * PRICES.insightsPerGbScanned * 30,
    events,
    size,
  };
}
