/**
 * A store filled with synthetic rollups shaped as the collector writes them (lib/store/telemetry.ts), for the
 * store-backed view benchmarks: for every function a metric row and a log row in every bucket of every tier
 * (the sandbox's fleets invoke every function every minute), the region rows (fn = "" / log_group = ""), and each
 * tier's coverage as the collector would leave it at `now`.
 *
 * What is synthetic, and why it does not change what a view reads:
 * - Depth: 1-minute rows for the last `minuteHours` only (default 48 h, not 15 days), 5-minute rows for
 *   `fiveMinuteDays` (default 8, not 63), hourly and coarser rows for `hourDays` (default 32). A 7- or 30-day view
 *   tiles its window coarsest-first (lib/core/rollup/tiling.ts), so it reads 1-minute rows only at its newest edge
 *   and 5-minute rows only at its edges and (7 d) in the fleet series; older fine rows would only deepen the B-trees.
 * - Values: per function a daily traffic shape (its sandbox peak rate and dip), a log-normal duration (its sandbox
 *   median and sigma), ~1 % cold starts; the tiers are generated independently (each is shaped like the sum of its
 *   finer buckets, but not their exact sum). Histograms are the expected counts of each function's duration
 *   distribution in GAMMA-spaced buckets, stochastically rounded (8 variants per function and tier, rotated), so a
 *   1-minute row holds a handful of buckets and an hourly or daily one the whole spread, as real ones do.
 * - Rows are inserted with SQLite's SQL (INSERT … SELECT), not through putMetrics/putLogs, so 10⁷ rows take
 *   minutes, not an hour; the table layout is the store's own (its migrations). Benchmarks that write through the
 *   store build their rows with `syntheticBucket` instead (same shapes, in JS).
 * A filled file is kept in the OS temp directory and reused by later runs with the same parameters.
 */
import type { AccountId } from "@/lib/core/accounts/account-id";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { bucketLow, bucketOf, encode, GAMMA, type Histogram } from "@/lib/core/rollup/histogram";
import {
  addLog,
  addMetric,
  bucketStart,
  emptyLog,
  emptyMetric,
  REGION_ROW,
  RESOLUTIONS,
  type LogRollup,
  type MetricRollup,
  type Resolution,
} from "@/lib/core/rollup/types";
import type { SimFunction } from "@fleetscope/sandbox";
import Database from "better-sqlite3";
import { migrateSqlite, openDatabase, type Db } from "@/lib/store/database";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bump when the generated rows change, so a cached file is not reused. */
const GENERATOR_VERSION = 4;
const VARIANTS = 8;

/** The account every synthetic row belongs to (read the store with { account: SYNTHETIC_ACCOUNT, region }). */
export const SYNTHETIC_ACCOUNT = "123456789012" as AccountId;

export interface SyntheticFunction {
  name: string;
  logGroup: string;
  peakPerMinute: number;
  dailyDip: number;
  /** UTC hour of the daily peak. */
  peakHour: number;
  durationMedianMs: number;
  durationSigma: number;
  errorRate: number;
  memoryUsedMb: number;
  memorySizeMb: number;
  initMs: number;
}

