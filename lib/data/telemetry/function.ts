/**
 * One function's telemetry. Four sources, each settling to an Outcome of its own:
 * - metrics and logs from the store the collector fills (function-store.ts): counts, concurrency, duration
 *   percentiles from REPORT-line histograms, cold starts, init, memory, billed duration, timeouts, OOM kills.
 *   No AWS request; cached per (account, region, function, bucket, coverage stamp), so recomputed only after
 *   the collector wrote.
 * - per-alias and per-executed-version series, live: the collector keeps per-function rows only (the
 *   FunctionName+Resource dimensions would multiply its GetMetricData plan by the fleet's aliases), so one
 *   narrow GetMetricData plan reads these split series, and only for functions with aliases.
 * - the latest invocations, live (FilterLogEvents over a short window): a per-request view, as issue 10 says.
 * Besides, from the same store rows, the stream / async / recursion charts; and, live, the counts of the event
 * source mappings that publish them (mapping-metrics.ts: their own dimension, not collected).
 * The view's AWS cost is what its live loads requested (a load served from the cache requested nothing).
 * A function is its account's: live reads go through that account's ports (its role, or the OAM monitoring
 * account for telemetry), store reads stay in its account-region, and every cache key is its functionRefKey.
 *
 * Missing evidence never reads as zero: when the store covers none of the window for REPORT lines (the
 * collector failed, e.g. on Insights rows it could not read, or has not reached it), the logs panel fails with
 * why — the collector's last logs failure when there is one — instead of showing 0 cold starts, 0 timeouts.
 */
