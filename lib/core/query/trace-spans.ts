/**
 * A function's recent traces from Transaction Search's `aws/spans` (one Logs Insights query), for regions where
 * X-Ray indexes only a share of the traces: the Lambda SERVER root spans of the function, newest first, read into
 * the same TraceSummary rows GetTraceSummaries gives.
 *
 * Invariants: the function name reaches the query only through `insightsString` (escaped, checked by
 * literal-safety.ts), so user text is never query syntax; a row without a valid trace id or start is dropped,
 * never shown with invented values; a duration or status the span did not record is absent, not zero; error,
 * fault and throttle follow the same rule as the waterfall (span-status.ts). The faults filter narrows the query
 * to failed spans; the caller keeps the faults among them (a failed 4xx span is an error, not a fault).
 */
import { insightsString } from "./insights";
import type { InsightsRow } from "./insights-rows";
import { epochMs, ms } from "../units";
import { xrayTraceIdOf } from "../traces/otel";
import { spanFailure } from "../traces/span-status";
import type { TraceSummary } from "../traces/types";

export const SPANS_LIST_LIMIT = 50;

/** The response status, current name first (OTel semantic conventions 1.20 renamed it). */
const HTTP_STATUS_FIELDS = ["attributes.http.response.status_code", "attributes.http.status_code"];

/** Filters the span query can answer; any other filter is X-Ray's (its filter expressions read annotations). */
export interface SpansListFilter {
  faults?: boolean;
}

export function spansTraceListQuery(functionName: string, filter: SpansListFilter = {}): string {
  const conditions = [`kind = "SERVER"`, `name = ${insightsString(functionName)}`];
  if (filter.faults) conditions.push(`status.code = "ERROR"`);
  return [
    "fields traceId, startTimeUnixNano, durationNano, status.code, attributes.faas.coldstart, " +
      `${HTTP_STATUS_FIELDS.join(", ")}`,
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
  const status = HTTP_STATUS_FIELDS.map((f) => row[f]).find((v) => v !== undefined && /^\d{3}$/.test(v));
  // The waterfall's rule (span-status.ts): a 4xx is an error, 429 a throttle, any other failure a fault.
  const failure = spanFailure(row["status.code"], status === undefined ? null : Number(status));
  return {
    id: xrayTraceIdOf(traceId),
    start: epochMs(start),
    duration: duration === null ? null : ms(duration),
    responseTime: duration === null ? null : ms(duration),
    hasError: failure.error,
    hasFault: failure.fault,
    hasThrottle: failure.throttle,
    isPartial: false,
    httpStatus: status === undefined ? null : Number(status),
    annotations: cold === "1" || cold === "true" ? { coldStart: [true] } : {},
    entryPoint: functionName,
    services: [functionName],
    resourceArns: [],
  };
}
