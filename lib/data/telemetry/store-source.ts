/**
 * The fleet overview's data read from the store the collector fills (issue 10), in the shapes the live path
 * returns — `Inventory`, the metric map keyed by plan.ts's `fleetKey` / `functionKey`, `RegionLogs` — so the
 * pure assembly (assemble.ts) serves both. A store-backed view costs AWS nothing. Its reading helpers
 * (readSource, addUp, wholeSlots, seriesOf) also serve the function page (function-store.ts): both tile alike.
 *
 * Invariants:
 * - Whole-range values per function add up the tiling of the window (lib/core/rollup/tiling.ts): the coarsest
 *   tier covering the middle, finer tiers at the edges, each row read once; a 30-day range reads about one row
 *   per function and day plus its edges.
 * - Series have one point per slot of the bucket's period P, added up from the coarsest tiers dividing P. Only a
 *   slot the store covers whole carries a point; `covered` tells the assembly that every other slot is "not
 *   collected" (a gap), while a covered slot without rows had no datapoint (counts 0, gauges a gap), exactly as
 *   CloudWatch omits empty periods.
 * - Counts are sums. Fleet concurrency is the region row's maximum (CloudWatch's region-wide series). Every
 *   percentile — the fleet's p50/p90/p99 series and each function's p99 — is read from merged duration
 *   histograms of REPORT lines (relative error RELATIVE_ERROR), never averaged; a function's average duration is
 *   the Duration metric's sum / sample count.
 * - Log groups map to functions through the stored configuration (LoggingConfig's group); a group several
 *   functions share counts in the fleet series only, as on the live path.
 * - Every read is of one account-region (`Scope`): two accounts' same-named functions in one region never mix.
 * - Coverage and freshness are reported per account-region and source over the same tiling the totals use.
 * - Every read is a promise (PostgreSQL is a network round trip away): reads that do not depend on each other —
 *   the tiers of a coverage, the pieces of a tiling — are issued side by side, and the results are folded in the
 *   same order as before, so the numbers do not depend on which answer arrives first.
 */
import "server-only";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import type { Scope } from "@/lib/core/accounts/scope";
import { aliasVersionCount, provisionedConfigs } from "@/lib/core/pricing";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { quantile, quantiles } from "@/lib/core/rollup/histogram";
import {
  coveredIntervals,
  isCovered,
  resolutionsDividing,
  tile,
  type Interval,
  type TierCoverage,
  type Tiling,
} from "@/lib/core/rollup/tiling";
import { addLog, addMetric, REGION_ROW, RESOLUTIONS, type LogRollup } from "@/lib/core/rollup/types";
import { slotInWindow, type RangeBucket } from "@/lib/core/time/bucket";
import { epochMs, mb, ms, seconds } from "@/lib/core/units";
import type { InventoryStore } from "@/lib/store/inventory";
import type { RollupSource, TelemetryStore } from "@/lib/store/telemetry";
import type { Inventory, RegionLogs } from "./overview";
import {
  fleetKey,
  functionKey,
  logGroupOwners,
  type FleetSeriesId,
  type FunctionLogTotals,
  type FunctionMetricId,
  type StoreFunctionValueId,
  type LogAggregates,
} from "./plan";

/** The parts of the store this source reads. */
export interface StoreReader {
  telemetry: Pick<
    TelemetryStore,
    | "coverage"
    | "metricTotals"
    | "logTotals"
    | "regionMetricBuckets"
    | "regionLogBuckets"
    | "functionMetricBuckets"
    | "logGroupBuckets"
  > &
    // Optional: only the function page reads it, to say why a source was not collected.
    Partial<Pick<TelemetryStore, "events">>;
  inventory: Pick<InventoryStore, "functions" | "account" | "get">;
}

