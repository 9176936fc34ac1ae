/**
 * One rule for what a failed OTel span is in X-Ray's terms, used by the span mapper (otel.ts) and the
 * Transaction Search trace list (lib/core/query/trace-spans.ts), so a span reads the same in the list and in the waterfall.
 *
 * X-Ray's rule (developer guide, "Errors, faults and exceptions"): a 4xx response is an error, 429 also a
 * throttle, anything else that failed (5xx, no response, an exception) a fault. A span that did not fail
 * (status UNSET or OK) is none of them, whatever its HTTP status: the instrumentation decides what failed.
 */

export interface SpanFailure {
  /** 4xx (429 included, as X-Ray counts throttles among errors). */
  error: boolean;
  fault: boolean;
  throttle: boolean;
}

export function spanFailure(statusCode: string | null | undefined, httpStatus: number | null): SpanFailure {
  if (statusCode !== "ERROR") return { error: false, fault: false, throttle: false };
  const throttle = httpStatus === 429;
  const error = httpStatus !== null && httpStatus >= 400 && httpStatus < 500;
  return { error, fault: !error, throttle };
}