import "server-only";
import type { LambdaDimensions, MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import type { AccountTarget } from "@/lib/core/accounts";
import type { FunctionRef, Scope } from "@/lib/core/accounts/scope";
import { prepareSeries, type SeriesPoint } from "@/lib/core/charts/series";
import { FleetscopeError, toOutcomeError, type Outcome, settle } from "@/lib/core/errors";
import type { Alias, FunctionConfig, ProvisionedConcurrency } from "@/lib/core/lambda/types";
import type { MappingCounts } from "@/lib/core/charts/mapping-counts";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import type { CostEstimate } from "@/lib/core/pricing";
import { isPartial, type SourceCoverage } from "@/lib/core/rollup/coverage";
import { anyTermPattern } from "@/lib/core/query/filter-pattern";
import { assembleInvocations } from "@/lib/core/telemetry/invocation";
import type { Invocation } from "@/lib/core/telemetry/types";
import { seriesWindow, type RangeBucket } from "@/lib/core/time/bucket";
import { epochMs, type Seconds } from "@/lib/core/units";
import { createMeter, type RequestCost, type RequestMeter } from "../traces/meter";
import { parseFunctionName, parseRegion } from "../validate";
import { defaultTelemetryDeps, type TelemetryDeps } from "./deps";
import { cachedForFunction } from "./function-cache";
import {
  storeFunctionRead,
  type FunctionStoreRead,
  type StoreFunctionLogs,
  type StoreFunctionMetrics,
  type StoreFunctionSources,
} from "./function-store";
import { loadMappingMetrics } from "./mapping-metrics";
import { functionMonthlyCost, type CostConfig } from "./function-cost";
import type { PanelStatus } from "./overview";
import { coverageSignature, type StoreReader } from "./store-source";

export type { FunctionLogStats } from "./function-store";

const RECENT_WINDOW_MS = 15 * 60_000;
const RECENT_LIMIT = 50;

export interface SplitSeries {
  key: string;
  label: string;
  invocations: SeriesPoint[];
  errors: SeriesPoint[];
  p99: SeriesPoint[];
}

export interface FunctionSplits {
  byAlias: SplitSeries[];
  byVersion: SplitSeries[];
}

export type FunctionMetrics = StoreFunctionMetrics & { status: PanelStatus };
export type FunctionSources = StoreFunctionSources & { status: PanelStatus };
export type FunctionLogs = StoreFunctionLogs & {
  status: PanelStatus;
  /** The collector's last failure reading logs, while part of the window is not collected: why it is partial. */
  failure: string | null;
};

export interface RecentInvocations {
  window: { start: number; end: number };
  invocations: Invocation[];
}

export interface FunctionTelemetry {
  bucket: RangeBucket;
  metrics: Promise<Outcome<FunctionMetrics>>;
  splits: Promise<Outcome<FunctionSplits>>;
  /** Stream, async and recursion charts, from the store. */
  sources: Promise<Outcome<FunctionSources>>;
  /** Per event source mapping counts, live; empty without `mappings` in the input. */
  mappingCounts: Promise<Outcome<MappingCounts[]>>;
  logs: Promise<Outcome<FunctionLogs>>;
  recent: Promise<Outcome<RecentInvocations>>;
  /** The AWS requests this view made, once its live parts have settled. */
  cost: Promise<RequestCost>;
  /** The function's estimated monthly cost (function-cost.ts); null without pricing input or duration. */
  monthlyCost: Promise<Outcome<CostEstimate | null>>;
}

const SPLIT = [
  { id: "inv", metricName: "Invocations", stat: "Sum" },
  { id: "err", metricName: "Errors", stat: "Sum" },
  { id: "p99", metricName: "Duration", stat: "p99" },
] as const;

interface Split {
  key: string;
  label: string;
  dimensions: LambdaDimensions;
}

/** Aliases by Resource, and every version an alias routes to by ExecutedVersion. */
export function splitsFor(name: string, aliases: readonly Alias[]): { byAlias: Split[]; byVersion: Split[] } {
  const byAlias = aliases.map((a) => ({
    key: `alias:${a.name}`,
    label: a.name,
    dimensions: { kind: "resource", functionName: name, resource: `${name}:${a.name}` } as const,
  }));
  const byVersion = aliases.flatMap((a) =>
    [a.functionVersion, ...(a.routing ? [a.routing.additionalVersion] : [])].map((v) => ({
      key: `version:${a.name}:${v}`,
      label: `${a.name} → v${v}`,
      dimensions: {
        kind: "executedVersion",
        functionName: name,
        resource: `${name}:${a.name}`,
        executedVersion: v,
      } as const,
    })),
  );
  return { byAlias, byVersion };
}

/** The live part of the metrics: per alias and per executed version (none without aliases). */
export function planSplitMetrics(name: string, aliases: readonly Alias[], period: Seconds): MetricQuery[] {
  const { byAlias, byVersion } = splitsFor(name, aliases);
  return [...byAlias, ...byVersion].flatMap((s) =>
    SPLIT.map((m) => ({
      key: `${s.key}|${m.id}`,
      metricName: m.metricName,
      stat: m.stat,
      dimensions: s.dimensions,
      period,
    })),
  );
}

export function assembleSplits(
  name: string,
  aliases: readonly Alias[],
  series: ReadonlyMap<string, MetricSeries>,
  bucket: RangeBucket,
): FunctionSplits {
  const prep = (key: string, kind: "count" | "gauge") =>
    prepareSeries({
      timestamps: series.get(key)?.timestamps ?? [],
      values: series.get(key)?.values ?? [],
      start: bucket.start,
      end: bucket.end,
      period: bucket.period,
      kind,
    });
  const split = (s: Split): SplitSeries => ({
    key: s.key,
    label: s.label,
    invocations: prep(`${s.key}|inv`, "count"),
    errors: prep(`${s.key}|err`, "count"),
    p99: prep(`${s.key}|p99`, "gauge"),
  });
  const { byAlias, byVersion } = splitsFor(name, aliases);
  return { byAlias: byAlias.map(split), byVersion: byVersion.map(split) };
}

/** Filter pattern keeping only the lines an invocation is rebuilt from (both log formats). */
const RECENT_PATTERN = {
  Text: anyTermPattern([
    "REPORT RequestId",
    "START RequestId",
    "Task timed out",
    "Runtime exited with error",
    "Runtime.OutOfMemory",
  ]),
  JSON: anyTermPattern([
    "platform.report",
    "platform.start",
    "platform.runtimeDone",
    "Task timed out",
    "Runtime.OutOfMemory",
  ]),
} as const;

const LOG_STEPS = new Set(["logs", "backfill-logs"]);

/** Whether a collector event is about `scope`: its own account-region, its whole account, or the whole collector. */
const concerns = (x: { account: string; region: string }, scope: Scope): boolean =>
  x.region === "*"
    ? x.account === scope.account || x.account === ""
    : x.account === scope.account && x.region === scope.region;

/**
 * The collector's newest failure reading the logs of `scope` (an error, or an Insights quota warning), in words;
 * never another account's failure in the same region.
 */
export async function lastLogsFailure(reader: StoreReader, scope: Scope): Promise<string | null> {
  const events = (await reader.telemetry.events?.(100)) ?? [];
  const e = events.find((x) => concerns(x, scope) && LOG_STEPS.has(x.source) && x.level !== "info");
  return e ? `${new Date(e.at).toISOString().slice(0, 16).replace("T", " ")} UTC: ${e.message}` : null;
}

/**
 * The logs panel with its evidence checked: a window the store covers none of has no numbers to show (its zeros
 * would be "no evidence", not "none happened"), so it fails with why; a partial one carries the last failure.
 */
export function withLogEvidence(logs: Omit<FunctionLogs, "failure">, failure: string | null): FunctionLogs {
  const cov = logs.coverage[0];
  if (logs.listed && cov !== undefined && cov.coveredMs === 0)
    throw new FleetscopeError(
      "Unavailable",
      failure !== null
        ? `no REPORT lines collected for this range; the collector's last logs read failed at ${failure}`
        : "no REPORT lines collected for this range yet (the collector reads each minute once it has closed)",
      { source: "logs" },
    );
  // Partial beyond the newest minutes, which no collector could have read yet.
  const partial = cov !== undefined && isPartial(cov, logs.status.now);
  return { ...logs, failure: partial ? failure : null };
}

export interface FunctionTelemetryInput {
  /** The account the function lives in: its ports for live reads, its id for the store and cache keys. */
  account: AccountTarget;
  region: string;
  name: string;
  config: Pick<FunctionConfig, "logGroup" | "logFormat">;
  aliases: readonly Alias[];
  bucket: RangeBucket;
  /** Where the view's AWS requests are counted (the page shares it with the function's detail). */
  meter?: RequestMeter;
  /** What the monthly cost needs beyond the telemetry: the configuration and provisioned concurrency. */
  pricing?: { config: CostConfig; provisioned?: Outcome<ProvisionedConcurrency[]> };
  /** The function's event source mappings (the triggers' live read), for their per-mapping counts. */
  mappings?: Promise<Outcome<EventSourceMapping[]>>;
}

export function startFunctionTelemetry(
  input: FunctionTelemetryInput,
  deps: TelemetryDeps = defaultTelemetryDeps(),
): FunctionTelemetry {
  const { config, aliases, bucket, account } = input;
  const region = parseRegion(input.region);
  const name = parseFunctionName(input.name);
  const fn: FunctionRef = { account: account.id, region, name };
  const scope: Scope = { account: account.id, region };
  const meter = input.meter ?? createMeter();
  const onRequest = (op: string) => meter.record(op);

  // Inside a promise: opening or reading the store may throw, and must settle like any source's failure.
  const ready = Promise.resolve().then(async () => {
    const reader = deps.store();
    return {
      reader,
      read: storeFunctionRead(reader, scope, { name, logGroup: config.logGroup }, bucket),
      stamp: await coverageSignature(reader, scope),
    };
  });
  const fromStore = <T extends { coverage: SourceCoverage[] }>(
    query: string,
    load: (read: FunctionStoreRead) => Promise<T>,
  ) =>
    settle(
      ready
        .then(({ read, stamp }) =>
          cachedForFunction(deps, fn, `store:${query}:${config.logGroup}|${stamp}`, bucket, () => load(read)),
        )
        // Freshness is stated against the clock of this view, not of the cached load.
        .then((v) => ({ ...v, status: { source: "store" as const, coverage: v.coverage, now: deps.now() } })),
    );

  const metrics = fromStore("function-metrics", (read) => read.metrics());
  const sources = fromStore("function-sources", (read) => read.sources());
  const mappingCounts = settle(
    input.mappings
      ? loadMappingMetrics({ account, region, name, mappings: input.mappings, bucket, onRequest }, deps)
      : Promise.resolve([]),
  );
  // The evidence check runs per view (not cached): the collector's failures are read as they are now.
  const logs: Promise<Outcome<FunctionLogs>> = Promise.all([
    fromStore("function-logs", (read) => read.logs()),
    // The collector's event log is only context for the reason: if it cannot be read, the reason says so.
    ready
      .then(({ reader }) => lastLogsFailure(reader, scope))
      .catch(
        (e: unknown) => `unknown (the collector's events could not be read: ${toOutcomeError(e).message})`,
      ),
  ]).then(([o, failure]) =>
    o.ok ? settle(Promise.resolve().then(() => withLogEvidence(o.value, failure))) : o,
  );

  const routing = aliases
    .map((a) => `${a.name}=${a.functionVersion}${a.routing ? `+${a.routing.additionalVersion}` : ""}`)
    .join(",");
  const plan = planSplitMetrics(name, aliases, bucket.period);
  const splits = settle(
    plan.length === 0
      ? Promise.resolve({ byAlias: [], byVersion: [] })
      : cachedForFunction(deps, fn, `telemetry:function-splits:${routing}`, bucket, async () =>
          assembleSplits(
            name,
            aliases,
            await deps
              .cloudwatch(region, account)
              .getMetricData(plan, seriesWindow(bucket), { onRequest: () => onRequest("GetMetricData") }),
            bucket,
          ),
        ),
  );

  const recent = settle(
    cachedForFunction(deps, fn, `telemetry:recent:${config.logGroup}`, bucket, async () => {
      const end = Math.min(bucket.end, deps.now());
      const window = { start: epochMs(Math.max(bucket.start, end - RECENT_WINDOW_MS)), end: epochMs(end) };
      const events = await deps.logs(region, account).filterLogEvents(config.logGroup, window, {
        filterPattern: RECENT_PATTERN[config.logFormat],
        maxEvents: 20_000,
        onRequest,
      });
      const { invocations } = assembleInvocations(events);
      return { window, invocations: invocations.slice(-RECENT_LIMIT).reverse() };
    }),
  );

  const cost = Promise.all([splits, recent, mappingCounts]).then(() => meter.cost());
  const pricing = input.pricing;
  const monthlyCost: Promise<Outcome<CostEstimate | null>> = Promise.all([metrics, logs]).then(([m, l]) =>
    !m.ok
      ? m
      : settle(
          Promise.resolve().then(() =>
            pricing
              ? functionMonthlyCost({ ...pricing, aliases, metrics: m.value, logs: l, now: deps.now() })
              : null,
          ),
        ),
  );
  return { bucket, metrics, splits, sources, mappingCounts, logs, recent, cost, monthlyCost };
}