/** The stored inventory in the live path's shape (ListFunctions + GetAccountSettings). */
export async function readStoreInventory(reader: StoreReader, scope: Scope): Promise<Inventory> {
  const [account, functions] = await Promise.all([
    reader.inventory.account(scope),
    reader.inventory.functions(scope),
  ]);
  return {
    functions: functions.map(({ config: c, details }) => ({
      account: scope.account,
      region: scope.region,
      name: c.name,
      memory: c.memory,
      architecture: c.architecture,
      runtime: c.runtime,
      packageType: c.packageType,
      ephemeralStorage: c.ephemeralStorage,
      logGroup: c.logGroup,
      logFormat: c.logFormat,
      snapStart: c.snapStart,
      ...(details
        ? {
            provisioned: provisionedConfigs(details.provisioned),
            aliasVersions: aliasVersionCount(details.aliases),
          }
        : {}),
    })),
    concurrencyLimit: account?.settings.concurrentExecutions ?? null,
  };
}

export interface SourceRead {
  tiers: TierCoverage;
  collected: SourceCoverage["collected"];
  /** The window at every tier: what whole-range values read. */
  totals: Tiling;
  /** The window at the tiers dividing the period: what series read. */
  series: Tiling;
  /** Where the series are known (merged series pieces). */
  seriesCovered: Interval[];
}

/** Each resolution's covered interval of one source, and the whole span collected at any resolution. */
export async function collectedTiers(
  reader: { telemetry: Pick<TelemetryStore, "coverage"> },
  scope: Scope,
  source: RollupSource,
): Promise<{ tiers: TierCoverage; collected: SourceCoverage["collected"] }> {
  const tiers: TierCoverage = {};
  let collected: SourceCoverage["collected"] = null;
  const all = await Promise.all(RESOLUTIONS.map((res) => reader.telemetry.coverage(scope, source, res)));
  for (const [i, res] of RESOLUTIONS.entries()) {
    const c = all[i] ?? null;
    if (c === null || !(c.from < c.to)) continue;
    tiers[res] = { from: c.from, to: c.to };
    collected =
      collected === null
        ? { ...c }
        : {
            from: Math.min(collected.from, c.from),
            to: Math.max(collected.to, c.to),
            updatedAt: Math.max(collected.updatedAt, c.updatedAt),
          };
  }
  return { tiers, collected };
}

export async function readSource(
  reader: StoreReader,
  scope: Scope,
  source: RollupSource,
  bucket: RangeBucket,
): Promise<SourceRead> {
  const { tiers, collected } = await collectedTiers(reader, scope, source);
  const window = { from: bucket.start, to: bucket.end };
  const series = tile(window, tiers, resolutionsDividing(bucket.period));
  return {
    tiers,
    collected,
    totals: tile(window, tiers),
    series,
    seriesCovered: coveredIntervals(series.pieces),
  };
}

/** A source's coverage of one account-region (the account said next to the region when several are read). */
export type ScopedCoverage = SourceCoverage & { account?: string };

export const coverageOf = (
  scope: Scope,
  source: RollupSource,
  bucket: RangeBucket,
  read: SourceRead,
): SourceCoverage & { account: string } => ({
  account: scope.account,
  region: scope.region,
  source,
  collected: read.collected,
  window: { from: bucket.start, to: bucket.end },
  coveredMs: read.totals.coveredMs,
  gaps: read.totals.gaps,
});

/** Adds up rows keyed alike (`key`) across the pieces of a tiling, read side by side, folded in piece order. */
export async function addUp<T, K>(
  pieces: Tiling["pieces"],
  read: (p: Tiling["pieces"][number]) => Promise<readonly T[]>,
  key: (r: T) => K,
  add: (a: T, b: T) => T,
): Promise<Map<K, T>> {
  const out = new Map<K, T>();
  for (const rows of await Promise.all(pieces.map(read))) {
    for (const r of rows) {
      const k = key(r);
      const acc = out.get(k);
      out.set(k, acc === undefined ? r : add(acc, r));
    }
  }
  return out;
}

/**
 * Slot-start → value for the slots whose part inside the window the series covers whole, in time order (an edge
 * slot the window cuts holds only its inside part: see time/bucket.ts).
 */
