/**
 * The fleet overview use-case. Each account-region (scope) loads three independent sources — inventory, metrics,
 * logs — each settling to an Outcome, so a failing source degrades the panels that need it and never the page.
 *
 * Where they come from (`source`):
 * - "store" (what pages use): the rollups the collector keeps (store-source.ts), always — a region or range the
 *   collector has not covered yet is shown as such ("still collecting: covered X of Y"), never filled live.
 *   Costs AWS 0 requests; cached per (account-region, bucket, coverage stamp), so it is recomputed only when the
 *   collector has written since.
 * - "live" (kept for benchmarks against the store): inventory (ListFunctions + GetAccountSettings), metrics
 *   (one GetMetricData plan), logs (one Insights query per 50 log groups), each cached and coalesced per
 *   (account-region, query, range bucket), through the account's ports (its role; OAM: the monitoring account).
 * Rows, failures and limits carry their account next to their region: two accounts' same-named functions in one
 * region are two rows, and one account's failure is said as that account's.
 */
import "server-only";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { MAX_GROUPS_PER_QUERY } from "@/lib/aws/logs";
import { type Outcome, settle } from "@/lib/core/errors";
import { readReportBin, reportBinsQuery, type ReportBin } from "@/lib/core/query/telemetry-insights";
import type { CostSum } from "@/lib/core/pricing";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import type { Interval } from "@/lib/core/rollup/tiling";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { EpochMs, Seconds } from "@/lib/core/units";
import { parseRegion } from "../validate";
import {
  buildFleetColdStarts,
  buildFleetMetrics,
  buildFunctionRows,
  rangeCost,
  type FleetColdStarts,
  type FleetMetrics,
  type FunctionRow,
} from "./assemble";
import { cached, defaultTelemetryDeps, type TelemetryDeps } from "./deps";
import {
  coverageSignature,
  storeRegionRead,
  type ScopedCoverage,
  type StoreRegionRead,
} from "./store-source";
import {
  aggregateReportBins,
  planOverviewLogs,
  planOverviewMetrics,
  type InventoryFunction,
  type LogAggregates,
} from "./plan";

export interface Inventory {
  functions: InventoryFunction[];
  /** Account concurrency limit (GetAccountSettings); null when that call failed. */
  concurrencyLimit: number | null;
}

/** One account-region the overview reads; `target` (when known) names the account and reaches it live. */
export interface OverviewScope extends Scope {
  target?: AccountTarget | null;
}

export interface RegionFailure {
  account: string;
  region: string;
  source: "inventory" | "metrics" | "logs";
  error: { code: string; message: string };
}

/** Live: ListFunctions + GetAccountSettings. */
export function loadInventory(scope: OverviewScope, deps: TelemetryDeps): Promise<Inventory> {
  const { region } = scope;
  return cached(deps, scope, "telemetry:inventory", null, async () => {
    const lambda = deps.lambda(region, scope.target ?? null);
    const [configs, account] = await Promise.all([
      lambda.listFunctions(),
      settle(lambda.getAccountSettings()),
    ]);
    return {
      functions: configs.map((c) => ({
        account: scope.account,
        region,
        name: c.name,
        memory: c.memory,
        architecture: c.architecture,
        runtime: c.runtime,
        packageType: c.packageType,
        ephemeralStorage: c.ephemeralStorage,
        logGroup: c.logGroup,
        logFormat: c.logFormat,
      })),
      concurrencyLimit: account.ok ? account.value.concurrentExecutions : null,
    };
  });
}

/** Live: one GetMetricData plan (planOverviewMetrics). */
export function loadRegionMetrics(
  scope: OverviewScope,
  inventory: Inventory,
  bucket: RangeBucket,
  deps: TelemetryDeps,
): Promise<Map<string, MetricSeries>> {
  return cached(deps, scope, "telemetry:overview-metrics", bucket, () =>
    deps
      .cloudwatch(scope.region, scope.target ?? null)
      .getMetricData(planOverviewMetrics(inventory.functions, bucket), bucket),
  );
}

