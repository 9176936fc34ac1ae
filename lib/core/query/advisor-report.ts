/**
 * The advisor's one Logs Insights aggregation: per log group, from REPORT lines (text format) and
 * platform.report records (JSON format), the numbers that have no CloudWatch metric: memory used, init,
 * duration percentiles, timeouts and OOM kills. One query covers 50 groups of either format.
 *
 * Invariants (rows are read strictly, lib/core/query/insights-rows.ts: missing evidence never reads as zero):
 * - Text and JSON groups get separate columns (`t…` / `j…`), each with its own record count (`tReports`, counted
 *   on @duration; `jReports`, on record.metrics.durationMs). Every count is in every row; every other aggregate
 *   is tied to its count (init to the cold starts, the rest to the records of that format).
 * - The two formats' records add up to all records: an implementation that does not discover Lambda's fields
 *   (no @duration, no @initDuration) counts records it cannot read, and its row is refused instead of reading
 *   as "0 cold starts". A group that switched format in the window has both: counts add, maxima and averages
 *   combine exactly, percentiles (which do not combine) are unknown.
 * - Insights reports @memorySize / @maxMemoryUsed in bytes of 10^6 per MB (AWS's own sample queries divide by
 *   1000 twice); JSON records carry MB already.
 * - Timeouts and OOM kills are counted from the REPORT/platform.report status, once per invocation (the
 *   "Task timed out" line is not counted again).
 */
import { z } from "zod";
import { logGroupFromLogField } from "./insights";
import {
  insightsCount,
  insightsMemoryToMb,
  insightsNumber,
  msOrNull,
  readStatsRow,
  type InsightsRow,
  type RowRead,
  type StatsShape,
} from "./insights-rows";
import { mb, type Mb, type Ms } from "../units";

const stats = (prefix: "t" | "j", f: Record<"init" | "mem" | "dur", string>) =>
  [
    `count(${f.dur}) as ${prefix}Reports`,
    `count(${f.init}) as ${prefix}Cold`,
    `avg(${f.init}) as ${prefix}AvgInit`,
    `pct(${f.init}, 99) as ${prefix}P99Init`,
    `max(${f.mem}) as ${prefix}MaxMem`,
    `pct(${f.mem}, 99) as ${prefix}P99Mem`,
    `pct(${f.dur}, 50) as ${prefix}P50`,
    `pct(${f.dur}, 99) as ${prefix}P99`,
    `pct(${f.dur}, 99.9) as ${prefix}P999`,
    `max(${f.dur}) as ${prefix}Max`,
    `avg(${f.dur}) as ${prefix}Avg`,
  ].join(", ");

export const ADVISOR_REPORT_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  'parse @message /(?<timedOut>Status: timeout|"status":"timeout")/',
  "parse @message /(?<oomKilled>Runtime\\.OutOfMemory)/",
  "stats count(*) as reports, count(timedOut) as timeouts, count(oomKilled) as ooms, " +
    stats("t", { init: "@initDuration", mem: "@maxMemoryUsed", dur: "@duration" }) +
    ", " +
    stats("j", {
      init: "record.metrics.initDurationMs",
      mem: "record.metrics.maxMemoryUsedMB",
      dur: "record.metrics.durationMs",
    }) +
    " by @log",
].join("\n| ");

const INIT_COLUMNS = ["AvgInit", "P99Init"] as const;
const RECORD_COLUMNS = ["MaxMem", "P99Mem", "P50", "P99", "P999", "Max", "Avg"] as const;
type Column = (typeof INIT_COLUMNS)[number] | (typeof RECORD_COLUMNS)[number];
const PREFIXES = ["t", "j"] as const;
type Prefix = (typeof PREFIXES)[number];

const REPORT_SHAPE: StatsShape = {
  always: ["@log", "reports", "timeouts", "ooms", ...PREFIXES.flatMap((p) => [`${p}Reports`, `${p}Cold`])],
  given: Object.fromEntries(
    PREFIXES.flatMap((p) => [
      ...INIT_COLUMNS.map((c) => [`${p}${c}`, `${p}Cold`]),
      ...RECORD_COLUMNS.map((c) => [`${p}${c}`, `${p}Reports`]),
    ]),
  ),
  bounded: {
    timeouts: "reports",
    ooms: "reports",
    tReports: "reports",
    jReports: "reports",
    tCold: "tReports",
    jCold: "jReports",
  },
};

const rowSchema = z
  .object({
    "@log": z.string().min(1),
    reports: insightsCount,
    timeouts: insightsCount,
    ooms: insightsCount,
  })
  .extend(
    Object.fromEntries(
      PREFIXES.flatMap((p) => [
        [`${p}Reports`, insightsCount],
        [`${p}Cold`, insightsCount],
        ...[...INIT_COLUMNS, ...RECORD_COLUMNS].map((c) => [`${p}${c}`, insightsNumber.optional()]),
      ]),
    ) as Record<string, z.ZodType<number | undefined>>,
  );

