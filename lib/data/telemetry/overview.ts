/**
 * The fleet overview use-case. Each region loads three independent sources — inventory (ListFunctions +
 * GetAccountSettings), metrics (one GetMetricData plan), logs (one Insights query per 50 log groups) — each
 * cached and coalesced per (region, query, range bucket). Every source settles to an Outcome, so a throttled or
 * failing source degrades the panels that need it and never the page.
 */
import "server-only";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import { MAX_GROUPS_PER_QUERY } from "@/lib/aws/logs";
import { toOutcomeError, type Outcome } from "@/lib/core/errors";
import { readReportBin, reportBinsQuery, type ReportBin } from "@/lib/core/query/telemetry-insights";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { Seconds } from "@/lib/core/units";
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

export interface RegionFailure {
  region: string;
  source: "inventory" | "metrics" | "logs";
  error: { code: string; message: string };
}

const settle = async <T>(p: Promise<T>): Promise<Outcome<T>> => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toOutcomeError(e) };
  }
};

export function loadInventory(region: string, deps: TelemetryDeps): Promise<Inventory> {
  return cached(deps, region, "telemetry:inventory", null, async () => {
    const lambda = deps.lambda(region);
    const [configs, account] = await Promise.all([
      lambda.listFunctions(),
      settle(lambda.getAccountSettings()),
    ]);
    return {
      functions: configs.map((c) => ({
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

export function loadRegionMetrics(
  region: string,
  inventory: Inventory,
  bucket: RangeBucket,
  deps: TelemetryDeps,
): Promise<Map<string, MetricSeries>> {
  return cached(deps, region, "telemetry:overview-metrics", bucket, () =>
    deps.cloudwatch(region).getMetricData(planOverviewMetrics(inventory.functions, bucket), bucket),
  );
}

export interface RegionLogs {
  aggregates: LogAggregates;
  bin: Seconds;
  queries: number;
  missingGroups: string[];
}

export function loadRegionLogs(
  region: string,
  inventory: Inventory,
  bucket: RangeBucket,
  deps: TelemetryDeps,
): Promise<RegionLogs> {
  return cached(deps, region, "telemetry:overview-logs", bucket, async () => {
    const plan = planOverviewLogs(inventory.functions, bucket, MAX_GROUPS_PER_QUERY);
    const logs = deps.logs(region);
    const deadline = Date.now() + deps.insightsTimeoutMs;
    const results = await Promise.all(
      plan.byFormat.map(async ({ format, groups }) => {
        const r = await logs.runInsights(reportBinsQuery(format, plan.bin), groups, bucket, { deadline });
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

export interface MetricsPanel {
  fleet: FleetMetrics | null;
  limits: { region: string; limit: number }[];
  failures: RegionFailure[];
}

export interface ColdStartsPanel {
  fleet: FleetColdStarts | null;
  bin: Seconds | null;
  failures: RegionFailure[];
}

export interface TablePanel {
  rows: FunctionRow[];
  cost: { total: number; unpriced: number } | null;
  failures: RegionFailure[];
}

/** Promises a page hands to separately suspended panels; none of them ever rejects. */
export interface FleetOverview {
  bucket: RangeBucket;
  regions: string[];
  metrics: Promise<MetricsPanel>;
  coldStarts: Promise<ColdStartsPanel>;
  table: Promise<TablePanel>;
}

interface RegionLoad {
  region: string;
  inventory: Outcome<Inventory>;
  metrics: Outcome<Map<string, MetricSeries>>;
  logs: Outcome<RegionLogs>;
}

export function startFleetOverview(
  regionNames: readonly string[],
  bucket: RangeBucket,
  deps: TelemetryDeps = defaultTelemetryDeps(),
): FleetOverview {
  const regions = regionNames.map(parseRegion);
  const loads = regions.map((region) => {
    const inventory = settle(loadInventory(region, deps));
    const after = <T>(f: (inv: Inventory) => Promise<T>): Promise<Outcome<T>> =>
      inventory.then((inv) => (inv.ok ? settle(f(inv.value)) : { ok: false as const, error: inv.error }));
    return {
      region,
      inventory,
      metrics: after((inv) => loadRegionMetrics(region, inv, bucket, deps)),
      logs: after((inv) => loadRegionLogs(region, inv, bucket, deps)),
    };
  });

  type Loaded = Pick<RegionLoad, "region" | "inventory"> & Partial<Pick<RegionLoad, "metrics" | "logs">>;
  const failuresOf = (rs: readonly Loaded[], sources: readonly RegionFailure["source"][]) =>
    rs.flatMap((r) =>
      sources.flatMap((source): RegionFailure[] => {
        const o = r[source];
        if (o === undefined) return [];
        // An inventory failure is reported once, not again for the sources that depended on it.
        if (source !== "inventory" && !r.inventory.ok) return [];
        return o.ok ? [] : [{ region: r.region, source, error: o.error }];
      }),
    );

  const inventories = Promise.all(
    loads.map(async (l) => ({ region: l.region, inventory: await l.inventory })),
  );
  const withMetrics = Promise.all(
    loads.map(async (l) => ({ region: l.region, inventory: await l.inventory, metrics: await l.metrics })),
  );
  const all: Promise<RegionLoad[]> = Promise.all(
    loads.map(async (l) => ({
      region: l.region,
      inventory: await l.inventory,
      metrics: await l.metrics,
      logs: await l.logs,
    })),
  );

  const metrics = Promise.all([inventories, withMetrics]).then(([invs, ms]): MetricsPanel => {
    const ok = ms.flatMap((m) => (m.metrics.ok ? [{ region: m.region, series: m.metrics.value }] : []));
    const failures = failuresOf(ms, ["inventory", "metrics"]);
    return {
      fleet: ok.length === 0 ? null : buildFleetMetrics(ok, bucket),
      limits: invs.flatMap((i) =>
        i.inventory.ok && i.inventory.value.concurrencyLimit !== null
          ? [{ region: i.region, limit: i.inventory.value.concurrencyLimit }]
          : [],
      ),
      failures,
    };
  });

  const coldStarts = all.then((rs): ColdStartsPanel => {
    const ok = rs.flatMap((r) => (r.logs.ok ? [r.logs.value] : []));
    const bin = ok[0]?.bin ?? null;
    return {
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
    const rows = rs.flatMap((r) =>
      r.inventory.ok
        ? buildFunctionRows(
            r.inventory.value.functions,
            r.metrics.ok ? r.metrics.value : null,
            r.logs.ok ? r.logs.value.aggregates : null,
            bucket,
            now,
          )
        : [],
    );
    const metricsOk = rs.some((r) => r.metrics.ok);
    return {
      rows,
      cost: metricsOk ? rangeCost(rows, bucket) : null,
      failures: failuresOf(rs, ["inventory", "metrics", "logs"]),
    };
  });

  return { bucket, regions, metrics, coldStarts, table };
}

/** The whole overview, awaited: for benchmarks and tests. */
export async function loadFleetOverview(
  regions: readonly string[],
  bucket: RangeBucket,
  deps: TelemetryDeps = defaultTelemetryDeps(),
) {
  const o = startFleetOverview(regions, bucket, deps);
  const [metrics, coldStarts, table] = await Promise.all([o.metrics, o.coldStarts, o.table]);
  return { bucket: o.bucket, regions: o.regions, metrics, coldStarts, table };
}
