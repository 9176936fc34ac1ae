/**
 * A function's recent traces from Transaction Search's `aws/spans` (one Logs Insights query), for regions where
 * X-Ray indexes only a share of the traces: the Lambda SERVER root spans of the function, newest first, read into
 * the same TraceSummary rows GetTraceSummaries gives.
 *
 * Invariants: the function name reaches the query only through `insightsString` (escaped, checked by
 * literal-safety.ts), so user text is never query syntax; a row without a valid trace id or start is dropped,
 * never shown with invented values; a duration or status the span did not record is absent, not zero.
 */
import { insightsString } from "../query/insights";
import type { InsightsRow } from "../query/insights-rows";
import { epochMs, ms } from "../units";
import { xrayTraceIdOf } from "./otel";
import type { TraceSummary } from "./types";

export const SPANS_LIST_LIMIT = 50;

/** Filters the span query can answer; any other filter is X-Ray's (its filter expressions read annotations). */
export interface SpansListFilter {
  faults?: boolean;
}

export function spansTraceListQuery(functionName: string, filter: SpansListFilter = {}): string {
  const conditions = [`kind = "SERVER"`, `name = ${insightsString(functionName)}`];
  if (filter.faults) conditions.push(`status.code = "ERROR"`);
  return [
    "fields traceId, startTimeUnixNano, durationNano, status.code, attributes.faas.coldstart",
    `| filter ${conditions.join(" and ")}`,
    "| sort @timestamp desc",
    `| limit ${SPANS_LIST_LIMIT}`,
  ].join("\n");
}

const NANOS = /^\d{1,20}$/;
const nanosToMs = (v: string | undefined): number | null =>
  v !== undefined && NANOS.test(v) ? Number(BigInt(v) / 1000n) / 1000 : null;

/** One row → one summary; null when the row has no valid trace id or start. */
export function spansRowToSummary(row: InsightsRow, functionName: string): TraceSummary | null {
  const traceId = row.traceId;
  const start = nanosToMs(row.startTimeUnixNano);
  if (traceId === undefined || !/^[0-9a-f]{32}$/.test(traceId) || start === null) return null;
  const duration = nanosToMs(row.durationNano);
  const cold = row["attributes.faas.coldstart"];
  return {
    id: xrayTraceIdOf(traceId),
    start: epochMs(start),
    duration: duration === null ? null : ms(duration),
    responseTime: duration === null ? null : ms(duration),
    hasError: false,
    hasFault: row["status.code"] === "ERROR",
    hasThrottle: false,
    isPartial: false,
    httpStatus: null,
    annotations: cold === "1" || cold === "true" ? { coldStart: [true] } : {},
    entryPoint: functionName,
    services: [functionName],
    resourceArns: [],
  };
}
