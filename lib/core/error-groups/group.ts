/**
 * The error events of one window → ErrorGroupRow[] per (function, version, minute, fingerprint).
 *
 * Invariants:
 * - Each failing request is counted ONCE, in exactly one failure group: its kind is the strongest evidence it
 *   left (timeout > oom > unhandled; a timed-out request's error line does not make it "unhandled" too), its
 *   group is taken from its most detailed line of that kind (the runtime's line over a bare REPORT status), its
 *   minute is that of its last failure line (the REPORT's, as the REPORT rollups count it). So the failure
 *   kinds of a function-minute are comparable to the Errors metric.
 * - ERROR lines of a request that did not fail are `logged` groups; a request is counted once per logged group
 *   however many such lines it wrote. A failed request's extra ERROR lines are not counted again.
 * - A line that names no request (a Python traceback) is its own request.
 * - Only minutes in [window.start, window.end) are returned; output is sorted and deterministic. The caller
 *   passes the lines of a lookback before the window and a lookahead after it too (lib/collector/errors.ts), so
 *   a request whose lines straddle an edge is grouped from all of them and counted in one window only.
 */
import { fingerprint, normalizeMessage } from "./normalize";
import type { ErrorEvent, ErrorGroupRow, ErrorKind } from "./types";

const MINUTE = 60_000;
const MAX_EXAMPLES = 3;
const FAILURE_RANK: Partial<Record<ErrorKind, number>> = { timeout: 3, oom: 2, unhandled: 1 };

/** An event of a known function (the caller maps its log group to the function). */
export type FunctionErrorEvent = ErrorEvent & { fn: string };

function compareEvents(a: FunctionErrorEvent, b: FunctionErrorEvent): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  const ra = a.requestId ?? "";
  const rb = b.requestId ?? "";
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** The events of one request that decide its group: the strongest failure kind, its most detailed line first. */
function failureOf(events: readonly FunctionErrorEvent[]): FunctionErrorEvent[] {
  let best = 0;
  for (const e of events) best = Math.max(best, FAILURE_RANK[e.kind] ?? 0);
  if (best === 0) return [];
  const of = events.filter((e) => (FAILURE_RANK[e.kind] ?? 0) === best);
  const lines = of.filter((e) => e.detail === "line");
  return lines.length > 0 ? lines : of;
}

export function groupErrors(
  at: { account: string; region: string },
  events: readonly FunctionErrorEvent[],
  window: { start: number; end: number },
): ErrorGroupRow[] {
  const sorted = [...events].sort(compareEvents);
  const byRequest = new Map<string, FunctionErrorEvent[]>();
  sorted.forEach((e, i) => {
    const key = e.requestId === null ? `\u0001${i}` : `${e.fn}\u0000${e.requestId}`;
    const list = byRequest.get(key);
    if (list) list.push(e);
    else byRequest.set(key, [e]);
  });

  const rows = new Map<string, ErrorGroupRow>();
  const add = (lead: FunctionErrorEvent, all: readonly FunctionErrorEvent[], atMs: number) => {
    const t = Math.floor(atMs / MINUTE) * MINUTE;
    if (t < window.start || t >= window.end) return;
    const version = all.find((e) => e.version !== null)?.version ?? null;
    const pattern = normalizeMessage(lead.message);
    const fp = fingerprint({ kind: lead.kind, errorType: lead.errorType, pattern, frame: lead.frame });
    const key = [lead.fn, version ?? "", t, fp].join("\u0000");
    let row = rows.get(key);
    if (!row) {
      row = {
        account: at.account,
        region: at.region,
        fn: lead.fn,
        version,
        t,
        fingerprint: fp,
        kind: lead.kind,
        errorType: lead.errorType,
        pattern,
        sample: lead.message,
        frame: lead.frame,
        count: 0,
        firstMs: atMs,
        lastMs: atMs,
        examples: [],
      };
      rows.set(key, row);
    }
    row.count++;
    row.firstMs = Math.min(row.firstMs, atMs);
    row.lastMs = Math.max(row.lastMs, atMs);
    const requestId = lead.requestId;
    if (requestId !== null && row.examples.length < MAX_EXAMPLES)
      row.examples.push({ requestId, atMs, traceId: all.find((e) => e.traceId !== null)?.traceId ?? null });
  };

  for (const events of byRequest.values()) {
    const failure = failureOf(events);
    if (failure.length > 0) {
      const failed = events.filter((e) => e.kind !== "logged");
      add(failure[0]!, events, Math.max(...failed.map((e) => e.atMs)));
      continue;
    }
    // Did not fail: once per logged group, at its first line.
    const seen = new Set<string>();
    for (const e of events) {
      const k = `${normalizeMessage(e.message)}\u0000${e.errorType}\u0000${e.frame ?? ""}`;
      if (seen.has(k)) continue;
      seen.add(k);
      add(e, events, e.atMs);
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.t - b.t ||
      (a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0) ||
      (a.version ?? "").localeCompare(b.version ?? "") ||
      b.count - a.count ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}