export interface RegionLogs {
  aggregates: LogAggregates;
  bin: Seconds;
  queries: number;
  missingGroups: string[];
  /** Store-backed only: what the store covers of the window. */
  coverage?: SourceCoverage;
}

/** One region's metric answer: the series map, and for a store-backed one where it is known. */
export interface RegionMetrics {
  series: Map<string, MetricSeries>;
  /** Store-backed only: slots outside are "not collected" (absent: the whole bucket). */
  covered?: Interval[];
  coverage?: SourceCoverage;
}

/** Live: one Insights query per ≤ 50 log groups of one format. */
export function loadRegionLogs(
  scope: OverviewScope,
  inventory: Inventory,
  bucket: RangeBucket,
  deps: TelemetryDeps,
): Promise<RegionLogs> {
  return cached(deps, scope, "telemetry:overview-logs", bucket, async () => {
    const plan = planOverviewLogs(inventory.functions, bucket, MAX_GROUPS_PER_QUERY);
    const logs = deps.logs(scope.region, scope.target ?? null);
    // A relative limit, counted on the port's clock: deps.now may be replayed (benchmarks), the port's is real.
    const timeoutMs = deps.insightsTimeoutMs;
    const results = await Promise.all(
      plan.byFormat.map(async ({ format, groups }) => {
        const r = await logs.runInsights(reportBinsQuery(format, plan.bin), groups, bucket, { timeoutMs });
        return {
          ...r,
          bins: r.rows.map((row) => readReportBin(row, format)).filter((b): b is ReportBin => b !== null),
        };
      }),
    );
    return {
      aggregates: aggregateReportBins(
        results.flatMap((r) => r.bins),
        plan.owner,
      ),
      bin: plan.bin,
      queries: results.reduce((a, r) => a + r.queries, 0),
      missingGroups: results.flatMap((r) => r.missingGroups),
    };
  });
}

export type OverviewSourceKind = "store" | "live";

/** Where a panel's numbers come from and, store-backed, how much of the window they cover and how fresh. */
export interface PanelStatus {
  source: OverviewSourceKind;
  /** Store-backed: every account-region's coverage of each source the panel reads. */
  coverage: ScopedCoverage[];
  now: EpochMs;
}

export interface MetricsPanel {
  fleet: FleetMetrics | null;
  /** Each account-region's concurrency limit (each account has its own). */
  limits: { account: string; region: string; limit: number }[];
  failures: RegionFailure[];
  status: PanelStatus;
}

export interface ColdStartsPanel {
  fleet: FleetColdStarts | null;
  bin: Seconds | null;
  failures: RegionFailure[];
  status: PanelStatus;
}

export interface TablePanel {
  rows: FunctionRow[];
  /** The range's estimated cost; a lower bound (`lowerBound`) when a function's estimate lacks a part. */
  cost: CostSum | null;
  failures: RegionFailure[];
  status: PanelStatus;
}

/** Promises a page hands to separately suspended panels; none of them ever rejects. */
export interface FleetOverview {
  bucket: RangeBucket;
  scopes: Scope[];
  source: OverviewSourceKind;
  /** What this view costs AWS, when known up front: a store-backed view makes no AWS request. */
  awsRequests: number | null;
  metrics: Promise<MetricsPanel>;
  coldStarts: Promise<ColdStartsPanel>;
  table: Promise<TablePanel>;
}

interface RegionLoad {
  scope: OverviewScope;
  inventory: Outcome<Inventory>;
  metrics: Outcome<RegionMetrics>;
  logs: Outcome<RegionLogs>;
}

/** One region's three sources, each a promise of its own. */
interface RegionSources {
  inventory(): Promise<Inventory>;
  metrics(inventory: Inventory): Promise<RegionMetrics>;
  logs(inventory: Inventory): Promise<RegionLogs>;
}

