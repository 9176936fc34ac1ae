/**
 * One function's telemetry read from the store the collector fills (issue 10): its metric rows (counts,
 * concurrency) and its log group's REPORT rollups (cold starts, init, memory, billed duration, timeouts, OOM
 * kills, duration histograms), shaped for the function page. Costs AWS nothing. Per-alias and per-version
 * series are not collected; function.ts reads those live.
 *
 * Invariants:
 * - The same tiling as the overview (store-source.ts): whole-range figures add up the tiling of the window at
 *   every tier, each row read once; series slots (the bucket's period) come from the tiers dividing it, and a
 *   slot the store does not cover whole is a gap (null), never 0.
 * - Totals are sums over the covered part of the window, and the coverage returned is that same tiling's, so a
 *   partial total is always shown with how much it covers.
 * - Percentiles come from the merged histograms of the function's log group (relative error RELATIVE_ERROR),
 *   never averaged. A group several functions share cannot be split per function: it gives no percentile
 *   series, and its REPORT figures are the whole group's (`sharedWith` names the other functions).
 * - A function the collector has not listed yet has no rows although its region is covered (the collector did
 *   not ask about it): `listed` is false and the page says so instead of showing zeros.
 * - Event-source and async metrics are charted only where the function published them in the window (a value
 *   in its whole-range total), so a function without a stream or async source shows why, not a zero line.
 * - Reads are promises: a read two panels share is kept as one promise (read once), and reads that do not
 *   depend on each other are issued side by side.
 */
import "server-only";
import { coldStartKinds, type ColdStartKinds } from "@/lib/core/charts/cold-start-kinds";
import { errorRateSeries, prepareSeries, ratioSeries, type SeriesPoint } from "@/lib/core/charts/series";
import { prepareSourceCharts, type SourceChart } from "@/lib/core/charts/source-charts";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import { quantiles } from "@/lib/core/rollup/histogram";
import type { Interval, TilePiece } from "@/lib/core/rollup/tiling";
import {
  addLog,
  addMetric,
  emptyLog,
  emptyMetric,
  type LogRollup,
  type MetricRollup,
} from "@/lib/core/rollup/types";
import type { Scope } from "@/lib/core/accounts/scope";
import type { RangeBucket } from "@/lib/core/time/bucket";
import { mb, ms, seconds, type Mb, type Ms, type Seconds } from "@/lib/core/units";
import {
  addUp,
  coverageOf,
  readSource,
  seriesOf,
  wholeSlots,
  type SourceRead,
  type StoreReader,
} from "./store-source";

export interface StoreFunctionMetrics {
  invocations: SeriesPoint[];
  errors: SeriesPoint[];
  errorRate: SeriesPoint[];
  throttles: SeriesPoint[];
  concurrency: SeriesPoint[];
  p50: SeriesPoint[];
  p90: SeriesPoint[];
  p99: SeriesPoint[];
  /** Sums over the covered part of the window (`coverage[0]` says how much). */
  totals: { invocations: number; errors: number; throttles: number };
  /**
   * What pricing reads over the same part: the Duration metric's average, and the provisioned-concurrency
   * spillover (null where no provisioned-concurrency metric was published: idle, or none configured).
   */
  usage: { avgDuration: Ms | null; pcSpillover: number | null };
  listed: boolean;
  /** Other functions logging to the same group: no per-function percentiles then. */
  sharedWith: string[];
  /** Metrics, then (when percentiles are read) logs. */
  coverage: SourceCoverage[];
}

export interface FunctionLogStats {
  invocations: number;
  coldStarts: number;
  avgInit: Ms | null;
  /** The rollups keep the largest init, not an init histogram: no init percentile. */
  maxInit: Ms | null;
  p50Duration: Ms | null;
  p99Duration: Ms | null;
  /** The longest REPORT duration (exact, not from the histogram). */
  maxDuration: Ms | null;
  billedSum: Ms;
  maxMemoryUsed: Mb | null;
  memorySize: Mb | null;
  timeouts: number;
  ooms: number;
  /** SnapStart restores and their Billed Restore Duration; null when some of the window was not collected for them. */
  restores: { count: number; billedSum: Ms } | null;
}

export interface StoreFunctionLogs {
  stats: FunctionLogStats;
  bin: Seconds;
  coldStarts: SeriesPoint[];
  coldStartRate: SeriesPoint[];
  /** The cold-start rate split into INIT and SnapStart restore (lib/core/charts/cold-start-kinds.ts). */
  coldStartKinds: ColdStartKinds;
  avgInit: SeriesPoint[];
  logGroup: string;
  listed: boolean;
  sharedWith: string[];
  coverage: SourceCoverage[];
}

/** Stream, async and recursion metrics (lib/core/charts/source-charts.ts), from the same metric rows. */
export interface StoreFunctionSources {
  charts: SourceChart[];
  listed: boolean;
  coverage: SourceCoverage[];
}

