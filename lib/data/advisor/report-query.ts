/**
 * The advisor's one Logs Insights aggregation: per log group, from REPORT lines (text format) and
 * platform.report records (JSON format), the numbers that have no CloudWatch metric: memory used, init,
 * duration percentiles, timeouts and OOM kills. One query covers 50 groups of either format.
 *
 * Invariants:
 * - Text and JSON groups get separate columns (`t…` / `j…`): a group logs in one format, so exactly one set is
 *   present in its row; the reader takes whichever is there.
 * - Insights reports @memorySize / @maxMemoryUsed in bytes of 10^6 per MB (AWS's own sample queries divide by
 *   1000 twice); JSON records carry MB already.
 * - A column Insights omits (an aggregate over nothing) is null, never 0; counts default to 0.
 * - Timeouts and OOM kills are counted from the REPORT/platform.report status, once per invocation (the
 *   "Task timed out" line is not counted again).
 */
import { z } from "zod";
import { logGroupFromLogField } from "@/lib/core/query/insights";
import {
  insightsMemoryToMb,
  insightsNumber,
  msOrNull,
  rowProblem,
  type InsightsRow,
} from "@/lib/core/query/insights-rows";
import { mb, type Mb, type Ms } from "@/lib/core/units";

const stats = (prefix: "t" | "j", f: Record<"init" | "mem" | "dur", string>) =>
  [
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

const COLUMNS = [
  "Cold",
  "AvgInit",
  "P99Init",
  "MaxMem",
  "P99Mem",
  "P50",
  "P99",
  "P999",
  "Max",
  "Avg",
] as const;
const optionalColumns = Object.fromEntries(
  (["t", "j"] as const).flatMap((p) => COLUMNS.map((c) => [`${p}${c}`, insightsNumber.optional()])),
);

const rowSchema = z.object({
  "@log": z.string().min(1),
  reports: insightsNumber,
  timeouts: insightsNumber.optional(),
  ooms: insightsNumber.optional(),
  ...optionalColumns,
});

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

/** One row of ADVISOR_REPORT_QUERY, or a reason it does not have that shape (never throws). */
export function parseReportAggregate(
  row: InsightsRow,
): { ok: true; value: ReportAggregate } | { ok: false; reason: string } {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) return { ok: false, reason: rowProblem(parsed.error) };
  const d = parsed.data as Record<string, number | undefined> & { "@log": string; reports: number };
  // JSON groups fill the j-columns; a text group's j-columns are absent.
  const p = d.jMaxMem !== undefined || d.jP50 !== undefined || (d.jCold ?? 0) > 0 ? "j" : "t";
  const col = (c: (typeof COLUMNS)[number]) => d[`${p}${c}`];
  const toMb = (v: number | undefined) =>
    v === undefined ? null : p === "t" ? insightsMemoryToMb(v) : mb(v);
  return {
    ok: true,
    value: {
      logGroup: logGroupFromLogField(d["@log"]),
      reports: d.reports,
      timeouts: d.timeouts ?? 0,
      outOfMemory: d.ooms ?? 0,
      coldStarts: col("Cold") ?? 0,
      avgInit: msOrNull(col("AvgInit")),
      p99Init: msOrNull(col("P99Init")),
      maxMemoryUsed: toMb(col("MaxMem")),
      p99MemoryUsed: toMb(col("P99Mem")),
      duration: {
        p50: msOrNull(col("P50")),
        p99: msOrNull(col("P99")),
        p999: msOrNull(col("P999")),
        max: msOrNull(col("Max")),
        avg: msOrNull(col("Avg")),
      },
    },
  };
}

/** Timeouts per UTC day, for the groups where the main aggregation saw any (the Trusted Advisor daily rule). */
export const DAILY_TIMEOUTS_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  'parse @message /(?<timedOut>Status: timeout|"status":"timeout")/',
  "filter ispresent(timedOut)",
  "stats count(*) as timeouts by @log, bin(1d) as day",
].join("\n| ");

const dailyRow = z.object({ "@log": z.string().min(1), day: z.string().min(1), timeouts: insightsNumber });

/** `{ logGroup, day (epoch ms, UTC midnight), timeouts }`, or null for a row without that shape. */
export function parseDailyTimeouts(
  row: InsightsRow,
): { logGroup: string; day: number; timeouts: number } | null {
  const r = dailyRow.safeParse(row);
  if (!r.success) return null;
  // Insights prints bin() timestamps as "YYYY-MM-DD HH:MM:SS.mmm" in UTC.
  const day = Date.parse(`${r.data.day.replace(" ", "T")}Z`);
  return Number.isFinite(day)
    ? { logGroup: logGroupFromLogField(r.data["@log"]), day, timeouts: r.data.timeouts }
    : null;
}
