/**
 * The collector's one Logs Insights query: per log group and minute, the REPORT lines' aggregates and their
 * duration distribution in log-spaced buckets (lib/core/rollup/histogram.ts), so any range's totals and
 * percentiles are sums of stored minutes.
 *
 * Invariants:
 * - One row per (group, minute, duration bucket); a group-minute's aggregates are the sum (counts, sums) or max
 *   (maxima) over its bucket rows, so nothing is counted twice.
 * - Rows are checked against the columns this query's `stats` produces (the rule in insights-rows.ts): count
 *   columns in every row; init aggregates present exactly when `cold` > 0, the billed restore sum when `restores`
 *   > 0 (SnapStart); duration, billed and memory
 *   aggregates (every REPORT line has them) present whenever `n` > 0. A row that breaks this (a missing,
 *   renamed or non-numeric field) is unreadable, with a reason, and never becomes zeros: the caller decides what
 *   an unreadable answer means (the minute stays uncollected).
 * - Nothing user-supplied is interpolated: the query text is a constant per log format.
 */
import { z } from "zod";
import { GAMMA, normalizeBucket } from "../rollup/histogram";
import { emptyLog, type LogRollup, type RowScope } from "../rollup/types";
import type { LogFormat } from "../lambda/types";
import { logGroupFromLogField } from "./insights";
import {
  insightsCount,
  insightsNumber,
  readStatsRow,
  type InsightsRow,
  type StatsShape,
} from "./insights-rows";
import { reportFields } from "./telemetry-insights";

/** Insights returns at most this many rows; an answer this long may be cut and must be split and re-asked. */
export const INSIGHTS_MAX_ROWS = 10_000;

const TIMEOUT: Record<LogFormat, string> = { Text: "Status: timeout", JSON: '"status":"timeout"' };

/**
 * SnapStart restores: a REPORT line carries `Restore Duration` / `Billed Restore Duration` instead of `Init
 * Duration` (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html). Insights discovers no
 * field for them in Text groups, so the billed one is parsed; JSON records have `billedRestoreDurationMs`.
 */
const RESTORE: Record<LogFormat, { parse: string | null; field: string }> = {
  Text: {
    parse: "parse @message /Billed Restore Duration: (?<restoreBilled>\\d+) ms/",
    field: "restoreBilled",
  },
  JSON: { parse: null, field: "record.metrics.billedRestoreDurationMs" },
};

export function collectorQuery(format: LogFormat): string {
  const f = reportFields(format);
  const restore = RESTORE[format];
  return [
    f.filter,
    `parse @message /(?<timedOut>${TIMEOUT[format]})/`,
    "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
    ...(restore.parse === null ? [] : [restore.parse]),
    `stats count(*) as n, count(${f.init}) as cold, sum(${f.init}) as initSum, max(${f.init}) as initMax, ` +
      `sum(${f.billed}) as billedSum, max(${f.memUsed}) as memMax, max(${f.memSize}) as memSize, ` +
      `sum(${f.duration}) as durSum, max(${f.duration}) as durMax, count(timedOut) as timeouts, ` +
      `count(oomKilled) as ooms, count(${restore.field}) as restores, ` +
      `sum(${restore.field}) as restoreBilledSum by @log, bin(1m) as t, floor(log(${f.duration}) / log(${GAMMA})) as dk`,
  ].join("\n| ");
}

/** Insights prints timestamps (@timestamp, bin()) as "YYYY-MM-DD HH:MM:SS.mmm" in UTC; also read by the error query. */
export const insightsTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?$/)
  .transform((s) => Date.parse(`${s.replace(" ", "T").replace(/Z$/, "")}Z`))
  .pipe(z.number().finite());

/** A bucket key: a number, or what log(0) prints (-Infinity); anything else is unreadable. */
const bucketKey = z
  .string()
  .trim()
  .regex(/^(-?\d+(\.\d+)?([eE][-+]?\d+)?|-?Infinity|NaN)$/)
  .transform(Number);

const SHAPE: StatsShape = {
  always: ["@log", "t", "n", "cold", "timeouts", "ooms", "restores"],
  given: {
    initSum: "cold",
    initMax: "cold",
    billedSum: "n",
    memMax: "n",
    memSize: "n",
    durSum: "n",
    durMax: "n",
    restoreBilledSum: "restores",
  },
  // A group key: null (so absent) only for a line without a duration, which a REPORT line always has.
  optional: ["dk"],
  bounded: { cold: "n", timeouts: "n", ooms: "n", restores: "n" },
};

const row = z.object({
  "@log": z.string().min(1),
  t: insightsTime,
  dk: bucketKey.optional(),
  n: insightsCount,
  cold: insightsCount,
  initSum: insightsNumber.optional(),
  initMax: insightsNumber.optional(),
  billedSum: insightsNumber.optional(),
  memMax: insightsNumber.optional(),
  memSize: insightsNumber.optional(),
  durSum: insightsNumber.optional(),
  durMax: insightsNumber.optional(),
  timeouts: insightsCount,
  ooms: insightsCount,
  restores: insightsCount,
  restoreBilledSum: insightsNumber.optional(),
});

export interface CollectedLogs {
  rollups: LogRollup[];
  /** Rows that did not read as this query's rows: when > 0 the answer cannot be trusted whole. */
  unreadable: number;
  /** Why the first unreadable row did not read ("Logs Insights returned rows without the field `cold`"). */
  problem: string | null;
}

const maxOf = (a: number | null, b: number | undefined) =>
  b === undefined ? a : a === null ? b : Math.max(a, b);

/** Turns the rows of one answer into per-group-minute rollups (resolution 60). */
export function readCollectorRows(
  at: RowScope,
  format: LogFormat,
  rows: readonly InsightsRow[],
): CollectedLogs {
  const memDiv = reportFields(format).memDiv;
  const out = new Map<string, LogRollup>();
  let unreadable = 0;
  let problem: string | null = null;
  for (const raw of rows) {
    const r = readStatsRow(raw, SHAPE, row);
    if (!r.ok) {
      unreadable++;
      problem ??= r.reason;
      continue;
    }
    const v = r.value;
    const group = logGroupFromLogField(v["@log"]);
    const key = `${group}\u0000${v.t}`;
    let acc = out.get(key);
    if (!acc) {
      acc = emptyLog(at, group, 60, v.t);
      out.set(key, acc);
    }
    acc.reports += v.n;
    acc.coldStarts += v.cold;
    acc.initSumMs += v.initSum ?? 0;
    acc.initMaxMs = maxOf(acc.initMaxMs, v.initMax);
    acc.billedSumMs += v.billedSum ?? 0;
    acc.maxMemoryUsedMb = maxOf(acc.maxMemoryUsedMb, v.memMax === undefined ? undefined : v.memMax / memDiv);
    acc.memorySizeMb = maxOf(acc.memorySizeMb, v.memSize === undefined ? undefined : v.memSize / memDiv);
    acc.durationSumMs += v.durSum ?? 0;
    acc.durationMaxMs = maxOf(acc.durationMaxMs, v.durMax);
    acc.timeouts += v.timeouts;
    acc.ooms += v.ooms;
    acc.restores = (acc.restores ?? 0) + v.restores;
    acc.restoreBilledSumMs = (acc.restoreBilledSumMs ?? 0) + (v.restoreBilledSum ?? 0);
    const k = normalizeBucket(v.dk ?? Number.NEGATIVE_INFINITY);
    acc.durations[k] = (acc.durations[k] ?? 0) + v.n;
  }
  return { rollups: [...out.values()], unreadable, problem };
}
