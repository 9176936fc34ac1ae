/**
 * Why a request whose logs carry a trace id has no trace to show. The reasons are checked from the most certain
 * to the least: X-Ray's retention (the id's own time says it), the function's tracing mode (PassThrough: the caller
 * decides), the request not being sampled (its REPORT line or platform record says so), then Transaction Search (the spans were not found in
 * `aws/spans` either). What none of them explains is said as unknown, never as one of them.
 *
 * Sources: X-Ray keeps traces for 30 days (X-Ray developer guide, "Data retention"); Lambda writes
 * `XRAY TraceId … Sampled: true` on a sampled request's REPORT line, `Sampled=1` in the JSON format's tracing
 * header; with tracing PassThrough Lambda records no segment unless the caller sampled the request.
 */
import { parseLogLine } from "../telemetry/report-line";
import { traceIdEpochSeconds } from "./ids";

export const XRAY_RETENTION_MS = 30 * 24 * 3_600_000;

export type MissingTraceReason =
  "expired" | "not-sampled" | "pass-through" | "transaction-search" | "unknown";

export interface MissingTrace {
  reason: MissingTraceReason;
  message: string;
}

export interface MissingTraceFacts {
  traceId: string;
  /** From the request's REPORT / platform.report: true, false, or null when not found or not said. */
  sampled: boolean | null;
  tracing: "Active" | "PassThrough" | null;
  /** The region sends spans to CloudWatch Logs and the retrieval from `aws/spans` found none. */
  transactionSearch: boolean;
  now: number;
}

/**
 * `sampled` of the request's REPORT line (text or JSON) among its log lines; null when there is none or it does
 * not say (no `Sampled:` field, no tracing header): unknown is not "not sampled", the trace is still looked up.
 */
export function sampledFromLogs(lines: readonly { text: string }[], requestId: string): boolean | null {
  for (const l of lines) {
    const p = parseLogLine(l.text);
    if (p.kind === "report" && p.requestId === requestId) return p.sampled;
  }
  return null;
}

export function explainMissingTrace(f: MissingTraceFacts): MissingTrace {
  const startedMs = traceIdEpochSeconds(f.traceId) * 1000;
  if (Number.isFinite(startedMs) && f.now - startedMs > XRAY_RETENTION_MS) {
    return {
      reason: "expired",
      message: `Trace ${f.traceId} started more than 30 days ago: X-Ray keeps traces for 30 days.`,
    };
  }
  if (f.tracing === "PassThrough" && f.sampled === false) {
    return {
      reason: "pass-through",
      message: `Trace ${f.traceId} was not recorded: the function's tracing is PassThrough, so Lambda records a trace only when the caller sampled the request.`,
    };
  }
  if (f.tracing === "PassThrough" && f.sampled === null) {
    // Looked up and not found, and the logs do not say whether the caller sampled it: the likely reason, as such.
    return {
      reason: "pass-through",
      message: `Trace ${f.traceId} was not found: the function's tracing is PassThrough, so Lambda records a trace only when the caller sampled the request, and its REPORT line does not say whether it was sampled.`,
    };
  }
  if (f.sampled === false) {
    return {
      reason: "not-sampled",
      message: `Trace ${f.traceId} was not sampled: the request's REPORT line does not say "Sampled: true", so no segment was recorded.`,
    };
  }
  if (f.transactionSearch) {
    return {
      reason: "transaction-search",
      message: `Trace ${f.traceId} is not in X-Ray and could not be retrieved: this region uses Transaction Search, X-Ray indexes only a share of the traces, and its spans were not found in aws/spans around the request's time.`,
    };
  }
  return {
    reason: "unknown",
    message: `X-Ray has no trace ${f.traceId}: segments can arrive a minute late, or were not sent.`,
  };
}