export interface FunctionStoreRead {
  metrics(): Promise<StoreFunctionMetrics>;
  logs(): Promise<StoreFunctionLogs>;
  sources(): Promise<StoreFunctionSources>;
}

interface Listing {
  listed: boolean;
  sharedWith: string[];
}

/**
 * Whether the collector knows the function, and who else logs to its group (from the stored inventory of the
 * function's own account-region: a log group is an account's, so another account's same-named group is not shared).
 */
async function listingOf(
  reader: StoreReader,
  scope: Scope,
  name: string,
  logGroup: string,
): Promise<Listing> {
  const functions = await reader.inventory.functions(scope);
  return {
    listed: functions.some((f) => f.config.name === name),
    sharedWith: functions
      .filter((f) => f.config.logGroup === logGroup && f.config.name !== name)
      .map((f) => f.config.name),
  };
}

/**
 * A tiling's rows added up into one. Each piece is read with a step as long as itself, so SQL adds up its rows
 * into one bucket (two at most: buckets are epoch-aligned).
 */
async function total<T>(
  pieces: TilePiece[],
  read: (p: TilePiece) => Promise<readonly T[]>,
  add: (a: T, b: T) => T,
): Promise<T | null> {
  return (await addUp(pieces, read, () => 0, add)).get(0) ?? null;
}