export interface ReportAggregate {
  logGroup: string;
  reports: number;
  timeouts: number;
  outOfMemory: number;
  coldStarts: number;
  avgInit: Ms | null;
  p99Init: Ms | null;
  maxMemoryUsed: Mb | null;
  p99MemoryUsed: Mb | null;
  duration: { p50: Ms | null; p99: Ms | null; p999: Ms | null; max: Ms | null; avg: Ms | null };
}

/**
 * One aggregate over both formats' records: from the side that has any (its count > 0, so the aggregate is
 * there), else combined — maxima exactly, averages weighted by their counts, percentiles unknown.
 */
function combine(
  a: number | undefined,
  na: number,
  b: number | undefined,
  nb: number,
  how: "max" | "avg" | "pct",
): number | undefined {
  if (na === 0) return b;
  if (nb === 0) return a;
  if (a === undefined || b === undefined || how === "pct") return undefined;
  return how === "max" ? Math.max(a, b) : (a * na + b * nb) / (na + nb);
}

/** One row of ADVISOR_REPORT_QUERY, or why it cannot be read (never throws, never reads a gap as 0). */
export function parseReportAggregate(row: InsightsRow): RowRead<ReportAggregate> {
  const r = readStatsRow(row, REPORT_SHAPE, rowSchema);
  if (!r.ok) return r;
  const d = r.value as Record<string, number | undefined> & { "@log": string; reports: number };
  const side = (p: Prefix) => ({
    records: d[`${p}Reports`] ?? 0,
    cold: d[`${p}Cold`] ?? 0,
    at: (c: Column): number | undefined => {
      const v = d[`${p}${c}`];
      // Insights' memory fields are MB × 10^6 on text lines; JSON records carry MB.
      if (v === undefined || (c !== "MaxMem" && c !== "P99Mem")) return v;
      return p === "t" ? insightsMemoryToMb(v) : mb(v);
    },
  });
  const t = side("t");
  const j = side("j");
  if (t.records + j.records !== d.reports)
    return {
      ok: false,
      reason:
        `Logs Insights counted ${d.reports} REPORT records but read the duration of ${t.records + j.records}: ` +
        "Lambda's REPORT fields (@duration, @initDuration, …) are not discovered",
    };
  const init = (c: (typeof INIT_COLUMNS)[number], how: "avg" | "pct") =>
    combine(t.at(c), t.cold, j.at(c), j.cold, how);
  const rec = (c: (typeof RECORD_COLUMNS)[number], how: "max" | "avg" | "pct") =>
    combine(t.at(c), t.records, j.at(c), j.records, how);
  const mbOrNull = (v: number | undefined) => (v === undefined ? null : mb(v));
  return {
    ok: true,
    value: {
      logGroup: logGroupFromLogField(d["@log"]),
      reports: d.reports,
      timeouts: d.timeouts ?? 0,
      outOfMemory: d.ooms ?? 0,
      coldStarts: t.cold + j.cold,
      avgInit: msOrNull(init("AvgInit", "avg")),
      p99Init: msOrNull(init("P99Init", "pct")),
      maxMemoryUsed: mbOrNull(rec("MaxMem", "max")),
      p99MemoryUsed: mbOrNull(rec("P99Mem", "pct")),
      duration: {
        p50: msOrNull(rec("P50", "pct")),
        p99: msOrNull(rec("P99", "pct")),
        p999: msOrNull(rec("P999", "pct")),
        max: msOrNull(rec("Max", "max")),
        avg: msOrNull(rec("Avg", "avg")),
      },
    },
  };
}

/** The log group a row names, even when the row cannot be read (to say whose evidence is missing); else null. */
export function rowLogGroup(row: InsightsRow): string | null {
  const log = row["@log"]?.trim();
  return log ? logGroupFromLogField(log) : null;
}

/** Timeouts per hour, for the groups where the main aggregation saw any (the Trusted Advisor daily rule). */
export const DAILY_TIMEOUTS_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  'parse @message /(?<timedOut>Status: timeout|"status":"timeout")/',
  "filter ispresent(timedOut)",
  // Hours, not bin(1d): Insights' days start at UTC midnight, the advisor's days at the window's start
  // (as the metrics' daily datapoints do); the caller adds the hours up into those days.
  "stats count(*) as timeouts by @log, bin(1h) as hour",
].join("\n| ");

const HOURLY_SHAPE: StatsShape = { always: ["@log", "hour", "timeouts"] };

const hourlyRow = z.object({
  "@log": z.string().min(1),
  // Insights prints bin() timestamps as "YYYY-MM-DD HH:MM:SS.mmm" in UTC.
  hour: z
    .string()
    .transform((h) => Date.parse(`${h.trim().replace(" ", "T")}Z`))
    .refine(Number.isFinite, "is not a time"),
  timeouts: insightsCount,
});

/** `{ logGroup, hour (epoch ms, start of the UTC hour), timeouts }`, or why the row cannot be read. */
export function parseDailyTimeouts(
  row: InsightsRow,
): RowRead<{ logGroup: string; hour: number; timeouts: number }> {
  const r = readStatsRow(row, HOURLY_SHAPE, hourlyRow);
  if (!r.ok) return r;
  const { "@log": log, hour, timeouts } = r.value;
  return { ok: true, value: { logGroup: logGroupFromLogField(log), hour, timeouts } };
}
