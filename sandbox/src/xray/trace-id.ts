/**
 * X-Ray trace ids: `1-<8 hex: epoch seconds of the trace start>-<24 hex>`. The embedded start second is what
 * lets BatchGetTraces go straight to one simulated minute instead of scanning the retention window.
 */
const TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

/** Epoch seconds encoded in a trace id, or null when the id is not in X-Ray's format. */
export function traceStartSeconds(traceId: string): number | null {
  const m = TRACE_ID.exec(traceId);
  return m?.[1] === undefined ? null : Number.parseInt(m[1], 16);
}

export const isTraceId = (traceId: string) => TRACE_ID.test(traceId);
