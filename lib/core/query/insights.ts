/**
 * CloudWatch Logs Insights query text. Every user-supplied value goes through `insightsString` (a quoted,
 * escaped literal) or `insightsField` (a validated identifier); the templates interpolate nothing else.
 *
 * Invariants:
 * - `insightsString(v)` yields `"…"` in which `\` and `"` are backslash-escaped and LF and TAB are written as
 *   `\n` and `\t`; any other control character (CR included) or a lone surrogate is InvalidInput. So the literal ends
 *   exactly at its closing quote, whatever `v` contains (`|`, `" or true`, newlines, unicode).
 * - Numbers interpolated into queries are finite (and integers where Insights expects one).
 * - Log group names are not part of the query text (they go in StartQuery's logGroupNames) but are validated
 *   here too, against the CloudWatch Logs name rule.
 */
import { invalidInput } from "../errors";
import type { Ms, Seconds } from "../units";
import { assertSafeText } from "./literal-safety";

export function insightsString(value: string): string {
  assertSafeText(value, "A query value");
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/** Plain or discovered field names (`@duration`, `record.requestId`); anything else needs backticks we refuse. */
const FIELD = /^@?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function insightsField(name: string): string {
  if (!FIELD.test(name))
    throw invalidInput(`"${name.slice(0, 40)}" is not a valid Logs Insights field name.`);
  return name;
}

export function insightsNumber(n: number): string {
  if (!Number.isFinite(n)) throw invalidInput("A query number must be finite.");
  return String(n);
}

function insightsLimit(n: number): string {
  // Logs Insights returns at most 10,000 rows per query.
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw invalidInput("limit must be an integer in 1..10000.");
  return String(n);
}

/** Log group names: 1–512 of `[.\-_/#A-Za-z0-9]` (CreateLogGroup). */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function validateLogGroupName(name: string): string {
  if (!LOG_GROUP.test(name)) throw invalidInput(`"${name.slice(0, 60)}" is not a valid log group name.`);
  return name;
}

/** Insights reports `@log` as `<account-id>:<log-group-name>`; the group name is what the console keys on. */
export function logGroupFromLogField(value: string): string {
  const m = /^\d{12}:(.+)$/.exec(value);
  return m?.[1] ?? value;
}

/** `bin()` argument for a period: whole hours or minutes where possible (`5m`, `1h`), else seconds. */
export function insightsBin(period: Seconds): string {
  if (!Number.isInteger(period) || period < 1)
    throw invalidInput("A bin period must be a positive whole second.");
  if (period % 3600 === 0) return `${period / 3600}h`;
  if (period % 60 === 0) return `${period / 60}m`;
  return `${period}s`;
}

const lines = (...parts: string[]) => parts.join("\n| ");

/** Columns of a fleet REPORT aggregation row (memory in bytes, as Insights reports it; times in ms). */
export const FLEET_REPORT_COLUMNS = [
  "invocations",
  "coldStarts",
  "avgInitMs",
  "p99InitMs",
  "maxInitMs",
  "maxMemoryUsedBytes",
  "memorySizeBytes",
  "p99DurationMs",
  "billedDurationMs",
] as const;

/**
 * One row per log group (`@log`) over the queried window: invocations, cold starts and init, memory, billed time.
 * The data that has no CloudWatch metric (init, memory used) comes from here.
 */
export function fleetReportQuery(): string {
  return lines(
    'filter @type = "REPORT"',
    "stats count(*) as invocations, count(@initDuration) as coldStarts, " +
      "avg(@initDuration) as avgInitMs, pct(@initDuration, 99) as p99InitMs, max(@initDuration) as maxInitMs, " +
      "max(@maxMemoryUsed) as maxMemoryUsedBytes, max(@memorySize) as memorySizeBytes, " +
      "pct(@duration, 99) as p99DurationMs, sum(@billedDuration) as billedDurationMs by @log",
  );
}

/** Invocations and cold starts per time bin for one function's group(s), for the cold-start chart. */
export function coldStartSeriesQuery(period: Seconds): string {
  return lines(
    'filter @type = "REPORT"',
    `stats count(*) as invocations, count(@initDuration) as coldStarts, avg(@initDuration) as avgInitMs by bin(${insightsBin(period)})`,
  );
}

export interface RecentInvocationsOptions {
  limit: number;
  /** Only cold starts (REPORT lines with Init Duration). */
  coldOnly?: boolean;
  minDuration?: Ms;
  /** Order: newest first (default) or slowest first. */
  order?: "recent" | "slowest";
}

export const RECENT_INVOCATION_FIELDS = [
  "@timestamp",
  "@requestId",
  "@duration",
  "@billedDuration",
  "@memorySize",
  "@maxMemoryUsed",
  "@initDuration",
  "@xrayTraceId",
  "@logStream",
] as const;

/** The latest (or slowest) REPORT lines of a function: one row per invocation. */
export function recentInvocationsQuery(options: RecentInvocationsOptions): string {
  const parts = [`fields ${RECENT_INVOCATION_FIELDS.join(", ")}`, 'filter @type = "REPORT"'];
  if (options.coldOnly === true) parts.push("filter ispresent(@initDuration)");
  if (options.minDuration !== undefined)
    parts.push(`filter @duration >= ${insightsNumber(options.minDuration)}`);
  parts.push(options.order === "slowest" ? "sort @duration desc" : "sort @timestamp desc");
  parts.push(`limit ${insightsLimit(options.limit)}`);
  return lines(...parts);
}

/**
 * Every line of one request. `@requestId` covers platform and runtime-prefixed lines; the phrase match covers
 * structured and custom lines that carry the id only in their text.
 */
export function requestLinesQuery(requestId: string, limit = 1000): string {
  const id = insightsString(requestId);
  return lines(
    "fields @timestamp, @message, @logStream, @requestId",
    `filter @requestId = ${id} or @message like ${id}`,
    "sort @timestamp asc",
    `limit ${insightsLimit(limit)}`,
  );
}

/** An arbitrary equality filter on a validated field, for callers composing their own query. */
export function insightsEquals(field: string, value: string | number): string {
  const rhs = typeof value === "number" ? insightsNumber(value) : insightsString(value);
  return `${insightsField(field)} = ${rhs}`;
}
