/**
 * The collector's one Logs Insights query: per log group and minute, the REPORT lines' aggregates and their
 * duration distribution in log-spaced buckets (lib/core/rollup/histogram.ts), so any range's totals and
 * percentiles are sums of stored minutes.
 *
 * Invariants:
 * - One row per (group, minute, duration bucket); a group-minute's aggregates are the sum (counts, sums) or max
 *   (maxima) over its bucket rows, so nothing is counted twice.
 * - Rows that do not read (a field of the wrong shape, an unknown group) are counted as unreadable and never
 *   become zeros: the caller decides what an unreadable answer means (the minute stays uncollected).
 * - Nothing user-supplied is interpolated: the query text is a constant per log format.
 */
import { z } from "zod";
import { GAMMA, normalizeBucket } from "../rollup/histogram";
import { emptyLog, type LogRollup } from "../rollup/types";
import type { LogFormat } from "../lambda/types";
import { logGroupFromLogField } from "./insights";
import { insightsNumber, type InsightsRow } from "./insights-rows";
import { reportFields } from "./telemetry-insights";

/** Insights returns at most this many rows; an answer this long may be cut and must be split and re-asked. */
export const INSIGHTS_MAX_ROWS = 10_000;

const TIMEOUT: Record<LogFormat, string> = { Text: "Status: timeout", JSON: '"status":"timeout"' };

export function collectorQuery(format: LogFormat): string {
  const f = reportFields(format);
  return [
    f.filter,
    `parse @message /(?<timedOut>${TIMEOUT[format]})/`,
    "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
    `stats count(*) as n, count(${f.init}) as cold, sum(${f.init}) as initSum, max(${f.init}) as initMax, ` +
      `sum(${f.billed}) as billedSum, max(${f.memUsed}) as memMax, max(${f.memSize}) as memSize, ` +
      `sum(${f.duration}) as durSum, max(${f.duration}) as durMax, count(timedOut) as timeouts, ` +
      `count(oomKilled) as ooms by @log, bin(1m) as t, floor(log(${f.duration}) / log(${GAMMA})) as dk`,
  ].join("\n| ");
}

/** Insights prints bin() timestamps as "YYYY-MM-DD HH:MM:SS.mmm" in UTC. */
const insightsTime = z
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

const row = z.object({
  "@log": z.string().min(1),
  t: insightsTime,
  dk: bucketKey.optional(),
  n: insightsNumber,
  cold: insightsNumber.optional(),
  initSum: insightsNumber.optional(),
  initMax: insightsNumber.optional(),
  billedSum: insightsNumber.optional(),
  memMax: insightsNumber.optional(),
  memSize: insightsNumber.optional(),
  durSum: insightsNumber.optional(),
  durMax: insightsNumber.optional(),
  timeouts: insightsNumber.optional(),
  ooms: insightsNumber.optional(),
});

export interface CollectedLogs {
  rollups: LogRollup[];
  /** Rows that did not read as this query's rows: when > 0 the answer cannot be trusted whole. */
  unreadable: number;
}

const maxOf = (a: number | null, b: number | undefined) =>
  b === undefined ? a : a === null ? b : Math.max(a, b);

/** Turns the rows of one answer into per-group-minute rollups (resolution 60). */
export function readCollectorRows(
  region: string,
  format: LogFormat,
  rows: readonly InsightsRow[],
): CollectedLogs {
  const memDiv = reportFields(format).memDiv;
  const out = new Map<string, LogRollup>();
  let unreadable = 0;
  for (const raw of rows) {
    const r = row.safeParse(raw);
    if (!r.success) {
      unreadable++;
      continue;
    }
    const v = r.data;
    const group = logGroupFromLogField(v["@log"]);
    const key = `${group}\u0000${v.t}`;
    let acc = out.get(key);
    if (!acc) {
      acc = emptyLog(region, group, 60, v.t);
      out.set(key, acc);
    }
    acc.reports += v.n;
    acc.coldStarts += v.cold ?? 0;
    acc.initSumMs += v.initSum ?? 0;
    acc.initMaxMs = maxOf(acc.initMaxMs, v.initMax);
    acc.billedSumMs += v.billedSum ?? 0;
    acc.maxMemoryUsedMb = maxOf(acc.maxMemoryUsedMb, v.memMax === undefined ? undefined : v.memMax / memDiv);
    acc.memorySizeMb = maxOf(acc.memorySizeMb, v.memSize === undefined ? undefined : v.memSize / memDiv);
    acc.durationSumMs += v.durSum ?? 0;
    acc.durationMaxMs = maxOf(acc.durationMaxMs, v.durMax);
    acc.timeouts += v.timeouts ?? 0;
    acc.ooms += v.ooms ?? 0;
    const k = normalizeBucket(v.dk ?? Number.NEGATIVE_INFINITY);
    acc.durations[k] = (acc.durations[k] ?? 0) + v.n;
  }
  return { rollups: [...out.values()], unreadable };
}
