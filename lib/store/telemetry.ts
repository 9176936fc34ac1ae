/**
 * The collector's rollups and its bookkeeping: metric rows per function, REPORT rows per log group, at each
 * resolution; the covered interval per region, source and resolution; what collecting cost; notable events.
 *
 * Invariants:
 * - Writes are upserts of whole rows: re-reading a minute (CloudWatch's settle window) replaces it, never adds.
 * - Coverage is one contiguous interval per (region, source, resolution); buckets inside it are complete, so a
 *   missing row inside it means "no datapoint" (counts 0, gauges absent), and outside it means "not collected".
 * - Histograms are stored in their compact text form (lib/core/rollup/histogram.ts `encode`).
 */
import { decode, encode } from "@/lib/core/rollup/histogram";
import type { LogRollup, MetricRollup, Resolution } from "@/lib/core/rollup/types";
import type { Db } from "./database";

export type RollupSource = "metrics" | "logs";

export interface Coverage {
  from: number;
  to: number;
  updatedAt: number;
}

export interface CostRow {
  region: string;
  source: string;
  hour: number;
  requests: number;
  bytesScanned: number;
  minutes: number;
}

export interface CollectorEvent {
  at: number;
  region: string;
  source: string;
  level: "info" | "warn" | "error";
  message: string;
}

export interface TelemetryStore {
  putMetrics(rows: readonly MetricRollup[]): void;
  putLogs(rows: readonly LogRollup[]): void;
  /** Rows of one resolution with t in [from, to), optionally of one function / log group. */
  metricRows(region: string, res: Resolution, from: number, to: number, fn?: string): MetricRollup[];
  logRows(region: string, res: Resolution, from: number, to: number, logGroup?: string): LogRollup[];
  /**
   * Reads for views, added up in SQL so a long range costs one pass over its rows and returns few: per function
   * (`metricTotals`) or log group (`logTotals`) the rows of one resolution with t in [from, to) added up (t =
   * from); per bucket of `step` ms, epoch-aligned, the whole region (`regionMetricBuckets`: counts and duration
   * moments of every function, concurrency from the REGION_ROW row; `regionLogBuckets`: every log group), with
   * key REGION_ROW. A key or bucket without rows is absent (no datapoint).
   */
  metricTotals(region: string, res: Resolution, from: number, to: number): MetricRollup[];
  logTotals(region: string, res: Resolution, from: number, to: number): LogRollup[];
  regionMetricBuckets(
    region: string,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): MetricRollup[];
  regionLogBuckets(region: string, res: Resolution, from: number, to: number, step: number): LogRollup[];
  /** Like the region reads, for one function's metric rows (a function page: few rows per slot, by index). */
  functionMetricBuckets(
    region: string,
    fn: string,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): MetricRollup[];
  /** Like the region reads, for one log group's rows. */
  logGroupBuckets(
    region: string,
    logGroup: string,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): LogRollup[];
  coverage(region: string, source: RollupSource, res: Resolution): Coverage | null;
  setCoverage(
    region: string,
    source: RollupSource,
    res: Resolution,
    from: number,
    to: number,
    now: number,
  ): void;
  /**
   * Widens coverage to include [from, to) in one statement, so two steps that finish in either order (the
   * forward step and the backfill run side by side) never undo each other's progress.
   */
  extendCoverage(
    region: string,
    source: RollupSource,
    res: Resolution,
    from: number,
    to: number,
    now: number,
  ): void;
  /** Deletes rows of `res` older than `before`, and moves that resolution's coverage start accordingly. */
  prune(res: Resolution, before: number): number;
  addCost(
    region: string,
    source: string,
    hour: number,
    cost: { requests: number; bytesScanned: number; minutes: number },
  ): void;
  costs(since: number): CostRow[];
  addEvent(e: CollectorEvent): void;
  events(limit: number): CollectorEvent[];
  /** Rows and approximate bytes per table and resolution, for the status page and the README's figures. */
  size(): { table: string; res: number; rows: number; bytes: number | null }[];
}

