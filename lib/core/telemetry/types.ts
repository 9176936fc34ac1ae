/**
 * Domain types for what Lambda writes to CloudWatch Logs. lib/core/telemetry/report-line.ts produces them from
 * untrusted text; nothing here depends on the log format (Text or JSON) a function was configured with.
 */
import type { EpochMs, Mb, Ms, Seconds } from "../units";

/** How an invocation ended, as far as the logs tell. `oom` is an `error` that the runtime was killed for. */
export type InvocationStatus = "success" | "error" | "timeout" | "oom";

/** The platform's own verdict on a REPORT / platform.report / platform.runtimeDone record. */
export type PlatformStatus = "success" | "error" | "timeout";

export interface ReportRecord {
  requestId: string;
  duration: Ms;
  billedDuration: Ms;
  memorySize: Mb;
  maxMemoryUsed: Mb;
  /** Present only on a cold start (on-demand init). */
  initDuration: Ms | null;
  /** SnapStart: restoring the snapshot replaces init. */
  restoreDuration: Ms | null;
  billedRestoreDuration: Ms | null;
  traceId: string | null;
  segmentId: string | null;
  sampled: boolean | null;
  /** Newer runtimes append `Status:` / `Error Type:` to REPORT; older text lines have neither (null). */
  status: PlatformStatus | null;
  errorType: string | null;
}

export type LogLine =
  | { kind: "start"; requestId: string; version: string | null; time: EpochMs | null }
  | { kind: "end"; requestId: string; time: EpochMs | null }
  | ({ kind: "report"; time: EpochMs | null } & ReportRecord)
  | {
      kind: "initStart";
      runtimeVersion: string | null;
      runtimeVersionArn: string | null;
      functionVersion: string | null;
      time: EpochMs | null;
    }
  | {
      kind: "runtimeDone";
      requestId: string;
      status: PlatformStatus;
      errorType: string | null;
      /** The record's `tracing` Root, when it has a valid one. */
      traceId: string | null;
      time: EpochMs | null;
    }
  | { kind: "timeout"; requestId: string | null; after: Seconds; time: EpochMs | null }
  | { kind: "oom"; requestId: string | null; time: EpochMs | null }
  /** Another platform event we recognise but do not use (platform.initReport, platform.restoreStart, …). */
  | { kind: "platformOther"; type: string; requestId: string | null; time: EpochMs | null }
  /** A line the function itself wrote. `error` is set when the runtime reports an unhandled failure. */
  | {
      kind: "app";
      requestId: string | null;
      level: string | null;
      message: string;
      unhandledError: { errorType: string | null } | null;
      time: EpochMs | null;
    };

/** A line that claims to be a platform record but is malformed. Untrusted text never throws. */
export interface ParseError {
  kind: "parseError";
  reason: string;
  /** The first 200 characters, for diagnostics. */
  excerpt: string;
}

export type ParsedLine = LogLine | ParseError;

/** One CloudWatch Logs event as the adapter hands it over. */
export interface LogEvent {
  timestamp: EpochMs;
  message: string;
  /** Lines without a request id are attributed to the request running in their stream. */
  logStream?: string;
}

/** One request reconstructed from its lines. Exists only once the REPORT line was seen. */
export interface Invocation {
  requestId: string;
  /** From `START … Version: N` / platform.start: the version an alias routed this request to. */
  version: string | null;
  start: EpochMs | null;
  end: EpochMs;
  duration: Ms;
  billedDuration: Ms;
  memorySize: Mb;
  maxMemoryUsed: Mb;
  initDuration: Ms | null;
  restoreDuration: Ms | null;
  /** Init (or a SnapStart restore, which replaces init) ran for this request. */
  coldStart: boolean;
  traceId: string | null;
  status: InvocationStatus;
  errorType: string | null;
}