function liveSources(scope: OverviewScope, bucket: RangeBucket, deps: TelemetryDeps): RegionSources {
  return {
    inventory: () => loadInventory(scope, deps),
    metrics: async (inv) => ({ series: await loadRegionMetrics(scope, inv, bucket, deps) }),
    logs: (inv) => loadRegionLogs(scope, inv, bucket, deps),
  };
}

function storeSources(scope: Scope, bucket: RangeBucket, deps: TelemetryDeps): RegionSources {
  // Inside a promise: opening the store or reading it may throw, and must settle like any source's failure.
  const ready = Promise.resolve().then(async () => {
    const reader = deps.store();
    return { read: storeRegionRead(reader, scope, bucket), stamp: await coverageSignature(reader, scope) };
  });
  // Keyed by the coverage stamp too: an entry is reused only until the collector writes again.
  const memo = <T>(query: string, load: (read: StoreRegionRead) => Promise<T>) =>
    ready.then(({ read, stamp }) => cached(deps, scope, `store:${query}|${stamp}`, bucket, () => load(read)));
  return {
    inventory: () => memo("inventory", (read) => read.inventory()),
    metrics: (inv) => memo("overview-metrics", (read) => read.metrics(inv)),
    logs: (inv) => memo("overview-logs", (read) => read.logs(inv)),
  };
}

/** A store-backed source that covers none of the window has nothing to show (its coverage notice says why). */
const hasData = (o: { coverage?: SourceCoverage }) => o.coverage === undefined || o.coverage.coveredMs > 0;

