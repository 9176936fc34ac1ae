/**
 * The collector's rollups and its bookkeeping: metric rows per function, REPORT rows per log group, at each
 * resolution; the covered interval per account-region, source and resolution; what collecting cost; notable events.
 *
 * Invariants:
 * - Writes are upserts of whole rows: re-reading a minute (CloudWatch's settle window) replaces it, never adds.
 * - Coverage is one contiguous interval per (account, region, source, resolution); buckets inside it are complete, so a
 *   missing row inside it means "no datapoint" (counts 0, gauges absent), and outside it means "not collected".
 * - Histograms are stored in their compact text form (lib/core/rollup/histogram.ts `encode`).
 * - One put is one transaction (or part of the caller's fenced one), however many statements its rows take: a
 *   reader never sees half a minute. The SQL is the portable subset (lib/store/database.ts); where the engines
 *   differ (joining text, index hints, table sizes) the query branches on `db.dialect` and says why.
 */
import { sql, type Kysely } from "kysely";
import type { Scope } from "@/lib/core/accounts/scope";
import { decode, encode } from "@/lib/core/rollup/histogram";
import { REGION_ROW, type LogRollup, type MetricRollup, type Resolution } from "@/lib/core/rollup/types";
import type { Db, Tables } from "./database";

export type RollupSource = "metrics" | "logs";

export interface Coverage {
  from: number;
  to: number;
  updatedAt: number;
}

export interface CostRow {
  account: string;
  region: string;
  source: string;
  hour: number;
  requests: number;
  bytesScanned: number;
  minutes: number;
}

export interface CollectorEvent {
  at: number;
  /** '' for an event of no one account (the collector as a whole). */
  account: string;
  region: string;
  source: string;
  level: "info" | "warn" | "error";
  message: string;
}

export interface TelemetryStore {
  putMetrics(rows: readonly MetricRollup[]): Promise<void>;
  putLogs(rows: readonly LogRollup[]): Promise<void>;
  /** Rows of one resolution with t in [from, to), optionally of one function / log group. */
  metricRows(scope: Scope, res: Resolution, from: number, to: number, fn?: string): Promise<MetricRollup[]>;
  logRows(scope: Scope, res: Resolution, from: number, to: number, logGroup?: string): Promise<LogRollup[]>;
  /**
   * Reads for views, added up in SQL so a long range costs one pass over its rows and returns few: per function
   * (`metricTotals`) or log group (`logTotals`) the rows of one resolution with t in [from, to) added up (t =
   * from); per bucket of `step` ms, epoch-aligned, the whole region (`regionMetricBuckets`: counts and duration
   * moments of every function, concurrency from the REGION_ROW row; `regionLogBuckets`: every log group), with
   * key REGION_ROW. A key or bucket without rows is absent (no datapoint).
   */
  metricTotals(scope: Scope, res: Resolution, from: number, to: number): Promise<MetricRollup[]>;
  logTotals(scope: Scope, res: Resolution, from: number, to: number): Promise<LogRollup[]>;
  regionMetricBuckets(
    scope: Scope,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): Promise<MetricRollup[]>;
  regionLogBuckets(
    scope: Scope,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): Promise<LogRollup[]>;
  /** Like the region reads, for one function's metric rows (a function page: few rows per slot, by index). */
  functionMetricBuckets(
    scope: Scope,
    fn: string,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): Promise<MetricRollup[]>;
  /** Like the region reads, for one log group's rows. */
  logGroupBuckets(
    scope: Scope,
    logGroup: string,
    res: Resolution,
    from: number,
    to: number,
    step: number,
  ): Promise<LogRollup[]>;
  coverage(scope: Scope, source: RollupSource, res: Resolution): Promise<Coverage | null>;
  setCoverage(
    scope: Scope,
    source: RollupSource,
    res: Resolution,
    from: number,
    to: number,
    now: number,
  ): Promise<void>;
  /**
   * Widens coverage to include [from, to) in one statement, so two steps that finish in either order (the
   * forward step and the backfill run side by side) never undo each other's progress.
   */
  extendCoverage(
    scope: Scope,
    source: RollupSource,
    res: Resolution,
    from: number,
    to: number,
    now: number,
  ): Promise<void>;
  /** Deletes rows of `res` older than `before`, and moves that resolution's coverage start accordingly. */
  prune(res: Resolution, before: number): Promise<number>;
  addCost(
    scope: Scope,
    source: string,
    hour: number,
    cost: { requests: number; bytesScanned: number; minutes: number },
  ): Promise<void>;
  costs(since: number): Promise<CostRow[]>;
  addEvent(e: CollectorEvent): Promise<void>;
  events(limit: number): Promise<CollectorEvent[]>;
  /** Rows and approximate bytes per table and resolution, for the status page and the README's figures. */
  size(): Promise<{ table: string; res: number; rows: number; bytes: number | null }[]>;
}