/** One function's reads, all in its own account-region (`scope`): rows of another account never mix in. */
export function storeFunctionRead(
  reader: StoreReader,
  scope: Scope,
  fn: { name: string; logGroup: string },
  bucket: RangeBucket,
): FunctionStoreRead {
  const store = reader.telemetry;
  const step = bucket.period * 1000;
  // Read when a panel is computed, not when a cached one is served.
  let listing: Promise<Listing> | undefined;
  const readListing = () => (listing ??= listingOf(reader, scope, fn.name, fn.logGroup));
  /** Series preparation for a function the collector has (`listed`) or has not listed. */
  const preparer =
    (listed: boolean) =>
    (
      s: { timestamps: readonly number[]; values: readonly number[] },
      kind: "count" | "gauge",
      covered: readonly Interval[],
    ) =>
      prepareSeries({
        timestamps: s.timestamps,
        values: s.values,
        start: bucket.start,
        end: bucket.end,
        period: bucket.period,
        kind,
        // Not listed: nothing was collected for it, whatever the region's coverage says.
        covered: listed ? covered : [],
      });

  let logs: Promise<{ read: SourceRead; slots: LogRollup[] }> | undefined;
  /** The log group per slot of the period, covered slots only; shared by both panels (percentiles). */
  const logsRead = () =>
    (logs ??= readSource(reader, scope, "logs", bucket).then(async (read) => {
      const slots = await addUp(
        read.series.pieces,
        (p) => store.logGroupBuckets(scope, fn.logGroup, p.res, p.from, p.to, step),
        (r) => r.t,
        addLog,
      );
      return { read, slots: wholeSlots(slots, read.seriesCovered, step, bucket) };
    }));

  let metricRows: Promise<{ read: SourceRead; slots: MetricRollup[]; sum: MetricRollup }> | undefined;
  /** The function's metric rows per slot (covered slots only) and over the whole window; shared by both panels. */
  const metricsRead = () =>
    (metricRows ??= readSource(reader, scope, "metrics", bucket).then(async (read) => {
      const [slots, sum] = await Promise.all([
        addUp(
          read.series.pieces,
          (p) => store.functionMetricBuckets(scope, fn.name, p.res, p.from, p.to, step),
          (r) => r.t,
          addMetric,
        ),
        total(
          read.totals.pieces,
          (p) => store.functionMetricBuckets(scope, fn.name, p.res, p.from, p.to, p.to - p.from),
          addMetric,
        ),
      ]);
      return {
        read,
        slots: wholeSlots(slots, read.seriesCovered, step, bucket),
        sum: sum ?? emptyMetric(scope, fn.name, 60, bucket.start),
      };
    }));

  return {
    async metrics() {
      const [{ read, slots, sum }, { listed, sharedWith }] = await Promise.all([
        metricsRead(),
        readListing(),
      ]);
      const prep = preparer(listed);
      const count = (pick: (r: MetricRollup) => number | null) =>
        prep(seriesOf(slots, pick), "count", read.seriesCovered);
      const invocations = count((r) => r.invocations);
      const errors = count((r) => r.errors);

      // A shared group's histogram mixes several functions: no percentile is this function's.
      const own = sharedWith.length === 0;
      const l = own ? await logsRead() : null;
      const pct = (l?.slots ?? []).map((r) => ({ t: r.t, q: quantiles(r.durations, [0.5, 0.9, 0.99]) }));
      const percentile = (i: number) =>
        prep(
          seriesOf(pct, (r) => r.q[i] ?? null),
          "gauge",
          l?.read.seriesCovered ?? [],
        );

      return {
        invocations,
        errors,
        errorRate: errorRateSeries(errors, invocations),
        throttles: count((r) => r.throttles),
        concurrency: prep(
          seriesOf(slots, (r) => r.concurrencyMax),
          "gauge",
          read.seriesCovered,
        ),
        p50: percentile(0),
        p90: percentile(1),
        p99: percentile(2),
        totals: listed
          ? { invocations: sum.invocations, errors: sum.errors, throttles: sum.throttles }
          : { invocations: 0, errors: 0, throttles: 0 },
        usage: {
          avgDuration: listed && sum.durationCount ? ms((sum.durationSum ?? 0) / sum.durationCount) : null,
          pcSpillover:
            !listed || (sum.pcExecutionsMax === null && sum.pcUtilizationMax === null)
              ? null
              : sum.pcSpillover,
        },
        listed,
        sharedWith,
        coverage: [
          coverageOf(scope, "metrics", bucket, read),
          ...(l ? [coverageOf(scope, "logs", bucket, l.read)] : []),
        ],
      };
    },

    async sources() {
      const [{ read, slots, sum }, { listed }] = await Promise.all([metricsRead(), readListing()]);
      const prep = preparer(listed);
      const series = (
        pick: (r: MetricRollup) => number | null,
        kind: "count" | "gauge",
        wasRead: boolean,
      ) => ({
        points: prep(seriesOf(slots, pick), kind, read.seriesCovered),
        read: listed && wasRead,
      });
      return {
        charts: prepareSourceCharts({
          IteratorAge: series((r) => r.iteratorAgeMax, "gauge", sum.iteratorAgeMax !== null),
          OffsetLag: series((r) => r.offsetLagMax, "gauge", sum.offsetLagMax !== null),
          AsyncEventsReceived: series((r) => r.asyncReceived, "count", sum.asyncReceived !== null),
          // Stored as 0 where not read: only a drop tells it was published (or AsyncEventsReceived, see core).
          AsyncEventsDropped: series((r) => r.asyncDropped, "count", sum.asyncDropped > 0),
          AsyncEventAge: series((r) => r.asyncAgeMax, "gauge", sum.asyncAgeMax !== null),
          DeadLetterErrors: series((r) => r.deadLetterErrors, "count", sum.deadLetterErrors !== null),
          DestinationDeliveryFailures: series(
            (r) => r.destinationFailures,
            "count",
            sum.destinationFailures !== null,
          ),
          RecursiveInvocationsDropped: series((r) => r.recursiveDropped, "count", sum.recursiveDropped > 0),
        }),
        listed,
        coverage: [coverageOf(scope, "metrics", bucket, read)],
      };
    },

    async logs() {
      const [{ read, slots }, scoped] = await Promise.all([logsRead(), readListing()]);
      const prep = preparer(scoped.listed);
      const g =
        (await total(
          read.totals.pieces,
          (p) => store.logGroupBuckets(scope, fn.logGroup, p.res, p.from, p.to, p.to - p.from),
          addLog,
        )) ?? emptyLog(scope, fn.logGroup, 60, bucket.start);
      const count = (pick: (r: LogRollup) => number) =>
        prep(seriesOf(slots, pick), "count", read.seriesCovered);
      const reports = count((r) => r.reports);
      const cold = count((r) => r.coldStarts);
      const [p50, p99] = quantiles(g.durations, [0.5, 0.99]);
      return {
        stats: {
          invocations: g.reports,
          coldStarts: g.coldStarts,
          avgInit: g.coldStarts > 0 ? ms(g.initSumMs / g.coldStarts) : null,
          maxInit: g.initMaxMs === null ? null : ms(g.initMaxMs),
          p50Duration: p50 == null ? null : ms(p50),
          p99Duration: p99 == null ? null : ms(p99),
          maxDuration: g.durationMaxMs === null ? null : ms(g.durationMaxMs),
          billedSum: ms(g.billedSumMs),
          maxMemoryUsed: g.maxMemoryUsedMb === null ? null : mb(g.maxMemoryUsedMb),
          memorySize: g.memorySizeMb === null ? null : mb(g.memorySizeMb),
          timeouts: g.timeouts,
          ooms: g.ooms,
          restores:
            g.restores === null || g.restoreBilledSumMs === null
              ? null
              : { count: g.restores, billedSum: ms(g.restoreBilledSumMs) },
        },
        bin: seconds(bucket.period),
        coldStarts: cold,
        coldStartRate: ratioSeries(cold, reports),
        coldStartKinds: coldStartKinds({
          inits: cold,
          // A gauge: a slot whose restores were not collected (null) stays a gap, never 0.
          restores: prep(
            seriesOf(slots, (r) => r.restores),
            "gauge",
            read.seriesCovered,
          ),
          reports,
        }),
        avgInit: ratioSeries(
          count((r) => r.initSumMs),
          cold,
        ),
        logGroup: fn.logGroup,
        ...scoped,
        coverage: [coverageOf(scope, "logs", bucket, read)],
      };
    },
  };
}
