/**
 * X-Ray trace ids as Lambda prints them: `1-5759e988-bd862e3fe1be46a994272793` on REPORT lines, and inside an
 * `X-Amzn-Trace-Id` header value (`Root=1-…;Parent=…;Sampled=1`) in the JSON log format.
 */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

export const isTraceId = (value: string): boolean => TRACE_ID.test(value);

export interface TraceHeader {
  root: string | null;
  parent: string | null;
  sampled: boolean | null;
}

/** Parses `Root=…;Parent=…;Sampled=1` (order-free, extra keys ignored). A malformed Root becomes null. */
export function parseTraceHeader(value: string): TraceHeader {
  const fields = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const root = fields.get("Root");
  const sampled = fields.get("Sampled");
  return {
    root: root !== undefined && isTraceId(root) ? root : null,
    parent: fields.get("Parent") ?? null,
    sampled: sampled === "1" ? true : sampled === "0" ? false : null,
  };
}