interface MetricRow {
  region: string;
  res: number;
  t: number;
  fn: string;
  invocations: number;
  errors: number;
  throttles: number;
  duration_sum: number | null;
  duration_count: number | null;
  duration_max: number | null;
  concurrency_max: number | null;
  unreserved_max: number | null;
  pc_executions_max: number | null;
  pc_utilization_max: number | null;
  pc_spillover: number;
  iterator_age_max: number | null;
  async_dropped: number;
  recursive_dropped: number;
  async_received: number | null;
  async_age_max: number | null;
  dead_letter_errors: number | null;
  destination_failures: number | null;
  offset_lag_max: number | null;
}

interface LogRow {
  region: string;
  res: number;
  t: number;
  log_group: string;
  reports: number;
  cold_starts: number;
  init_sum: number;
  init_max: number | null;
  billed_sum: number;
  mem_max: number | null;
  mem_size: number | null;
  duration_sum: number;
  duration_max: number | null;
  timeouts: number;
  ooms: number;
  restores: number | null;
  restore_billed_sum: number | null;
  durations: string;
}

const toMetric = (r: MetricRow): MetricRollup => ({
  region: r.region,
  res: r.res as Resolution,
  t: r.t,
  fn: r.fn,
  invocations: r.invocations,
  errors: r.errors,
  throttles: r.throttles,
  durationSum: r.duration_sum,
  durationCount: r.duration_count,
  durationMax: r.duration_max,
  concurrencyMax: r.concurrency_max,
  unreservedMax: r.unreserved_max,
  pcExecutionsMax: r.pc_executions_max,
  pcUtilizationMax: r.pc_utilization_max,
  pcSpillover: r.pc_spillover,
  iteratorAgeMax: r.iterator_age_max,
  asyncDropped: r.async_dropped,
  recursiveDropped: r.recursive_dropped,
  asyncReceived: r.async_received,
  asyncAgeMax: r.async_age_max,
  deadLetterErrors: r.dead_letter_errors,
  destinationFailures: r.destination_failures,
  offsetLagMax: r.offset_lag_max,
});

const toLog = (r: LogRow): LogRollup => ({
  region: r.region,
  res: r.res as Resolution,
  t: r.t,
  logGroup: r.log_group,
  reports: r.reports,
  coldStarts: r.cold_starts,
  initSumMs: r.init_sum,
  initMaxMs: r.init_max,
  billedSumMs: r.billed_sum,
  maxMemoryUsedMb: r.mem_max,
  memorySizeMb: r.mem_size,
  durationSumMs: r.duration_sum,
  durationMaxMs: r.duration_max,
  timeouts: r.timeouts,
  ooms: r.ooms,
  restores: r.restores,
  restoreBilledSumMs: r.restore_billed_sum,
  durations: decode(r.durations),
});

