/**
 * Logs Insights templates for the telemetry dashboards, one per Lambda log format: Text groups expose the
 * discovered REPORT fields (`@duration`, `@initDuration`, …), JSON groups (LoggingConfig.LogFormat = JSON)
 * expose `platform.report` records as `record.metrics.*`. Columns are named so the unit is in the name.
 *
 * Invariants:
 * - Memory: Text `@memorySize` / `@maxMemoryUsed` are bytes with 1 MB = 1,000,000 bytes (AWS's own sample
 *   queries divide by 1000/1000); JSON `memorySizeMB` / `maxMemoryUsedMB` are MB. Both leave as `…Mb` after
 *   `readReportBin` / `readFunctionSummary`, so callers never see the difference.
 * - Nothing user-supplied is interpolated except the bin period (validated by insightsBin).
 * - Rows follow the stats-row rule of insights-rows.ts: count columns in every row, init aggregates exactly when
 *   there are cold starts, REPORT aggregates whenever there are invocations. A missing aggregate that the rule
 *   allows (no cold start → no init sum) reads as null, never 0; a row that breaks the rule is not read at all:
 *   the readers throw an "Unavailable" error saying why, so a panel says "unavailable: <why>" instead of 0.
 */
import { z } from "zod";
import { mb, ms, type Mb, type Ms, type Seconds } from "../units";
import { insightsBin, logGroupFromLogField } from "./insights";
import {
  insightsCount,
  insightsNumber,
  readAllRows,
  readStatsRow,
  unreadableRows,
  type InsightsRow,
  type StatsShape,
} from "./insights-rows";
import type { LogFormat } from "../lambda/types";

const DECIMAL_MB = 1_000_000;

interface Fields {
  filter: string;
  init: string;
  duration: string;
  billed: string;
  memSize: string;
  memUsed: string;
  /** Divisor turning the memory fields into MB. */
  memDiv: number;
}

const FIELDS: Readonly<Record<LogFormat, Fields>> = {
  Text: {
    filter: 'filter @type = "REPORT"',
    init: "@initDuration",
    duration: "@duration",
    billed: "@billedDuration",
    memSize: "@memorySize",
    memUsed: "@maxMemoryUsed",
    memDiv: DECIMAL_MB,
  },
  JSON: {
    filter: 'filter type = "platform.report"',
    init: "record.metrics.initDurationMs",
    duration: "record.metrics.durationMs",
    billed: "record.metrics.billedDurationMs",
    memSize: "record.metrics.memorySizeMB",
    memUsed: "record.metrics.maxMemoryUsedMB",
    memDiv: 1,
  },
};

/** The REPORT filter and field names for one log format, for templates outside this module. */
export const reportFields = (format: LogFormat): Readonly<Fields> => FIELDS[format];

const lines = (...parts: string[]) => parts.join("\n| ");

/**
 * Per log group and time bin: invocations, cold starts, init sum/max, memory, billed time. One query covers a
 * chunk of groups; per-group totals are the sum over bins and the fleet series the sum over groups, so one
 * query per chunk serves both the table and the cold-start chart.
 */
export function reportBinsQuery(format: LogFormat, bin: Seconds): string {
  const f = FIELDS[format];
  return lines(
    f.filter,
    `stats count(*) as invocations, count(${f.init}) as coldStarts, sum(${f.init}) as initSumMs, ` +
      `max(${f.init}) as maxInitMs, max(${f.memUsed}) as maxMemoryUsed, max(${f.memSize}) as memorySize, ` +
      `sum(${f.billed}) as billedSumMs by @log, bin(${insightsBin(bin)}) as t`,
  );
}

/** One function's whole-range summary, with the percentiles a sum over bins cannot give. */
export function functionSummaryQuery(format: LogFormat): string {
  const f = FIELDS[format];
  return lines(
    f.filter,
    `stats count(*) as invocations, count(${f.init}) as coldStarts, avg(${f.init}) as avgInitMs, ` +
      `pct(${f.init}, 99) as p99InitMs, pct(${f.duration}, 50) as p50DurationMs, ` +
      `pct(${f.duration}, 99) as p99DurationMs, sum(${f.billed}) as billedSumMs, ` +
      `max(${f.memUsed}) as maxMemoryUsed, max(${f.memSize}) as memorySize`,
  );
}

/** Timeout and out-of-memory markers (the REPORT line of a timed-out request looks like any other). */
export function failureMarkersQuery(): string {
  return lines(
    "filter @message like /Task timed out after|Runtime exited with error: signal: killed|Runtime\\.OutOfMemory/",
    "parse @message /(?<marker>Task timed out|signal: killed|Runtime\\.OutOfMemory)/",
    "stats count(*) as n by marker",
  );
}

const optionalNumber = insightsNumber.optional();

/** Insights prints bin() values as `2026-11-23 11:00:00.000` (UTC). */
const binTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/, "is not a bin() time")
  .transform((s) => Date.parse(`${s.replace(" ", "T")}Z`));

const INIT_AGGREGATES = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, "coldStarts"]));
const REPORT_AGGREGATES = (names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, "invocations"]));

const BIN_SHAPE: StatsShape = {
  always: ["@log", "t", "invocations", "coldStarts"],
  given: {
    ...INIT_AGGREGATES(["initSumMs", "maxInitMs"]),
    ...REPORT_AGGREGATES(["maxMemoryUsed", "memorySize", "billedSumMs"]),
  },
  bounded: { coldStarts: "invocations" },
};

