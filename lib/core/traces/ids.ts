/**
 * Identifiers a person pastes into the console: X-Ray trace ids and Lambda request ids. Validated before any
 * AWS call so a typo gets a clear message instead of an empty search.
 */
import { invalidInput } from "../errors";
import { isTraceId } from "../telemetry/trace-header";

/** Lambda request ids are UUIDs (lowercase hex as Lambda prints them; we accept either case). */
const REQUEST_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseTraceId(value: string): string {
  const v = value.trim();
  if (!isTraceId(v)) {
    throw invalidInput(
      `"${v.slice(0, 80)}" is not an X-Ray trace id: expected 1-<8 hex digits>-<24 hex digits>, like 1-5759e988-bd862e3fe1be46a994272793.`,
      { value: v.slice(0, 80) },
    );
  }
  return v;
}

export function parseRequestId(value: string): string {
  const v = value.trim();
  if (!REQUEST_ID.test(v)) {
    throw invalidInput(
      `"${v.slice(0, 80)}" is not a Lambda request id: expected a UUID like c6af9ac6-7b61-11e6-9a41-93e812345678.`,
      { value: v.slice(0, 80) },
    );
  }
  return v.toLowerCase();
}

/** What a pasted id looks like: lets one search box take either. */
export function classifyId(value: string): "trace" | "request" | null {
  const v = value.trim();
  if (isTraceId(v)) return "trace";
  if (REQUEST_ID.test(v)) return "request";
  return null;
}

/** X-Ray trace ids start with the epoch second the trace started (hex): a free, exact time hint. */
export function traceIdEpochSeconds(traceId: string): number {
  return Number.parseInt(traceId.slice(2, 10), 16);
}