export function createTelemetryStore(db: Db): TelemetryStore {
  const upsertMetric = db.prepare(
    `INSERT OR REPLACE INTO metric_rollups (region, res, t, fn, invocations, errors, throttles, duration_sum,
       duration_count, duration_max, concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max,
       pc_spillover, iterator_age_max, async_dropped, recursive_dropped, async_received, async_age_max,
       dead_letter_errors, destination_failures, offset_lag_max)
     VALUES (@region, @res, @t, @fn, @invocations, @errors, @throttles, @durationSum, @durationCount, @durationMax,
       @concurrencyMax, @unreservedMax, @pcExecutionsMax, @pcUtilizationMax, @pcSpillover, @iteratorAgeMax,
       @asyncDropped, @recursiveDropped, @asyncReceived, @asyncAgeMax, @deadLetterErrors, @destinationFailures,
       @offsetLagMax)`,
  );
  const upsertLog = db.prepare(
    `INSERT OR REPLACE INTO log_rollups (region, res, t, log_group, reports, cold_starts, init_sum, init_max,
       billed_sum, mem_max, mem_size, duration_sum, duration_max, timeouts, ooms, restores, restore_billed_sum,
       durations)
     VALUES (@region, @res, @t, @logGroup, @reports, @coldStarts, @initSumMs, @initMaxMs, @billedSumMs,
       @maxMemoryUsedMb, @memorySizeMb, @durationSumMs, @durationMaxMs, @timeouts, @ooms, @restores,
       @restoreBilledSumMs, @durations)`,
  );
  const metricsIn = db.prepare(
    "SELECT * FROM metric_rollups WHERE region = ? AND res = ? AND t >= ? AND t < ? ORDER BY t",
  );
  const metricsOf = db.prepare(
    "SELECT * FROM metric_rollups WHERE region = ? AND fn = ? AND res = ? AND t >= ? AND t < ? ORDER BY t",
  );
  const logsIn = db.prepare(
    "SELECT * FROM log_rollups WHERE region = ? AND res = ? AND t >= ? AND t < ? ORDER BY t",
  );
  const logsOf = db.prepare(
    "SELECT * FROM log_rollups WHERE region = ? AND log_group = ? AND res = ? AND t >= ? AND t < ? ORDER BY t",
  );
  // Sums of REAL columns; SUM of only NULLs is NULL (a moment nobody reported stays absent), MAX skips NULLs.
  // Restores are NULL where not collected: one such row makes the sum NULL (a partial sum would read as whole).
  const metricSums = `SUM(invocations) AS invocations, SUM(errors) AS errors, SUM(throttles) AS throttles,
    SUM(duration_sum) AS duration_sum, SUM(duration_count) AS duration_count, MAX(duration_max) AS duration_max,
    MAX(concurrency_max) AS concurrency_max, MAX(unreserved_max) AS unreserved_max,
    MAX(pc_executions_max) AS pc_executions_max, MAX(pc_utilization_max) AS pc_utilization_max,
    SUM(pc_spillover) AS pc_spillover, MAX(iterator_age_max) AS iterator_age_max,
    SUM(async_dropped) AS async_dropped, SUM(recursive_dropped) AS recursive_dropped,
    SUM(async_received) AS async_received, MAX(async_age_max) AS async_age_max,
    SUM(dead_letter_errors) AS dead_letter_errors, SUM(destination_failures) AS destination_failures,
    MAX(offset_lag_max) AS offset_lag_max`;
  const logSums = `SUM(reports) AS reports, SUM(cold_starts) AS cold_starts, SUM(init_sum) AS init_sum,
    MAX(init_max) AS init_max, SUM(billed_sum) AS billed_sum, MAX(mem_max) AS mem_max, MAX(mem_size) AS mem_size,
    SUM(duration_sum) AS duration_sum, MAX(duration_max) AS duration_max, SUM(timeouts) AS timeouts,
    SUM(ooms) AS ooms,
    CASE WHEN COUNT(restores) = COUNT(*) THEN SUM(restores) END AS restores,
    CASE WHEN COUNT(restore_billed_sum) = COUNT(*) THEN SUM(restore_billed_sum) END AS restore_billed_sum,
    COALESCE(group_concat(NULLIF(durations, ''), ','), '') AS durations`;
  const metricTotalsIn = db.prepare(
    `SELECT region, res, ? AS t, fn, ${metricSums} FROM metric_rollups
     WHERE region = ? AND res = ? AND t >= ? AND t < ? GROUP BY fn`,
  );
  const logTotalsIn = db.prepare(
    `SELECT region, res, ? AS t, log_group, ${logSums} FROM log_rollups
     WHERE region = ? AND res = ? AND log_group <> '' AND t >= ? AND t < ? GROUP BY log_group`,
  );
  // The region rows (fn = '', log_group = ''): the collector writes CloudWatch's region-wide series and the sum of a
  // minute's log groups, so a fleet chart reads a few rows per slot whatever the fleet's size. These and the
  // one-key reads below name the (region, key, res, t) index: left to itself SQLite scans the primary key's
  // (region, res, t) range — every function's rows in the window — and filters the key (test/bench store-overview).
  const regionMetricBucketsIn = db.prepare(
    `SELECT region, res, t - (t % @step) AS bucket, '' AS fn, ${metricSums} FROM metric_rollups
     INDEXED BY metric_rollups_fn WHERE region = @region AND res = @res AND fn = '' AND t >= @from AND t < @to GROUP BY bucket ORDER BY bucket`,
  );
  const regionLogBucketsIn = db.prepare(
    `SELECT region, res, t - (t % @step) AS bucket, '' AS log_group, ${logSums} FROM log_rollups
     INDEXED BY log_rollups_group WHERE region = @region AND res = @res AND log_group = '' AND t >= @from AND t < @to
     GROUP BY bucket ORDER BY bucket`,
  );
  // One key's rows by the (region, key, res, t) indexes.
  const functionMetricBucketsIn = db.prepare(
    `SELECT region, res, t - (t % @step) AS bucket, fn, ${metricSums} FROM metric_rollups
     INDEXED BY metric_rollups_fn WHERE region = @region AND fn = @fn AND res = @res AND t >= @from AND t < @to GROUP BY bucket ORDER BY bucket`,
  );
  const logGroupBucketsIn = db.prepare(
    `SELECT region, res, t - (t % @step) AS bucket, log_group, ${logSums} FROM log_rollups
     INDEXED BY log_rollups_group WHERE region = @region AND log_group = @logGroup AND res = @res AND t >= @from AND t < @to
     GROUP BY bucket ORDER BY bucket`,
  );
  const getCoverage = db.prepare(
    "SELECT from_ms, to_ms, updated_at FROM rollup_coverage WHERE region = ? AND source = ? AND res = ?",
  );
  const putCoverage = db.prepare(
    `INSERT INTO rollup_coverage (region, source, res, from_ms, to_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (region, source, res) DO UPDATE SET from_ms = excluded.from_ms, to_ms = excluded.to_ms,
       updated_at = excluded.updated_at`,
  );
  const widenCoverage = db.prepare(
    `INSERT INTO rollup_coverage (region, source, res, from_ms, to_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (region, source, res) DO UPDATE SET from_ms = MIN(from_ms, excluded.from_ms),
       to_ms = MAX(to_ms, excluded.to_ms), updated_at = excluded.updated_at`,
  );
  const pruneMetrics = db.prepare("DELETE FROM metric_rollups WHERE res = ? AND t < ?");
  const pruneLogs = db.prepare("DELETE FROM log_rollups WHERE res = ? AND t < ?");
  const pruneCoverage = db.prepare(
    "UPDATE rollup_coverage SET from_ms = MIN(to_ms, ?) WHERE res = ? AND from_ms < ?",
  );
  const addCost = db.prepare(
    `INSERT INTO collector_costs (region, source, hour, requests, bytes_scanned, minutes) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (region, source, hour) DO UPDATE SET requests = requests + excluded.requests,
       bytes_scanned = bytes_scanned + excluded.bytes_scanned, minutes = minutes + excluded.minutes`,
  );
  const costsSince = db.prepare("SELECT * FROM collector_costs WHERE hour >= ? ORDER BY hour");
  const addEvent = db.prepare(
    "INSERT INTO collector_events (at, region, source, level, message) VALUES (?, ?, ?, ?, ?)",
  );
  const trimEvents = db.prepare(
    "DELETE FROM collector_events WHERE id <= (SELECT MAX(id) FROM collector_events) - 500",
  );
  const recentEvents = db.prepare(
    "SELECT at, region, source, level, message FROM collector_events ORDER BY id DESC LIMIT ?",
  );
  const counts = db.prepare(
    `SELECT 'metric_rollups' AS tbl, res, COUNT(*) AS n FROM metric_rollups GROUP BY res
     UNION ALL SELECT 'log_rollups', res, COUNT(*) FROM log_rollups GROUP BY res`,
  );

  const putMetrics = db.transaction((rows: readonly MetricRollup[]) => {
    for (const r of rows) upsertMetric.run(r);
  });
  const putLogs = db.transaction((rows: readonly LogRollup[]) => {
    for (const r of rows) upsertLog.run({ ...r, durations: encode(r.durations) });
  });
  const prune = db.transaction((res: Resolution, before: number) => {
    const n = pruneMetrics.run(res, before).changes + pruneLogs.run(res, before).changes;
    pruneCoverage.run(before, res, before);
    return n;
  });

  return {
    putMetrics: (rows) => putMetrics(rows),
    putLogs: (rows) => putLogs(rows),
    metricRows: (region, res, from, to, fn) =>
      (
        (fn === undefined
          ? metricsIn.all(region, res, from, to)
          : metricsOf.all(region, fn, res, from, to)) as MetricRow[]
      ).map(toMetric),
    logRows: (region, res, from, to, logGroup) =>
      (
        (logGroup === undefined
          ? logsIn.all(region, res, from, to)
          : logsOf.all(region, logGroup, res, from, to)) as LogRow[]
      ).map(toLog),
    metricTotals: (region, res, from, to) =>
      (metricTotalsIn.all(from, region, res, from, to) as MetricRow[]).map(toMetric),
    logTotals: (region, res, from, to) =>
      (logTotalsIn.all(from, region, res, from, to) as LogRow[]).map(toLog),
    regionMetricBuckets: (region, res, from, to, step) =>
      (
        regionMetricBucketsIn.all({ region, res, from, to, step }) as (Omit<MetricRow, "t"> & {
          bucket: number;
        })[]
      ).map((r) => toMetric({ ...r, t: r.bucket })),
    regionLogBuckets: (region, res, from, to, step) =>
      (
        regionLogBucketsIn.all({ region, res, from, to, step }) as (Omit<LogRow, "t"> & { bucket: number })[]
      ).map((r) => toLog({ ...r, t: r.bucket })),
    functionMetricBuckets: (region, fn, res, from, to, step) =>
      (
        functionMetricBucketsIn.all({ region, fn, res, from, to, step }) as (Omit<MetricRow, "t"> & {
          bucket: number;
        })[]
      ).map((r) => toMetric({ ...r, t: r.bucket })),
    logGroupBuckets: (region, logGroup, res, from, to, step) =>
      (
        logGroupBucketsIn.all({ region, logGroup, res, from, to, step }) as (Omit<LogRow, "t"> & {
          bucket: number;
        })[]
      ).map((r) => toLog({ ...r, t: r.bucket })),
    coverage(region, source, res) {
      const r = getCoverage.get(region, source, res) as
        { from_ms: number; to_ms: number; updated_at: number } | undefined;
      return r ? { from: r.from_ms, to: r.to_ms, updatedAt: r.updated_at } : null;
    },
    setCoverage: (region, source, res, from, to, now) =>
      void putCoverage.run(region, source, res, from, to, now),
    extendCoverage: (region, source, res, from, to, now) =>
      void widenCoverage.run(region, source, res, from, to, now),
    prune: (res, before) => prune(res, before),
    addCost: (region, source, hour, c) =>
      void addCost.run(region, source, hour, c.requests, c.bytesScanned, c.minutes),
    costs: (since) =>
      (
        costsSince.all(since) as {
          region: string;
          source: string;
          hour: number;
          requests: number;
          bytes_scanned: number;
          minutes: number;
        }[]
      ).map((r) => ({
        region: r.region,
        source: r.source,
        hour: r.hour,
        requests: r.requests,
        bytesScanned: r.bytes_scanned,
        minutes: r.minutes,
      })),
    addEvent(e) {
      addEvent.run(e.at, e.region, e.source, e.level, e.message.slice(0, 2000));
      trimEvents.run();
    },
    events: (limit) => recentEvents.all(limit) as CollectorEvent[],
    size() {
      let dbstat: Map<string, number> | null = null;
      try {
        const rows = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() as {
          name: string;
          bytes: number;
        }[];
        dbstat = new Map(rows.map((r) => [r.name, r.bytes]));
      } catch {
        dbstat = null; // SQLite built without DBSTAT: rows only.
      }
      const rows = counts.all() as { tbl: string; res: number; n: number }[];
      const total = new Map<string, number>();
      for (const r of rows) total.set(r.tbl, (total.get(r.tbl) ?? 0) + r.n);
      return rows.map((r) => {
        const tableBytes = dbstat?.get(r.tbl);
        return {
          table: r.tbl,
          res: r.res,
          rows: r.n,
          // Bytes split across resolutions by row share: rows of one table are alike in size.
          bytes: tableBytes === undefined ? null : Math.round((tableBytes * r.n) / (total.get(r.tbl) ?? 1)),
        };
      });
    },
  };
}