const binRow = z.object({
  "@log": z.string().min(1),
  t: binTime,
  invocations: insightsCount,
  coldStarts: insightsCount,
  initSumMs: optionalNumber,
  maxInitMs: optionalNumber,
  maxMemoryUsed: optionalNumber,
  memorySize: optionalNumber,
  billedSumMs: optionalNumber,
});

export interface ReportBin {
  logGroup: string;
  t: number;
  invocations: number;
  coldStarts: number;
  initSum: Ms | null;
  maxInit: Ms | null;
  maxMemoryUsed: Mb | null;
  memorySize: Mb | null;
  billedSum: Ms;
}

const toMb = (v: number | undefined, div: number): Mb | null => (v === undefined ? null : mb(v / div));
const toMs = (v: number | undefined): Ms | null => (v === undefined ? null : ms(v));

/** One row of `reportBinsQuery`; throws "Unavailable" with the reason for a row without that shape. */
export function readReportBin(row: InsightsRow, format: LogFormat): ReportBin {
  const r = readStatsRow(row, BIN_SHAPE, binRow);
  if (!r.ok) throw unreadableRows(r.reason);
  const d = r.value;
  const div = FIELDS[format].memDiv;
  return {
    logGroup: logGroupFromLogField(d["@log"]),
    t: d.t,
    invocations: d.invocations,
    coldStarts: d.coldStarts,
    initSum: toMs(d.initSumMs),
    maxInit: toMs(d.maxInitMs),
    maxMemoryUsed: toMb(d.maxMemoryUsed, div),
    memorySize: toMb(d.memorySize, div),
    // Tied to invocations: absent only without one, when 0 ms is exact.
    billedSum: ms(d.billedSumMs ?? 0),
  };
}

const SUMMARY_SHAPE: StatsShape = {
  always: ["invocations", "coldStarts"],
  given: {
    ...INIT_AGGREGATES(["avgInitMs", "p99InitMs"]),
    ...REPORT_AGGREGATES(["p50DurationMs", "p99DurationMs", "billedSumMs", "maxMemoryUsed", "memorySize"]),
  },
  bounded: { coldStarts: "invocations" },
};

const summaryRow = z.object({
  invocations: insightsCount,
  coldStarts: insightsCount,
  avgInitMs: optionalNumber,
  p99InitMs: optionalNumber,
  p50DurationMs: optionalNumber,
  p99DurationMs: optionalNumber,
  billedSumMs: optionalNumber,
  maxMemoryUsed: optionalNumber,
  memorySize: optionalNumber,
});

export interface FunctionLogSummary {
  invocations: number;
  coldStarts: number;
  avgInit: Ms | null;
  p99Init: Ms | null;
  p50Duration: Ms | null;
  p99Duration: Ms | null;
  billedSum: Ms;
  maxMemoryUsed: Mb | null;
  memorySize: Mb | null;
}

export const EMPTY_LOG_SUMMARY: FunctionLogSummary = {
  invocations: 0,
  coldStarts: 0,
  avgInit: null,
  p99Init: null,
  p50Duration: null,
  p99Duration: null,
  billedSum: ms(0),
  maxMemoryUsed: null,
  memorySize: null,
};

/**
 * The single row of `functionSummaryQuery`: no row at all means no REPORT line in the window (zero, exactly);
 * a row without the query's shape, or several rows, throws "Unavailable" with the reason.
 */
export function readFunctionSummary(rows: readonly InsightsRow[], format: LogFormat): FunctionLogSummary {
  if (rows.length > 1)
    throw unreadableRows(`Logs Insights returned ${rows.length} rows for a query that has one`);
  const [d] = readAllRows(rows, (row) => readStatsRow(row, SUMMARY_SHAPE, summaryRow));
  if (d === undefined) return EMPTY_LOG_SUMMARY;
  const div = FIELDS[format].memDiv;
  return {
    invocations: d.invocations,
    coldStarts: d.coldStarts,
    avgInit: toMs(d.avgInitMs),
    p99Init: toMs(d.p99InitMs),
    p50Duration: toMs(d.p50DurationMs),
    p99Duration: toMs(d.p99DurationMs),
    billedSum: ms(d.billedSumMs ?? 0),
    maxMemoryUsed: toMb(d.maxMemoryUsed, div),
    memorySize: toMb(d.memorySize, div),
  };
}

const MARKER_SHAPE: StatsShape = { always: ["marker", "n"] };
const markerRow = z.object({
  marker: z.enum(["Task timed out", "signal: killed", "Runtime.OutOfMemory"]),
  n: insightsCount,
});

/**
 * Rows of `failureMarkersQuery` → counts of timeouts and OOM kills. No row is none of either; a row with another
 * marker or a non-numeric count throws "Unavailable" with the reason.
 */
export function readFailureMarkers(rows: readonly InsightsRow[]): { timeouts: number; oom: number } {
  let timeouts = 0;
  let oom = 0;
  for (const row of readAllRows(rows, (r) => readStatsRow(r, MARKER_SHAPE, markerRow))) {
    if (row.marker === "Task timed out") timeouts += row.n;
    else oom += row.n;
  }
  return { timeouts, oom };
}

/** The bin for a cold-start series when `groups` groups share one query and Insights returns ≤ 10,000 rows. */
export const MAX_INSIGHTS_ROWS = 10_000;
export const binPointsBudget = (groupsPerQuery: number): number =>
  Math.max(1, Math.floor(MAX_INSIGHTS_ROWS / Math.max(1, groupsPerQuery)));
