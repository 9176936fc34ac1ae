/**
 * Reassembles invocations from a request's (or a window's) log events.
 *
 * Invariants:
 * - An `Invocation` exists only for a request whose REPORT (or platform.report) was seen: that is the line that
 *   carries duration, billing and memory. Requests with lines but no REPORT are listed in `incomplete`.
 * - A line without a request id (an OOM kill on older runtimes) belongs to the request running in its log stream:
 *   one execution environment serves one request at a time, between its START and its REPORT.
 * - Status precedence: oom > timeout > error > success, because an OOM kill also reports `error` and a timeout
 *   may be followed by a runtime error line.
 * - Cold start: an Init Duration or a SnapStart Restore Duration (a restore replaces init) on the REPORT.
 */
import type { EpochMs } from "../units";
import { parseLogLine } from "./report-line";
import type { Invocation, InvocationStatus, LogEvent, PlatformStatus, ReportRecord } from "./types";

export interface AssembledInvocations {
  /** Ordered by end (REPORT) time. */
  invocations: Invocation[];
  /** Request ids seen without a REPORT: still running, or their REPORT fell outside the window. */
  incomplete: string[];
  /** Lines that claimed to be platform records but were malformed. */
  parseErrors: number;
}

interface Pending {
  start: EpochMs | null;
  version: string | null;
  report: { at: EpochMs; record: ReportRecord } | null;
  platformStatus: PlatformStatus | null;
  errorType: string | null;
  timedOut: boolean;
  oom: boolean;
  unhandledError: boolean;
}

const pending = (): Pending => ({
  start: null,
  version: null,
  report: null,
  platformStatus: null,
  errorType: null,
  timedOut: false,
  oom: false,
  unhandledError: false,
});

export function assembleInvocations(events: readonly LogEvent[]): AssembledInvocations {
  // Stable sort: events with equal timestamps keep the order CloudWatch returned them in.
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i);
  const byRequest = new Map<string, Pending>();
  const running = new Map<string, string>();
  let parseErrors = 0;
  const get = (id: string) => {
    let p = byRequest.get(id);
    if (p === undefined) byRequest.set(id, (p = pending()));
    return p;
  };

  for (const { e } of ordered) {
    const line = parseLogLine(e.message);
    const stream = e.logStream ?? "";
    switch (line.kind) {
      case "parseError":
        parseErrors++;
        break;
      case "start": {
        const p = get(line.requestId);
        p.start = e.timestamp;
        p.version = line.version;
        running.set(stream, line.requestId);
        break;
      }
      case "report": {
        get(line.requestId).report = { at: e.timestamp, record: line };
        if (running.get(stream) === line.requestId) running.delete(stream);
        break;
      }
      case "runtimeDone": {
        const p = get(line.requestId);
        p.platformStatus = line.status;
        p.errorType ??= line.errorType;
        break;
      }
      case "timeout":
      case "oom": {
        const id = line.requestId ?? running.get(stream);
        if (id === undefined) break;
        const p = get(id);
        if (line.kind === "timeout") p.timedOut = true;
        else p.oom = true;
        break;
      }
      case "app": {
        if (line.unhandledError === null) break;
        const id = line.requestId ?? running.get(stream);
        if (id === undefined) break;
        const p = get(id);
        p.unhandledError = true;
        p.errorType ??= line.unhandledError.errorType;
        break;
      }
      case "end":
      case "initStart":
      case "platformOther":
        break;
    }
  }

  const invocations: Invocation[] = [];
  const incomplete: string[] = [];
  for (const [requestId, p] of byRequest) {
    if (p.report === null) incomplete.push(requestId);
    else invocations.push(toInvocation(requestId, p, p.report.at, p.report.record));
  }
  invocations.sort((a, b) => a.end - b.end);
  return { invocations, incomplete, parseErrors };
}

function toInvocation(requestId: string, p: Pending, end: EpochMs, r: ReportRecord): Invocation {
  const errorType = r.errorType ?? p.errorType;
  return {
    requestId,
    version: p.version,
    start: p.start,
    end,
    duration: r.duration,
    billedDuration: r.billedDuration,
    memorySize: r.memorySize,
    maxMemoryUsed: r.maxMemoryUsed,
    initDuration: r.initDuration,
    restoreDuration: r.restoreDuration,
    coldStart: r.initDuration !== null || r.restoreDuration !== null,
    traceId: r.traceId,
    status: statusOf(p, r, errorType),
    errorType,
  };
}

function statusOf(p: Pending, r: ReportRecord, errorType: string | null): InvocationStatus {
  if (p.oom || (errorType !== null && /OutOfMemory/.test(errorType))) return "oom";
  if (p.timedOut || r.status === "timeout" || p.platformStatus === "timeout") return "timeout";
  if (p.unhandledError || r.status === "error" || p.platformStatus === "error") return "error";
  return "success";
}