export function wholeSlots<T extends { t: number }>(
  slots: ReadonlyMap<number, T>,
  covered: readonly Interval[],
  step: number,
  window: { start: number; end: number },
): T[] {
  const known = (t: number) => {
    const part = slotInWindow(t, step, window);
    return isCovered(covered, part.from, part.to);
  };
  return [...slots.values()].filter((s) => known(s.t)).sort((a, b) => a.t - b.t);
}

export function seriesOf<T extends { t: number }>(
  rows: readonly T[],
  value: (r: T) => number | null,
): MetricSeries {
  const out: MetricSeries = { timestamps: [], values: [] };
  for (const r of rows) {
    const v = value(r);
    if (v === null || !Number.isFinite(v)) continue;
    out.timestamps.push(epochMs(r.t));
    out.values.push(v);
  }
  return out;
}

export interface StoreMetrics {
  series: Map<string, MetricSeries>;
  /** Where the count and concurrency series are known; outside: not collected. */
  covered: Interval[];
  coverage: SourceCoverage;
}

export interface StoreLogs extends RegionLogs {
  coverage: SourceCoverage;
}

/** One account-region's reads for one bucket, sharing what metrics and logs both need (REPORT-line histograms). */
export interface StoreRegionRead {
  inventory(): Promise<Inventory>;
  metrics(inventory: Inventory): Promise<StoreMetrics>;
  logs(inventory: Inventory): Promise<StoreLogs>;
}