interface MetricRow {
  account: string;
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
  account: string;
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
  account: r.account,
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
  account: r.account,
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

// Parameters bound per INSERT: far below either engine's limit (SQLite 32,766, PostgreSQL 65,535) because a
// few hundred rows a statement is the fastest on both: larger statements cost more to parse than the round
// trips they save (measured with test/bench store-rollups' writes at F = 5,000).
const MAX_PARAMETERS = 6_000;
const METRIC_COLUMNS = 24;
const LOG_COLUMNS = 19;

function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.floor(MAX_PARAMETERS / columns);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * One row per key, the last one given winning: what one-by-one INSERT OR REPLACE did, and what PostgreSQL needs
 * (one INSERT … ON CONFLICT DO UPDATE may not touch the same row twice).
 */
function lastPerKey<T>(rows: readonly T[], key: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) byKey.set(key(r), r);
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

/** `work` in one transaction, or in the caller's (a fenced write: Kysely transactions do not nest). */
function atomically<T>(db: Db, work: (k: Kysely<Tables>) => Promise<T>): Promise<T> {
  return db.kysely.isTransaction ? work(db.kysely) : db.kysely.transaction().execute(work);
}

// Sums of REAL columns; SUM of only NULLs is NULL (a moment nobody reported stays absent), MAX skips NULLs.
const METRIC_SUMS =
  sql.raw(`SUM(invocations) AS invocations, SUM(errors) AS errors, SUM(throttles) AS throttles,
  SUM(duration_sum) AS duration_sum, SUM(duration_count) AS duration_count, MAX(duration_max) AS duration_max,
  MAX(concurrency_max) AS concurrency_max, MAX(unreserved_max) AS unreserved_max,
  MAX(pc_executions_max) AS pc_executions_max, MAX(pc_utilization_max) AS pc_utilization_max,
  SUM(pc_spillover) AS pc_spillover, MAX(iterator_age_max) AS iterator_age_max,
  SUM(async_dropped) AS async_dropped, SUM(recursive_dropped) AS recursive_dropped,
  SUM(async_received) AS async_received, MAX(async_age_max) AS async_age_max,
  SUM(dead_letter_errors) AS dead_letter_errors, SUM(destination_failures) AS destination_failures,
  MAX(offset_lag_max) AS offset_lag_max`);

// Restores are NULL where not collected: one such row makes the sum NULL (a partial sum would read as whole).
// Histograms are added up by joining their text forms (`decode` adds up repeated keys); the aggregate that joins
// text is named differently by each engine (the one place these sums differ).
const logSums = (db: Db) =>
  sql.raw(`SUM(reports) AS reports, SUM(cold_starts) AS cold_starts, SUM(init_sum) AS init_sum,
  MAX(init_max) AS init_max, SUM(billed_sum) AS billed_sum, MAX(mem_max) AS mem_max, MAX(mem_size) AS mem_size,
  SUM(duration_sum) AS duration_sum, MAX(duration_max) AS duration_max, SUM(timeouts) AS timeouts,
  SUM(ooms) AS ooms,
  CASE WHEN COUNT(restores) = COUNT(*) THEN SUM(restores) END AS restores,
  CASE WHEN COUNT(restore_billed_sum) = COUNT(*) THEN SUM(restore_billed_sum) END AS restore_billed_sum,
  COALESCE(${db.dialect === "sqlite" ? "group_concat" : "string_agg"}(NULLIF(durations, ''), ','), '') AS durations`);

/**
 * SQLite only: these reads name the (account, region, key, res, t) index. Left to itself SQLite scans the primary
 * key's (account, region, res, t) range — every function's rows in the window — and filters the key (test/bench store-overview).
 * PostgreSQL's planner picks that index from its statistics, and has no INDEXED BY.
 */
const byKeyIndex = (db: Db, index: "metric_rollups_fn" | "log_rollups_group") =>
  sql.raw(db.dialect === "sqlite" ? `INDEXED BY ${index}` : "");

// The added-up reads select only the key or bucket and the sums: account, region and res are fixed by the WHERE
// clause (PostgreSQL refuses a column neither grouped nor aggregated), so they are filled in here.
type MetricSums = Omit<MetricRow, "account" | "region" | "res" | "t" | "fn">;
type LogSums = Omit<LogRow, "account" | "region" | "res" | "t" | "log_group">;

/** `account = … AND region = …`: every read names both, so each uses an index led by them. */
const inScope = (s: Scope) => sql`account = ${s.account} AND region = ${s.region}`;

export function createTelemetryStore(db: Db): TelemetryStore {
  const k = db.kysely;
  const LOG_SUMS = logSums(db);

  const insertMetrics = (q: Kysely<Tables>, rows: readonly MetricRollup[]) =>
    sql`INSERT INTO metric_rollups (account, region, res, t, fn, invocations, errors, throttles, duration_sum,
       duration_count, duration_max, concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max,
       pc_spillover, iterator_age_max, async_dropped, recursive_dropped, async_received, async_age_max,
       dead_letter_errors, destination_failures, offset_lag_max)
     VALUES ${sql.join(
       rows.map(
         (
           r,
         ) => sql`(${r.account}, ${r.region}, ${r.res}, ${r.t}, ${r.fn}, ${r.invocations}, ${r.errors}, ${r.throttles},
           ${r.durationSum}, ${r.durationCount}, ${r.durationMax}, ${r.concurrencyMax}, ${r.unreservedMax},
           ${r.pcExecutionsMax}, ${r.pcUtilizationMax}, ${r.pcSpillover}, ${r.iteratorAgeMax}, ${r.asyncDropped},
           ${r.recursiveDropped}, ${r.asyncReceived}, ${r.asyncAgeMax}, ${r.deadLetterErrors},
           ${r.destinationFailures}, ${r.offsetLagMax})`,
       ),
     )}
     ON CONFLICT (account, region, res, t, fn) DO UPDATE SET invocations = excluded.invocations, errors = excluded.errors,
       throttles = excluded.throttles, duration_sum = excluded.duration_sum,
       duration_count = excluded.duration_count, duration_max = excluded.duration_max,
       concurrency_max = excluded.concurrency_max, unreserved_max = excluded.unreserved_max,
       pc_executions_max = excluded.pc_executions_max, pc_utilization_max = excluded.pc_utilization_max,
       pc_spillover = excluded.pc_spillover, iterator_age_max = excluded.iterator_age_max,
       async_dropped = excluded.async_dropped, recursive_dropped = excluded.recursive_dropped,
       async_received = excluded.async_received, async_age_max = excluded.async_age_max,
       dead_letter_errors = excluded.dead_letter_errors, destination_failures = excluded.destination_failures,
       offset_lag_max = excluded.offset_lag_max`.execute(q);

  const insertLogs = (q: Kysely<Tables>, rows: readonly LogRollup[]) =>
    sql`INSERT INTO log_rollups (account, region, res, t, log_group, reports, cold_starts, init_sum, init_max, billed_sum,
       mem_max, mem_size, duration_sum, duration_max, timeouts, ooms, restores, restore_billed_sum, durations)
     VALUES ${sql.join(
       rows.map(
         (
           r,
         ) => sql`(${r.account}, ${r.region}, ${r.res}, ${r.t}, ${r.logGroup}, ${r.reports}, ${r.coldStarts}, ${r.initSumMs},
           ${r.initMaxMs}, ${r.billedSumMs}, ${r.maxMemoryUsedMb}, ${r.memorySizeMb}, ${r.durationSumMs},
           ${r.durationMaxMs}, ${r.timeouts}, ${r.ooms}, ${r.restores}, ${r.restoreBilledSumMs},
           ${encode(r.durations)})`,
       ),
     )}
     ON CONFLICT (account, region, res, t, log_group) DO UPDATE SET reports = excluded.reports,
       cold_starts = excluded.cold_starts, init_sum = excluded.init_sum, init_max = excluded.init_max,
       billed_sum = excluded.billed_sum, mem_max = excluded.mem_max, mem_size = excluded.mem_size,
       duration_sum = excluded.duration_sum, duration_max = excluded.duration_max, timeouts = excluded.timeouts,
       ooms = excluded.ooms, restores = excluded.restores, restore_billed_sum = excluded.restore_billed_sum,
       durations = excluded.durations`.execute(q);

  // Buckets of `step` ms, epoch-aligned; integer arithmetic on the BIGINT/INTEGER t is the same on both engines.
  const bucket = (step: number) => sql`t - (t % ${step})`;

  return {
    async putMetrics(rows) {
      const unique = lastPerKey(rows, (r) => `${r.account}\0${r.region}\0${r.res}\0${r.t}\0${r.fn}`);
      if (unique.length === 0) return;
      // All chunks in one transaction: a reader sees the whole minute or none of it.
      await atomically(db, async (q) => {
        for (const chunk of chunks(unique, METRIC_COLUMNS)) await insertMetrics(q, chunk);
      });
    },
    async putLogs(rows) {
      const unique = lastPerKey(rows, (r) => `${r.account}\0${r.region}\0${r.res}\0${r.t}\0${r.logGroup}`);
      if (unique.length === 0) return;
      await atomically(db, async (q) => {
        for (const chunk of chunks(unique, LOG_COLUMNS)) await insertLogs(q, chunk);
      });
    },
    async metricRows(scope, res, from, to, fn) {
      const { rows } = await (
        fn === undefined
          ? sql<MetricRow>`SELECT * FROM metric_rollups
            WHERE ${inScope(scope)} AND res = ${res} AND t >= ${from} AND t < ${to} ORDER BY t`
          : sql<MetricRow>`SELECT * FROM metric_rollups
            WHERE ${inScope(scope)} AND fn = ${fn} AND res = ${res} AND t >= ${from} AND t < ${to} ORDER BY t`
      ).execute(k);
      return rows.map(toMetric);
    },
    async logRows(scope, res, from, to, logGroup) {
      const { rows } = await (
        logGroup === undefined
          ? sql<LogRow>`SELECT * FROM log_rollups
            WHERE ${inScope(scope)} AND res = ${res} AND t >= ${from} AND t < ${to} ORDER BY t`
          : sql<LogRow>`SELECT * FROM log_rollups
            WHERE ${inScope(scope)} AND log_group = ${logGroup} AND res = ${res} AND t >= ${from} AND t < ${to}
            ORDER BY t`
      ).execute(k);
      return rows.map(toLog);
    },
    async metricTotals(scope, res, from, to) {
      const { rows } = await sql<MetricSums & { fn: string }>`
        SELECT fn, ${METRIC_SUMS} FROM metric_rollups
        WHERE ${inScope(scope)} AND res = ${res} AND t >= ${from} AND t < ${to} GROUP BY fn`.execute(k);
      return rows.map((r) => toMetric({ ...r, ...scope, res, t: from }));
    },
    async logTotals(scope, res, from, to) {
      const { rows } = await sql<LogSums & { log_group: string }>`
        SELECT log_group, ${LOG_SUMS} FROM log_rollups
        WHERE ${inScope(scope)} AND res = ${res} AND log_group <> '' AND t >= ${from} AND t < ${to}
        GROUP BY log_group`.execute(k);
      return rows.map((r) => toLog({ ...r, ...scope, res, t: from }));
    },
    // The region rows (fn = '', log_group = ''): the collector writes CloudWatch's region-wide series and the sum
    // of a minute's log groups, so a fleet chart reads a few rows per slot whatever the fleet's size.
    async regionMetricBuckets(scope, res, from, to, step) {
      const { rows } = await sql<MetricSums & { bucket: number }>`
        SELECT ${bucket(step)} AS bucket, ${METRIC_SUMS} FROM metric_rollups ${byKeyIndex(db, "metric_rollups_fn")}
        WHERE ${inScope(scope)} AND res = ${res} AND fn = ${REGION_ROW} AND t >= ${from} AND t < ${to}
        GROUP BY bucket ORDER BY bucket`.execute(k);
      return rows.map(({ bucket: t, ...r }) => toMetric({ ...r, ...scope, res, t, fn: REGION_ROW }));
    },
    async regionLogBuckets(scope, res, from, to, step) {
      const { rows } = await sql<LogSums & { bucket: number }>`
        SELECT ${bucket(step)} AS bucket, ${LOG_SUMS} FROM log_rollups ${byKeyIndex(db, "log_rollups_group")}
        WHERE ${inScope(scope)} AND res = ${res} AND log_group = ${REGION_ROW} AND t >= ${from} AND t < ${to}
        GROUP BY bucket ORDER BY bucket`.execute(k);
      return rows.map(({ bucket: t, ...r }) => toLog({ ...r, ...scope, res, t, log_group: REGION_ROW }));
    },
    // One key's rows by the (account, region, key, res, t) indexes.
    async functionMetricBuckets(scope, fn, res, from, to, step) {
      const { rows } = await sql<MetricSums & { bucket: number }>`
        SELECT ${bucket(step)} AS bucket, ${METRIC_SUMS} FROM metric_rollups ${byKeyIndex(db, "metric_rollups_fn")}
        WHERE ${inScope(scope)} AND fn = ${fn} AND res = ${res} AND t >= ${from} AND t < ${to}
        GROUP BY bucket ORDER BY bucket`.execute(k);
      return rows.map(({ bucket: t, ...r }) => toMetric({ ...r, ...scope, res, t, fn }));
    },
    async logGroupBuckets(scope, logGroup, res, from, to, step) {
      const { rows } = await sql<LogSums & { bucket: number }>`
        SELECT ${bucket(step)} AS bucket, ${LOG_SUMS} FROM log_rollups ${byKeyIndex(db, "log_rollups_group")}
        WHERE ${inScope(scope)} AND log_group = ${logGroup} AND res = ${res} AND t >= ${from} AND t < ${to}
        GROUP BY bucket ORDER BY bucket`.execute(k);
      return rows.map(({ bucket: t, ...r }) => toLog({ ...r, ...scope, res, t, log_group: logGroup }));
    },
    async coverage(scope, source, res) {
      const { rows } = await sql<{ from_ms: number; to_ms: number; updated_at: number }>`
        SELECT from_ms, to_ms, updated_at FROM rollup_coverage
        WHERE ${inScope(scope)} AND source = ${source} AND res = ${res}`.execute(k);
      const r = rows[0];
      return r ? { from: r.from_ms, to: r.to_ms, updatedAt: r.updated_at } : null;
    },
    async setCoverage(scope, source, res, from, to, now) {
      await sql`
        INSERT INTO rollup_coverage (account, region, source, res, from_ms, to_ms, updated_at)
        VALUES (${scope.account}, ${scope.region}, ${source}, ${res}, ${from}, ${to}, ${now})
        ON CONFLICT (account, region, source, res) DO UPDATE SET from_ms = excluded.from_ms, to_ms = excluded.to_ms,
          updated_at = excluded.updated_at`.execute(k);
    },
    async extendCoverage(scope, source, res, from, to, now) {
      // CASE, not the two-argument MIN/MAX only SQLite has; the stored row is named (PostgreSQL needs it).
      await sql`
        INSERT INTO rollup_coverage (account, region, source, res, from_ms, to_ms, updated_at)
        VALUES (${scope.account}, ${scope.region}, ${source}, ${res}, ${from}, ${to}, ${now})
        ON CONFLICT (account, region, source, res) DO UPDATE SET
          from_ms = CASE WHEN excluded.from_ms < rollup_coverage.from_ms
                         THEN excluded.from_ms ELSE rollup_coverage.from_ms END,
          to_ms = CASE WHEN excluded.to_ms > rollup_coverage.to_ms
                       THEN excluded.to_ms ELSE rollup_coverage.to_ms END,
          updated_at = excluded.updated_at`.execute(k);
    },
    prune: (res, before) =>
      atomically(db, async (q) => {
        const metrics = await sql`DELETE FROM metric_rollups WHERE res = ${res} AND t < ${before}`.execute(q);
        const logs = await sql`DELETE FROM log_rollups WHERE res = ${res} AND t < ${before}`.execute(q);
        // Coverage starts where the kept rows do (never past its end).
        await sql`
          UPDATE rollup_coverage SET from_ms = CASE WHEN to_ms < ${before} THEN to_ms ELSE ${before} END
          WHERE res = ${res} AND from_ms < ${before}`.execute(q);
        return Number(metrics.numAffectedRows ?? 0) + Number(logs.numAffectedRows ?? 0);
      }),
    async addCost(scope, source, hour, c) {
      await sql`
        INSERT INTO collector_costs (account, region, source, hour, requests, bytes_scanned, minutes)
        VALUES (${scope.account}, ${scope.region}, ${source}, ${hour}, ${c.requests}, ${c.bytesScanned},
          ${c.minutes})
        ON CONFLICT (account, region, source, hour) DO UPDATE SET
          requests = collector_costs.requests + excluded.requests,
          bytes_scanned = collector_costs.bytes_scanned + excluded.bytes_scanned,
          minutes = collector_costs.minutes + excluded.minutes`.execute(k);
    },
    async costs(since) {
      const { rows } = await sql<{
        account: string;
        region: string;
        source: string;
        hour: number;
        requests: number;
        bytes_scanned: number;
        minutes: number;
      }>`SELECT account, region, source, hour, requests, bytes_scanned, minutes FROM collector_costs
         WHERE hour >= ${since} ORDER BY hour`.execute(k);
      return rows.map((r) => ({
        account: r.account,
        region: r.region,
        source: r.source,
        hour: r.hour,
        requests: r.requests,
        bytesScanned: r.bytes_scanned,
        minutes: r.minutes,
      }));
    },
    async addEvent(e) {
      await sql`
        INSERT INTO collector_events (at, account, region, source, level, message)
        VALUES (${e.at}, ${e.account}, ${e.region}, ${e.source}, ${e.level}, ${e.message.slice(0, 2000)})`.execute(
        k,
      );
      await sql`
        DELETE FROM collector_events WHERE id <= (SELECT MAX(id) FROM collector_events) - 500`.execute(k);
    },
    async events(limit) {
      const { rows } = await sql<CollectorEvent>`
        SELECT at, account, region, source, level, message FROM collector_events ORDER BY id DESC LIMIT ${limit}`.execute(
        k,
      );
      return rows;
    },
    async size() {
      const { rows } = await sql<{ tbl: string; res: number; n: number }>`
        SELECT 'metric_rollups' AS tbl, res, COUNT(*) AS n FROM metric_rollups GROUP BY res
        UNION ALL SELECT 'log_rollups', res, COUNT(*) FROM log_rollups GROUP BY res`.execute(k);
      const tableBytes = await bytesPerTable(db);
      const total = new Map<string, number>();
      for (const r of rows) total.set(r.tbl, (total.get(r.tbl) ?? 0) + r.n);
      return rows.map((r) => {
        const bytes = tableBytes?.get(r.tbl);
        return {
          table: r.tbl,
          res: r.res,
          rows: r.n,
          // Bytes split across resolutions by row share: rows of one table are alike in size.
          bytes: bytes === undefined ? null : Math.round((bytes * r.n) / (total.get(r.tbl) ?? 1)),
        };
      });
    },
  };
}

/**
 * Bytes on disk per table, or null when the engine cannot say. The engines measure differently, so this branches:
 * SQLite's dbstat gives each b-tree's pages (a WITHOUT ROWID table is its primary key; the secondary index is
 * counted apart, not here); PostgreSQL's pg_total_relation_size gives the heap with its TOAST and every index.
 */
async function bytesPerTable(db: Db): Promise<Map<string, number> | null> {
  if (db.dialect === "postgres") {
    const { rows } = await sql<{ name: string; bytes: number }>`
      SELECT 'metric_rollups' AS name, pg_total_relation_size('metric_rollups') AS bytes
      UNION ALL SELECT 'log_rollups', pg_total_relation_size('log_rollups')`.execute(db.kysely);
    return new Map(rows.map((r) => [r.name, r.bytes]));
  }
  try {
    const { rows } = await sql<{ name: string; bytes: number }>`
      SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name`.execute(db.kysely);
    return new Map(rows.map((r) => [r.name, r.bytes]));
  } catch {
    return null; // SQLite built without DBSTAT: rows only.
  }
}