export function syntheticFunctions(fns: Iterable<SimFunction>): SyntheticFunction[] {
  return [...fns]
    .map((f, i) => {
      const b = f.latest.behaviour;
      return {
        name: f.name,
        logGroup: f.logGroup,
        peakPerMinute: f.traffic.peakPerMinute,
        dailyDip: f.traffic.dailyDip,
        peakHour: 12 + (i % 9),
        durationMedianMs: b.durationMedianMs,
        durationSigma: b.durationSigma,
        errorRate: b.errorRate,
        memoryUsedMb: b.memoryUsedMedianMb,
        memorySizeMb: f.latest.memorySize,
        initMs: b.initDurationMs,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface Layout {
  /** The collector's clock when it wrote the newest rows. */
  now: number;
  minuteHours: number;
  fiveMinuteDays: number;
  hourDays: number;
}

export const DEFAULT_LAYOUT = { minuteHours: 48, fiveMinuteDays: 8, hourDays: 32 } as const;

interface Tier {
  res: Resolution;
  from: number;
  to: number;
}

/** Each tier's covered interval per source, as the collector leaves it at `now` (region.ts lags and settle). */
export function tiersAt(layout: Layout, source: "metrics" | "logs"): Tier[] {
  const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
  const m60 = floorMinute(layout.now - (source === "metrics" ? MINUTE : 2 * MINUTE));
  const stable = source === "metrics" ? m60 - 5 * MINUTE : m60;
  const t300 = bucketStart(stable, 300);
  const t3600 = bucketStart(t300, 3600);
  const t21600 = bucketStart(t3600, 21600);
  const t86400 = bucketStart(t21600, 86400);
  const t604800 = bucketStart(t86400, 604800);
  const from = t3600 - layout.hourDays * DAY;
  return [
    { res: 60, from: m60 - layout.minuteHours * HOUR, to: m60 },
    { res: 300, from: t300 - layout.fiveMinuteDays * DAY, to: t300 },
    { res: 3600, from, to: t3600 },
    { res: 21600, from: Math.ceil(from / (21600 * 1000)) * 21600 * 1000, to: t21600 },
    { res: 86400, from: Math.ceil(from / DAY) * DAY, to: t86400 },
    { res: 604800, from: Math.ceil(from / (7 * DAY)) * 7 * DAY, to: t604800 },
  ];
}

/** A seeded PRNG (mulberry32): histograms are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Expected counts of n log-normal durations in the store's buckets, stochastically rounded. */
function histogram(f: SyntheticFunction, n: number, random: () => number): Histogram {
  const mu = Math.log(f.durationMedianMs);
  const s = Math.max(0.05, f.durationSigma);
  const lo = bucketOf(Math.exp(mu - 4 * s));
  const hi = bucketOf(Math.exp(mu + 4 * s));
  const h: Histogram = {};
  for (let k = lo; k <= hi; k++) {
    const a = phi((Math.log(bucketLow(k)) - mu) / s);
    const b = phi((Math.log(bucketLow(k) * GAMMA) - mu) / s);
    const x = n * (b - a);
    const c = Math.floor(x) + (random() < x - Math.floor(x) ? 1 : 0);
    if (c > 0) h[k] = c;
  }
  return h;
}

/** Mean invocations in a bucket of `minutes`, over the day. */
const meanPerBucket = (f: SyntheticFunction, minutes: number) =>
  f.peakPerMinute * (1 - f.dailyDip / 2) * minutes;

export interface SyntheticHistograms {
  res: Resolution;
  /** Per function (same order as the fleet), VARIANTS histograms of one bucket's durations, rotated by bucket. */
  perFunction: Histogram[][];
  /** Per variant, the sum over the fleet (the region row's histogram). */
  region: Histogram[];
}

/** The duration histograms of one tier, as the SQL fill draws them (same seed, same variants). */
export function syntheticHistograms(fns: readonly SyntheticFunction[], res: Resolution): SyntheticHistograms {
  const random = rng(7 + res);
  const region: Histogram[] = Array.from({ length: VARIANTS }, () => ({}));
  const perFunction = fns.map((f) =>
    Array.from({ length: VARIANTS }, (_, v) => {
      const h = histogram(f, meanPerBucket(f, res / 60), random);
      for (const [k, c] of Object.entries(h)) region[v]![Number(k)] = (region[v]![Number(k)] ?? 0) + c;
      return h;
    }),
  );
  return { res, perFunction, region };
}

/** A deterministic uniform in [0, 1) per (bucket, function): the fill's ±15 % noise, without 64-bit integers. */
function noise(t: number, i: number): number {
  let h = Math.imul((t / MINUTE) | 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * One bucket of rollups as the collector writes them, built in JS for benchmarks that write through the store
 * (putMetrics/putLogs): the same shapes as the SQL fill below (daily bell around each function's peak hour, ±15 %
 * noise, ~1 % cold starts, the tier's histograms rotated), every function invoked, plus the region rows.
 */
export function syntheticBucket(
  fns: readonly SyntheticFunction[],
  region: string,
  hists: SyntheticHistograms,
  t: number,
): { metrics: MetricRollup[]; logs: LogRollup[] } {
  const res = hists.res;
  const at = { account: SYNTHETIC_ACCOUNT, region };
  const minutes = res / 60;
  const v = Math.floor(t / (res * 1000)) % VARIANTS;
  const hourOfDay = (t % DAY) / HOUR;
  const metrics: MetricRollup[] = [];
  const logs: LogRollup[] = [];
  const regionMetric = emptyMetric(at, REGION_ROW, res, t);
  const regionLog = emptyLog(at, REGION_ROW, res, t);
  regionLog.durations = { ...hists.region[v] };
  let concurrency = 0;
  fns.forEach((f, i) => {
    const u = noise(t, i);
    const s = f.durationSigma;
    const meanMs = f.durationMedianMs * Math.exp((s * s) / 2);
    const maxMs = f.durationMedianMs * Math.exp(3 * s);
    const shape = 1 - (f.dailyDip * Math.abs(((hourOfDay - f.peakHour + 36) % 24) - 12)) / 12;
    const inv = Math.max(1, Math.round(f.peakPerMinute * minutes * shape * (0.85 + 0.3 * u)));
    const durationSum = inv * meanMs * (0.9 + 0.2 * u);
    const coldStarts = Math.floor(inv * 0.01 + u);
    const m: MetricRollup = {
      ...emptyMetric(at, f.name, res, t),
      invocations: inv,
      errors: Math.floor(inv * f.errorRate + u),
      durationSum,
      durationCount: inv,
      durationMax: maxMs * (0.7 + 0.3 * u),
      concurrencyMax: Math.max(1, Math.round(((inv / minutes) * meanMs * 3) / 60_000 + u)),
    };
    const l: LogRollup = {
      ...emptyLog(at, f.logGroup, res, t),
      reports: inv,
      coldStarts,
      initSumMs: coldStarts * f.initMs * (0.8 + 0.4 * u),
      initMaxMs: coldStarts > 0 ? f.initMs * (1 + 0.5 * u) : null,
      billedSumMs: Math.round(durationSum) + inv,
      maxMemoryUsedMb: f.memoryUsedMb * (0.95 + 0.1 * u),
      memorySizeMb: f.memorySizeMb,
      durationSumMs: durationSum,
      durationMaxMs: maxMs * (0.7 + 0.3 * u),
      durations: hists.perFunction[i]![v]!,
    };
    concurrency += m.concurrencyMax ?? 0;
    addMetric(regionMetric, { ...m, concurrencyMax: null });
    addLog(regionLog, { ...l, durations: {} }); // the region's histogram is the tier's precomputed sum
    metrics.push(m);
    logs.push(l);
  });
  regionMetric.concurrencyMax = Math.round(concurrency * 0.6);
  regionMetric.unreservedMax = Math.max(0, 1000 - regionMetric.concurrencyMax);
  metrics.push(regionMetric);
  logs.push(regionLog);
  return { metrics, logs };
}

const CREATE_TEMP = `
  CREATE TEMP TABLE IF NOT EXISTS bench_fns (
    i INTEGER PRIMARY KEY, name TEXT NOT NULL, log_group TEXT NOT NULL, peak REAL NOT NULL, dip REAL NOT NULL,
    peak_hour REAL NOT NULL, mean_ms REAL NOT NULL, max_ms REAL NOT NULL, err REAL NOT NULL, mem_used REAL NOT NULL,
    mem_size REAL NOT NULL, init_ms REAL NOT NULL);
  CREATE TEMP TABLE IF NOT EXISTS bench_hists (
    i INTEGER NOT NULL, res INTEGER NOT NULL, v INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (i, res, v));
  CREATE TEMP TABLE IF NOT EXISTS bench_region_hists (
    res INTEGER NOT NULL, v INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (res, v));`;

// Per function i and bucket t: the rate at that hour of the day (a triangular bell around its peak hour), times a
// deterministic ±15 % noise from a hash of (minute, i); at least one invocation (every function runs every minute).
const BASE = `
  SELECT t, f.*,
    ((t / 60000) * 2654435761 + f.i * 40503) % 1009 / 1009.0 AS u,
    max(1, round(f.peak * @minutes
      * (1 - f.dip * abs(((t % 86400000) / 3600000.0 - f.peak_hour + 36) % 24 - 12) / 12)
      * (0.85 + 0.3 * (((t / 60000) * 2654435761 + f.i * 40503) % 1009 / 1009.0)))) AS inv
  FROM ts CROSS JOIN bench_fns f`;

const SERIES = `WITH RECURSIVE ts(t) AS (SELECT @from UNION ALL SELECT t + @step FROM ts WHERE t + @step < @to)`;

export interface FillReport {
  file: string;
  reused: boolean;
  fillSeconds: number;
  rows: { table: string; res: number; rows: number }[];
  fileBytes: number;
}

/**
 * Opens (filling it first unless a complete one is cached) a synthetic store for one region. `inventory` writes
 * the stored Lambda inventory (configs and account settings, from a sandbox of the same fleet).
 */
export async function openSyntheticStore(
  name: string,
  region: string,
  functions: number,
  layout: Layout,
  /** Called only when the store must be filled: the fleet, and a writer of its stored inventory. */
  source: () => Promise<{ fns: readonly SyntheticFunction[]; inventory: (db: Db) => Promise<void> }>,
  log: (m: string) => void = () => undefined,
): Promise<{ db: Db; report: FillReport }> {
  const dir = path.join(tmpdir(), "fleetscope-bench");
  mkdirSync(dir, { recursive: true });
  const key = `${name}-v${GENERATOR_VERSION}-F${functions}-${layout.now}-${layout.minuteHours}h-${layout.fiveMinuteDays}d-${layout.hourDays}d`;
  const file = path.join(dir, `${key}.db`);
  const done = `${file}.done.json`;
  if (existsSync(file) && existsSync(done)) {
    const report = JSON.parse(readFileSync(done, "utf8")) as FillReport;
    return { db: openDatabase(`file:${file}`), report: { ...report, reused: true } };
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, done]) rmSync(f, { force: true });
  const { fns, inventory } = await source();
  if (fns.length !== functions) throw new Error(`expected ${functions} functions, got ${fns.length}`);
  const started = performance.now();
  // Filled through a better-sqlite3 connection of its own (bulk SQL the store's async Db has no use for); the
  // views then read the file through openDatabase, as the console does.
  const db = new Database(file);
  migrateSqlite(db);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.exec(CREATE_TEMP);
  // The (account, region, key, res, t) indexes are built once at the end: sorting beats 10⁷ random inserts.
  const indexes = db
    .prepare(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('metric_rollups', 'log_rollups') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  db.exec("DROP INDEX metric_rollups_fn; DROP INDEX log_rollups_group;");

  const random = rng(7);
  const insertFn = db.prepare(
    `INSERT INTO bench_fns VALUES (@i, @name, @logGroup, @peak, @dip, @peakHour, @meanMs, @maxMs, @err, @memUsed,
       @memSize, @initMs)`,
  );
  const insertHist = db.prepare("INSERT INTO bench_hists VALUES (?, ?, ?, ?)");
  const regionHists = new Map<string, Histogram>();
  db.transaction(() => {
    fns.forEach((f, i) => {
      const s = f.durationSigma;
      insertFn.run({
        i,
        name: f.name,
        logGroup: f.logGroup,
        peak: f.peakPerMinute,
        dip: f.dailyDip,
        peakHour: f.peakHour,
        meanMs: f.durationMedianMs * Math.exp((s * s) / 2),
        maxMs: f.durationMedianMs * Math.exp(3 * s),
        err: f.errorRate,
        memUsed: f.memoryUsedMb,
        memSize: f.memorySizeMb,
        initMs: f.initMs,
      });
      for (const res of RESOLUTIONS)
        for (let v = 0; v < VARIANTS; v++) {
          const h = histogram(f, meanPerBucket(f, res / 60), random);
          insertHist.run(i, res, v, encode(h));
          const key = `${res}:${v}`;
          const acc = regionHists.get(key) ?? {};
          for (const [k, c] of Object.entries(h)) acc[Number(k)] = (acc[Number(k)] ?? 0) + c;
          regionHists.set(key, acc);
        }
    });
  })();

  const metricInsert = db.prepare(
    `${SERIES}
     INSERT INTO metric_rollups (account, region, res, t, fn, invocations, errors, throttles, duration_sum, duration_count,
       duration_max, concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max, pc_spillover,
       iterator_age_max, async_dropped, recursive_dropped)
     SELECT @account, @region, @res, t, name, inv, CAST(inv * err + u AS INTEGER), 0, inv * mean_ms * (0.9 + 0.2 * u), inv,
       max_ms * (0.7 + 0.3 * u), max(1, round(inv / @minutes * mean_ms / 60000 * 3 + u)), NULL, NULL, NULL, 0, NULL,
       0, 0
     FROM (${BASE})`,
  );
  const metricRegion = db.prepare(
    `INSERT INTO metric_rollups (account, region, res, t, fn, invocations, errors, throttles, duration_sum, duration_count,
       duration_max, concurrency_max, unreserved_max, pc_executions_max, pc_utilization_max, pc_spillover,
       iterator_age_max, async_dropped, recursive_dropped)
     SELECT account, region, res, t, '', SUM(invocations), SUM(errors), SUM(throttles), SUM(duration_sum), SUM(duration_count),
       MAX(duration_max), round(SUM(concurrency_max) * 0.6), max(0, 1000 - round(SUM(concurrency_max) * 0.6)), NULL,
       NULL, 0, NULL, 0, 0
     FROM metric_rollups WHERE account = @account AND region = @region AND res = @res AND t >= @from AND t < @to AND fn <> '' GROUP BY t`,
  );
  const logInsert = db.prepare(
    `${SERIES}
     INSERT INTO log_rollups (account, region, res, t, log_group, reports, cold_starts, init_sum, init_max, billed_sum, mem_max,
       mem_size, duration_sum, duration_max, timeouts, ooms, durations)
     SELECT @account, @region, @res, t, log_group, inv, CAST(inv * 0.01 + u AS INTEGER),
       CAST(inv * 0.01 + u AS INTEGER) * init_ms * (0.8 + 0.4 * u),
       CASE WHEN CAST(inv * 0.01 + u AS INTEGER) > 0 THEN init_ms * (1 + 0.5 * u) END,
       round(inv * mean_ms * (0.9 + 0.2 * u)) + inv, mem_used * (0.95 + 0.1 * u), mem_size,
       inv * mean_ms * (0.9 + 0.2 * u), max_ms * (0.7 + 0.3 * u), 0, 0,
       (SELECT text FROM bench_hists h WHERE h.i = b.i AND h.res = @res AND h.v = (t / (@step)) % ${VARIANTS})
     FROM (${BASE}) b`,
  );
  const logRegion = db.prepare(
    `INSERT INTO log_rollups (account, region, res, t, log_group, reports, cold_starts, init_sum, init_max, billed_sum, mem_max,
       mem_size, duration_sum, duration_max, timeouts, ooms, durations)
     SELECT account, region, res, t, '', SUM(reports), SUM(cold_starts), SUM(init_sum), MAX(init_max), SUM(billed_sum),
       MAX(mem_max), MAX(mem_size), SUM(duration_sum), MAX(duration_max), SUM(timeouts), SUM(ooms),
       (SELECT text FROM temp.bench_region_hists r WHERE r.res = @res AND r.v = (t / (@step)) % ${VARIANTS})
     FROM log_rollups WHERE account = @account AND region = @region AND res = @res AND t >= @from AND t < @to AND log_group <> ''
     GROUP BY t`,
  );
  const insertRegionHist = db.prepare("INSERT OR REPLACE INTO temp.bench_region_hists VALUES (?, ?, ?)");
  for (const [key, h] of regionHists) {
    const [res, v] = key.split(":").map(Number) as [number, number];
    insertRegionHist.run(res, v, encode(h));
  }
  const setCoverage = db.prepare(
    `INSERT OR REPLACE INTO rollup_coverage (account, region, source, res, from_ms, to_ms, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  for (const source of ["metrics", "logs"] as const) {
    for (const tier of tiersAt(layout, source)) {
      const step = tier.res * 1000;
      // A day of buckets per statement: progress, and bounded temp space for the region roll-ups.
      for (let a = tier.from; a < tier.to; a += Math.max(DAY, step)) {
        const b = Math.min(tier.to, a + Math.max(DAY, step));
        const params = {
          account: SYNTHETIC_ACCOUNT,
          region,
          res: tier.res,
          from: a,
          to: b,
          step,
          minutes: tier.res / 60,
        };
        db.transaction(() => {
          if (source === "metrics") {
            metricInsert.run(params);
            metricRegion.run({ account: SYNTHETIC_ACCOUNT, region, res: tier.res, from: a, to: b });
          } else {
            logInsert.run(params);
            logRegion.run({ account: SYNTHETIC_ACCOUNT, region, res: tier.res, from: a, to: b, step });
          }
        })();
      }
      setCoverage.run(SYNTHETIC_ACCOUNT, region, source, tier.res, tier.from, tier.to, layout.now);
      log(`  filled ${source} ${tier.res}s (${Math.round((performance.now() - started) / 1000)} s)`);
    }
  }
  db.exec("DROP TABLE temp.bench_fns; DROP TABLE temp.bench_hists; DROP TABLE temp.bench_region_hists;");
  for (const sql of indexes) db.exec(sql);
  log(`  indexed (${Math.round((performance.now() - started) / 1000)} s)`);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const rows = db
    .prepare(
      `SELECT 'metric_rollups' AS "table", res, COUNT(*) AS rows FROM metric_rollups GROUP BY res
       UNION ALL SELECT 'log_rollups', res, COUNT(*) FROM log_rollups GROUP BY res`,
    )
    .all() as FillReport["rows"];
  const fileBytes =
    (db.pragma("page_count", { simple: true }) as number) *
    (db.pragma("page_size", { simple: true }) as number);
  const report: FillReport = {
    file,
    reused: false,
    fillSeconds: Math.round((performance.now() - started) / 1000),
    rows,
    fileBytes,
  };
  db.close();
  const store = openDatabase(`file:${file}`);
  await inventory(store);
  writeFileSync(done, JSON.stringify(report));
  return { db: store, report };
}