export function storeRegionRead(reader: StoreReader, scope: Scope, bucket: RangeBucket): StoreRegionRead {
  const step = bucket.period * 1000;
  const store = reader.telemetry;
  // Shared by metrics and logs, each read once: the promise is kept, so concurrent callers share one read.
  let logSource: Promise<SourceRead> | undefined;
  let logGroups: Promise<Map<string, LogRollup>> | undefined;
  let logSlots: Promise<LogRollup[]> | undefined;

  const logsRead = () => (logSource ??= readSource(reader, scope, "logs", bucket));
  /** Per log group over the whole covered window. */
  const groupTotals = () =>
    (logGroups ??= logsRead().then((read) =>
      addUp(
        read.totals.pieces,
        (p) => store.logTotals(scope, p.res, p.from, p.to),
        (r) => r.logGroup,
        addLog,
      ),
    ));
  /** The whole region per slot of the period, covered slots only. */
  const regionLogSlots = () =>
    (logSlots ??= logsRead().then(async (read) => {
      const slots = await addUp(
        read.series.pieces,
        (p) => store.regionLogBuckets(scope, p.res, p.from, p.to, step),
        (r) => r.t,
        addLog,
      );
      return wholeSlots(slots, read.seriesCovered, step, bucket);
    }));

  return {
    inventory: () => readStoreInventory(reader, scope),

    async metrics(inventory) {
      const read = await readSource(reader, scope, "metrics", bucket);
      const out = new Map<string, MetricSeries>();

      const [regionSlots, durations, totals, groups] = await Promise.all([
        addUp(
          read.series.pieces,
          (p) => store.regionMetricBuckets(scope, p.res, p.from, p.to, step),
          (r) => r.t,
          addMetric,
        ),
        regionLogSlots(),
        addUp(
          read.totals.pieces,
          (p) => store.metricTotals(scope, p.res, p.from, p.to),
          (r) => r.fn,
          addMetric,
        ),
        groupTotals(),
      ]);
      const slots = wholeSlots(regionSlots, read.seriesCovered, step, bucket);
      const fleet = (id: FleetSeriesId, s: MetricSeries) => {
        if (s.timestamps.length > 0) out.set(fleetKey(id), s);
      };
      fleet(
        "invocations",
        seriesOf(slots, (r) => r.invocations),
      );
      fleet(
        "errors",
        seriesOf(slots, (r) => r.errors),
      );
      fleet(
        "throttles",
        seriesOf(slots, (r) => r.throttles),
      );
      fleet(
        "concurrency",
        seriesOf(slots, (r) => r.concurrencyMax),
      );

      const pct = durations.map((r) => ({ t: r.t, q: quantiles(r.durations, [0.5, 0.9, 0.99]) }));
      fleet(
        "p50",
        seriesOf(pct, (r) => r.q[0] ?? null),
      );
      fleet(
        "p90",
        seriesOf(pct, (r) => r.q[1] ?? null),
      );
      fleet(
        "p99",
        seriesOf(pct, (r) => r.q[2] ?? null),
      );

      const names = new Set(inventory.functions.map((f) => f.name));
      // Whole-range values as GetMetricData answers one period spanning the bucket: one datapoint at its start.
      const one = (name: string, id: FunctionMetricId | StoreFunctionValueId, v: number | null) => {
        if (v !== null && Number.isFinite(v))
          out.set(functionKey(name, id), { timestamps: [bucket.start], values: [v] });
      };
      for (const [fn, r] of totals) {
        if (fn === REGION_ROW || !names.has(fn)) continue;
        one(fn, "invocations", r.invocations);
        one(fn, "errors", r.errors);
        one(fn, "throttles", r.throttles);
        one(fn, "avgDuration", r.durationCount ? (r.durationSum ?? 0) / r.durationCount : null);
        // Spillover is known only where provisioned-concurrency metrics were published (not while idle).
        one(
          fn,
          "pcSpillover",
          r.pcExecutionsMax === null && r.pcUtilizationMax === null ? null : r.pcSpillover,
        );
      }
      for (const [group, owner] of logGroupOwners(inventory.functions)) {
        const g = groups.get(group);
        if (owner !== null && g) one(owner, "p99", quantile(g.durations, 0.99));
      }

      return {
        series: out,
        covered: read.seriesCovered,
        coverage: coverageOf(scope, "metrics", bucket, read),
      };
    },

    async logs(inventory) {
      const [read, groups, slots] = await Promise.all([logsRead(), groupTotals(), regionLogSlots()]);
      const owner = logGroupOwners(inventory.functions);
      const perFunction = new Map<string, FunctionLogTotals>();
      for (const [group, g] of groups) {
        const name = owner.get(group);
        if (name === undefined || name === null) continue;
        perFunction.set(name, functionLogTotals(g));
      }
      const series: LogAggregates["series"] = new Map();
      for (const s of slots)
        series.set(s.t, { invocations: s.reports, coldStarts: s.coldStarts, initSum: s.initSumMs });
      const sharedGroups = new Set([...owner].filter(([, name]) => name === null).map(([g]) => g));
      return {
        aggregates: { perFunction, series, sharedGroups, covered: read.seriesCovered },
        bin: seconds(bucket.period),
        queries: 0,
        missingGroups: [],
        coverage: coverageOf(scope, "logs", bucket, read),
      };
    },
  };
}

function functionLogTotals(g: LogRollup): FunctionLogTotals {
  return {
    invocations: g.reports,
    coldStarts: g.coldStarts,
    initSum: g.coldStarts > 0 ? ms(g.initSumMs) : null,
    maxInit: g.initMaxMs === null ? null : ms(g.initMaxMs),
    maxMemoryUsed: g.maxMemoryUsedMb === null ? null : mb(g.maxMemoryUsedMb),
    memorySize: g.memorySizeMb === null ? null : mb(g.memorySizeMb),
    billedSum: ms(g.billedSumMs),
    restores:
      g.restores === null || g.restoreBilledSumMs === null
        ? null
        : { count: g.restores, billedSum: ms(g.restoreBilledSumMs) },
  };
}

/** A cache key part that changes whenever the collector writes (any tier's coverage moves or is re-stamped). */
export async function coverageSignature(
  reader: { telemetry: Pick<TelemetryStore, "coverage"> },
  scope: Scope,
): Promise<string> {
  const reads = (["metrics", "logs"] as const).flatMap((source) =>
    RESOLUTIONS.map((res) => reader.telemetry.coverage(scope, source, res)),
  );
  return (await Promise.all(reads))
    .map((c) => (c === null ? "-" : `${c.from}:${c.to}:${c.updatedAt}`))
    .join(",");
}
