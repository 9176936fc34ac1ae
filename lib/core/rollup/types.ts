/**
 * Rollups: what the collector keeps of each closed minute, per function (metrics) and per log group (REPORT
 * lines), and how rollups of one resolution add up to a coarser one. Pure.
 *
 * Invariants:
 * - Counts add; maxima take the max; a gauge nobody reported stays null (missing is not zero); a count that was
 *   not collected (null) makes any sum it is part of null.
 * - A minute the collector covered but holds no row for had no datapoint: its counts are 0, its gauges gaps.
 * - Resolutions mirror CloudWatch's retention tiers (1 minute, 5 minutes, 1 hour) plus coarser ones for long
 *   ranges (6 hours, 1 day, 1 week): every coarser bucket is a whole number of finer ones, aligned to UTC (weeks
 *   to the epoch's, which start on Thursday 00:00 UTC). The ladder is a segment tree of sorts: a window of any
 *   length is tiled with a few rows of each tier per function (about 35 for 30 days), not hundreds.
 */
import { addTo, type Histogram } from "./histogram";

export const RESOLUTIONS = [60, 300, 3600, 21600, 86400, 604800] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** One function (or, with fn = REGION_ROW, the whole region) in one bucket, from AWS/Lambda metrics. */
export interface MetricRollup {
  /** The AWS account (12 digits); '' only in rows stored before accounts were recorded, until adopted. */
  account: string;
  region: string;
  fn: string;
  res: Resolution;
  /** Bucket start, epoch ms. */
  t: number;
  invocations: number;
  errors: number;
  throttles: number;
  /** Duration Sum / SampleCount / Maximum (ms); null when no duration was reported. */
  durationSum: number | null;
  durationCount: number | null;
  durationMax: number | null;
  concurrencyMax: number | null;
  /** Region rows only: UnreservedConcurrentExecutions Maximum. */
  unreservedMax: number | null;
  pcExecutionsMax: number | null;
  pcUtilizationMax: number | null;
  pcSpillover: number;
  iteratorAgeMax: number | null;
  asyncDropped: number;
  recursiveDropped: number;
  /**
   * Async and stream metrics (AsyncEventsReceived Sum, AsyncEventAge Maximum, DeadLetterErrors Sum,
   * DestinationDeliveryFailures Sum, OffsetLag Maximum). Null where no datapoint was read: the function does not
   * publish it, CloudWatch omitted the period, or the row was written before these were collected. A sum of rows
   * is null only when none of them holds a value, so "null over a range" means "never published in it".
   */
  asyncReceived: number | null;
  asyncAgeMax: number | null;
  deadLetterErrors: number | null;
  destinationFailures: number | null;
  offsetLagMax: number | null;
}

/** The row key of region-wide metrics (ConcurrentExecutions and UnreservedConcurrentExecutions without dimension). */
export const REGION_ROW = "";

/**
 * The row key of one version served through an alias (dimensions FunctionName + Resource + ExecutedVersion): a
 * function name cannot contain ':', so these rows never collide with a function's.
 */
export const versionRowKey = (fn: string, alias: string, version: string) => `${fn}:${alias}:${version}`;

export function parseVersionRowKey(key: string): { fn: string; alias: string; version: string } | null {
  const parts = key.split(":");
  if (parts.length !== 3 || parts.some((p) => p === "")) return null;
  const [fn, alias, version] = parts as [string, string, string];
  return { fn, alias, version };
}