/** Every (account, region) pair given, each loaded on its own. */
export function startFleetOverview(
  scopeList: readonly OverviewScope[],
  bucket: RangeBucket,
  deps: TelemetryDeps = defaultTelemetryDeps(),
  options: { source?: OverviewSourceKind } = {},
): FleetOverview {
  const kind = options.source ?? "store";
  const scopes = scopeList.map((s) => ({
    ...s,
    account: parseAccountId(s.account),
    region: parseRegion(s.region),
  }));
  const loads = scopes.map((scope) => {
    const sources = kind === "store" ? storeSources(scope, bucket, deps) : liveSources(scope, bucket, deps);
    const inventory = settle(sources.inventory());
    const after = <T>(f: (inv: Inventory) => Promise<T>): Promise<Outcome<T>> =>
      inventory.then((inv) => (inv.ok ? settle(f(inv.value)) : { ok: false as const, error: inv.error }));
    return {
      scope,
      inventory,
      metrics: after((inv) => sources.metrics(inv)),
      logs: after((inv) => sources.logs(inv)),
    };
  });
  const status = (
    rs: readonly { metrics?: Outcome<RegionMetrics>; logs?: Outcome<RegionLogs> }[],
  ): PanelStatus => ({
    source: kind,
    coverage: rs.flatMap((r) =>
      [r.metrics, r.logs].flatMap((o) => (o?.ok && o.value.coverage ? [o.value.coverage] : [])),
    ),
    now: deps.now(),
  });

  type Loaded = Pick<RegionLoad, "scope" | "inventory"> & Partial<Pick<RegionLoad, "metrics" | "logs">>;
  const failuresOf = (rs: readonly Loaded[], sources: readonly RegionFailure["source"][]) =>
    rs.flatMap((r) =>
      sources.flatMap((source): RegionFailure[] => {
        const o = r[source];
        if (o === undefined) return [];
        // An inventory failure is reported once, not again for the sources that depended on it.
        if (source !== "inventory" && !r.inventory.ok) return [];
        return o.ok ? [] : [{ account: r.scope.account, region: r.scope.region, source, error: o.error }];
      }),
    );

  const inventories = Promise.all(loads.map(async (l) => ({ scope: l.scope, inventory: await l.inventory })));
  const withMetrics = Promise.all(
    loads.map(async (l) => ({ scope: l.scope, inventory: await l.inventory, metrics: await l.metrics })),
  );
  const all: Promise<RegionLoad[]> = Promise.all(
    loads.map(async (l) => ({
      scope: l.scope,
      inventory: await l.inventory,
      metrics: await l.metrics,
      logs: await l.logs,
    })),
  );

  // The duration percentiles of a store-backed metrics panel come from REPORT lines: it waits for both sources.
  const forMetrics: Promise<(Loaded & Pick<RegionLoad, "metrics">)[]> = kind === "store" ? all : withMetrics;
  const metrics = Promise.all([inventories, forMetrics]).then(([invs, ms]): MetricsPanel => {
    const ok = ms.flatMap((m) =>
      m.metrics.ok && hasData(m.metrics.value)
        ? [{ account: m.scope.account, region: m.scope.region, ...m.metrics.value }]
        : [],
    );
    const failures = failuresOf(ms, ["inventory", "metrics"]);
    return {
      status: status(ms),
      fleet: ok.length === 0 ? null : buildFleetMetrics(ok, bucket),
      limits: invs.flatMap((i) =>
        i.inventory.ok && i.inventory.value.concurrencyLimit !== null
          ? [{ account: i.scope.account, region: i.scope.region, limit: i.inventory.value.concurrencyLimit }]
          : [],
      ),
      failures,
    };
  });

  const coldStarts = all.then((rs): ColdStartsPanel => {
    const ok = rs.flatMap((r) => (r.logs.ok && hasData(r.logs.value) ? [r.logs.value] : []));
    const bin = ok[0]?.bin ?? null;
    return {
      status: status(rs.map((r) => ({ logs: r.logs }))),
      fleet:
        ok.length === 0 || bin === null
          ? null
          : buildFleetColdStarts(
              ok.map((l) => l.aggregates),
              bucket,
              bin,
            ),
      bin,
      failures: failuresOf(rs, ["inventory", "logs"]),
    };
  });

  const table = all.then((rs): TablePanel => {
    const now = deps.now();
    const span = bucket.end - bucket.start;
    const rows = rs.flatMap((r) => {
      if (!r.inventory.ok) return [];
      const m = r.metrics.ok && hasData(r.metrics.value) ? r.metrics.value : null;
      const l = r.logs.ok && hasData(r.logs.value) ? r.logs.value : null;
      return buildFunctionRows(
        r.inventory.value.functions,
        m?.series ?? null,
        l?.aggregates ?? null,
        bucket,
        now,
        {
          metricsMs: m?.coverage?.coveredMs ?? span,
          logsMs: l?.coverage?.coveredMs ?? span,
        },
        r.scope.target?.name ?? null,
      );
    });
    const metricsOk = rs.some((r) => r.metrics.ok && hasData(r.metrics.value));
    return {
      status: status(rs),
      rows,
      cost: metricsOk ? rangeCost(rows, bucket) : null,
      failures: failuresOf(rs, ["inventory", "metrics", "logs"]),
    };
  });

  return {
    bucket,
    scopes: scopes.map(({ account, region }) => ({ account, region })),
    source: kind,
    awsRequests: kind === "store" ? 0 : null,
    metrics,
    coldStarts,
    table,
  };
}

/** The whole overview, awaited: for benchmarks and tests (`source: "live"` for today's live path). */
export async function loadFleetOverview(
  scopes: readonly OverviewScope[],
  bucket: RangeBucket,
  deps: TelemetryDeps = defaultTelemetryDeps(),
  options: { source?: OverviewSourceKind } = {},
) {
  const o = startFleetOverview(scopes, bucket, deps, options);
  const [metrics, coldStarts, table] = await Promise.all([o.metrics, o.coldStarts, o.table]);
  return { bucket: o.bucket, scopes: o.scopes, source: o.source, metrics, coldStarts, table };
}