/** One log group in one bucket, from its REPORT lines (`platform.report` records for JSON groups). */
export interface LogRollup {
  account: string;
  region: string;
  logGroup: string;
  res: Resolution;
  t: number;
  reports: number;
  coldStarts: number;
  initSumMs: number;
  initMaxMs: number | null;
  billedSumMs: number;
  maxMemoryUsedMb: number | null;
  memorySizeMb: number | null;
  durationSumMs: number;
  durationMaxMs: number | null;
  timeouts: number;
  ooms: number;
  /**
   * SnapStart restores (REPORT lines with a Restore Duration) and the sum of their Billed Restore Duration;
   * null when not collected (rows written before the collector read them), and a sum with such a row is null.
   */
  restores: number | null;
  restoreBilledSumMs: number | null;
  durations: Histogram;
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const sumOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

/** Where a row lives: its account and region (a `Scope` or another row). */
export interface RowScope {
  account: string;
  region: string;
}

export const bucketStart = (t: number, res: number) => Math.floor(t / (res * 1000)) * res * 1000;

export function emptyMetric(at: RowScope, fn: string, res: Resolution, t: number): MetricRollup {
  return {
    account: at.account,
    region: at.region,
    fn,
    res,
    t,
    invocations: 0,
    errors: 0,
    throttles: 0,
    durationSum: null,
    durationCount: null,
    durationMax: null,
    concurrencyMax: null,
    unreservedMax: null,
    pcExecutionsMax: null,
    pcUtilizationMax: null,
    pcSpillover: 0,
    iteratorAgeMax: null,
    asyncDropped: 0,
    recursiveDropped: 0,
    asyncReceived: null,
    asyncAgeMax: null,
    deadLetterErrors: null,
    destinationFailures: null,
    offsetLagMax: null,
  };
}

/** Adds `b` into `a` (same function, any buckets): the rollup of both. */
export function addMetric(a: MetricRollup, b: MetricRollup): MetricRollup {
  a.invocations += b.invocations;
  a.errors += b.errors;
  a.throttles += b.throttles;
  a.durationSum = sumOf(a.durationSum, b.durationSum);
  a.durationCount = sumOf(a.durationCount, b.durationCount);
  a.durationMax = maxOf(a.durationMax, b.durationMax);
  a.concurrencyMax = maxOf(a.concurrencyMax, b.concurrencyMax);
  a.unreservedMax = maxOf(a.unreservedMax, b.unreservedMax);
  a.pcExecutionsMax = maxOf(a.pcExecutionsMax, b.pcExecutionsMax);
  a.pcUtilizationMax = maxOf(a.pcUtilizationMax, b.pcUtilizationMax);
  a.pcSpillover += b.pcSpillover;
  a.iteratorAgeMax = maxOf(a.iteratorAgeMax, b.iteratorAgeMax);
  a.asyncDropped += b.asyncDropped;
  a.recursiveDropped += b.recursiveDropped;
  a.asyncReceived = sumOf(a.asyncReceived, b.asyncReceived);
  a.asyncAgeMax = maxOf(a.asyncAgeMax, b.asyncAgeMax);
  a.deadLetterErrors = sumOf(a.deadLetterErrors, b.deadLetterErrors);
  a.destinationFailures = sumOf(a.destinationFailures, b.destinationFailures);
  a.offsetLagMax = maxOf(a.offsetLagMax, b.offsetLagMax);
  return a;
}

export function emptyLog(at: RowScope, logGroup: string, res: Resolution, t: number): LogRollup {
  return {
    account: at.account,
    region: at.region,
    logGroup,
    res,
    t,
    reports: 0,
    coldStarts: 0,
    initSumMs: 0,
    initMaxMs: null,
    billedSumMs: 0,
    maxMemoryUsedMb: null,
    memorySizeMb: null,
    durationSumMs: 0,
    durationMaxMs: null,
    timeouts: 0,
    ooms: 0,
    restores: 0,
    restoreBilledSumMs: 0,
    durations: {},
  };
}

export function addLog(a: LogRollup, b: LogRollup): LogRollup {
  a.reports += b.reports;
  a.coldStarts += b.coldStarts;
  a.initSumMs += b.initSumMs;
  a.initMaxMs = maxOf(a.initMaxMs, b.initMaxMs);
  a.billedSumMs += b.billedSumMs;
  a.maxMemoryUsedMb = maxOf(a.maxMemoryUsedMb, b.maxMemoryUsedMb);
  a.memorySizeMb = maxOf(a.memorySizeMb, b.memorySizeMb);
  a.durationSumMs += b.durationSumMs;
  a.durationMaxMs = maxOf(a.durationMaxMs, b.durationMaxMs);
  a.timeouts += b.timeouts;
  a.ooms += b.ooms;
  a.restores = a.restores === null || b.restores === null ? null : a.restores + b.restores;
  a.restoreBilledSumMs =
    a.restoreBilledSumMs === null || b.restoreBilledSumMs === null
      ? null
      : a.restoreBilledSumMs + b.restoreBilledSumMs;
  addTo(a.durations, b.durations);
  return a;
}

/** Rolls rows up into buckets of `res` (a coarser resolution), keyed by account, region, key and bucket start. */
export function rollUp<T extends RowScope & { res: Resolution; t: number }>(
  rows: readonly T[],
  res: Resolution,
  keyOf: (r: T) => string,
  empty: (r: T, t: number) => T,
  add: (a: T, b: T) => T,
): T[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const t = bucketStart(r.t, res);
    const key = `${r.account}\u0000${r.region}\u0000${keyOf(r)}\u0000${t}`;
    let acc = out.get(key);
    if (!acc) {
      acc = { ...empty(r, t), res };
      out.set(key, acc);
    }
    add(acc, r);
  }
  return [...out.values()];
}
