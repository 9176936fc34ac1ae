/**
 * Renders one simulated Invocation as the log events Lambda writes for it, in the function's log group and
 * the invocation's log stream.
 *
 * Invariants:
 * - Pure and deterministic: the same (function, invocation) always yields the same events, byte for byte.
 * - Timing follows the invocation: INIT_START at arrival, START after init, application lines inside the
 *   handler window, END and REPORT at handler end (arrival + init + duration). Timestamps never decrease
 *   within an invocation and are whole milliseconds, as CloudWatch Logs stores them.
 * - Duration (REPORT, platform.report) is the whole invoke phase, the runtime's part and then its overhead;
 *   the runtime's part ends at runtimeDoneAt(): platform.runtimeDone's durationMs is Duration less the X-Ray
 *   `Overhead` subsegment's length (runtimeOverheadMs, which xray/segments.ts draws), so REPORT − runtimeDone
 *   in the logs is the trace's Overhead. The handler's own lines end there too.
 * - Exactly one REPORT (text) or platform.report (JSON) event per invocation: counting them counts invocations.
 * - Text lines keep Lambda's exact layout (tab separators, trailing tab and newline, the XRAY part on a second
 *   line of the same event) so that parsers written against real AWS logs parse these too.
 * - JSON format writes the platform records AWS writes there (telemetry-schema-reference): on a cold start
 *   platform.initStart at arrival, then platform.initRuntimeDone and platform.initReport when init ends
 *   (platform.restore* on a SnapStart restore); platform.start; the handler's lines; platform.runtimeDone
 *   (with its responseLatency / responseDuration spans) and platform.report at handler end, report last.
 * - A handled error (VersionBehaviour.loggedErrorRate) is one Powertools `level: ERROR` application line of a
 *   successful invocation; it never changes the outcome, so the Errors metric does not count it.
 * - `seq` is a line's place in the full rendering, and lineCount() / line-bytes.ts count every line written
 *   here: a new line kind must be added to all three.
 */
import { createHash } from "node:crypto";
import type { FunctionVersion, SimFunction } from "../fleet/model";
import { preludeMs } from "../sim/detail";
import { failureStack } from "../sim/failures";
import type { DownstreamSpan, Invocation } from "../sim/types";
import { unit } from "../xray/hash";
import { loggedError, loggedErrorAt, loggedErrorLine } from "./handled-errors";

export interface LogEvent {
  timestamp: number; // epoch ms
  ingestionTime: number; // epoch ms, a little after timestamp
  logStreamName: string;
  message: string;
  /** Ordering key (with timestamp): the invocation and the line's place in it. */
  requestId: string;
  seq: number;
}

/** At most this many downstream calls are logged per invocation (keeps the volume realistic and scans fast). */
export const MAX_DOWNSTREAM_LINES = 3;

export function compareEvents(a: LogEvent, b: LogEvent): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.requestId !== b.requestId) return a.requestId < b.requestId ? -1 : 1;
  return a.seq - b.seq;
}

/** When the handler finished: the timestamp of END and REPORT. */
export function invocationEndMs(inv: Invocation): number {
  return Math.round(inv.startMs + preludeMs(inv) + inv.durationMs);
}

/** The timestamp of END and REPORT as rendered: the handler end, never before the handler start. */
export function reportAt(inv: Invocation): number {
  return Math.max(Math.round(inv.startMs + preludeMs(inv)), invocationEndMs(inv));
}

/**
 * What the runtime spends after the handler's response before it asks for the next event (AWS's X-Ray
 * `Overhead` subsegment): 0.3–2.3 ms, three decimals, stable per trace. xray/segments.ts draws the same value.
 */
export function runtimeOverheadMs(inv: Invocation): number {
  return 0.3 + Math.round(unit(`${inv.traceId}/overhead`) * 2000) / 1000;
}

/**
 * platform.runtimeDone's durationMs: the runtime's part of the invocation, Duration less the overhead (AWS:
 * runtimeDone's metrics cover the runtime's processing of the event; platform.report's Duration the whole
 * invoke phase). Never negative: a Duration shorter than the overhead leaves the runtime 0 ms.
 */
export function runtimeDoneMs(inv: Invocation): number {
  return round3(Math.max(0, inv.durationMs - runtimeOverheadMs(inv)));
}

/** When the runtime was done (platform.runtimeDone, the handler's last lines): a whole ms in [START, REPORT]. */
export function runtimeDoneAt(inv: Invocation): number {
  const start = inv.startMs + preludeMs(inv);
  return Math.min(reportAt(inv), Math.max(Math.round(start), Math.round(start + runtimeDoneMs(inv))));
}

/** CloudWatch Logs ingests a batch shortly after the runtime writes it; the lag is stable per invocation. */
export function ingestionLagMs(inv: Invocation): number {
  return 200 + (hash32(inv.environmentId + inv.requestId) % 700);
}

export function versionOf(fn: SimFunction, version: string): FunctionVersion {
  return fn.versions.find((v) => v.version === version) ?? fn.latest;
}

/** FNV-1a: a cheap deterministic hash for choosing message variants from the request id. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `nodejs22.x` → `nodejs:22.v33`, as INIT_START prints it; the `.vN` build is stable per runtime. */
export function runtimeVersion(runtime: string): string {
  const m = /^([a-z]+?)(\d[\d.]*?)(\.x)?$/.exec(runtime);
  const build = (hash32(runtime) % 40) + 10;
  return m ? `${m[1]}:${m[2]}.v${build}` : `${runtime}.v${build}`;
}

const runtimeDigests = new Map<string, string>();
export function runtimeVersionArn(region: string, runtime: string): string {
  let digest = runtimeDigests.get(runtime);
  if (digest === undefined) {
    digest = createHash("sha256").update(runtime).digest("hex");
    runtimeDigests.set(runtime, digest);
  }
  return `arn:aws:lambda:${region}::runtime:${digest}`;
}

export const APP_MESSAGES = [
  "Received event from API Gateway",
  "Processing batch of SQS records",
  "Handling scheduled EventBridge event",
  "Processing S3 object notification",
  "Handling DynamoDB stream records",
];

/**
 * What a line is; lets a scan render only the kinds it needs (see lineCount). INIT_START is the cold-start line
 * before START: INIT_START, or RESTORE_START on a SnapStart restore. INIT_REPORT (JSON only) is the pair
 * platform.initRuntimeDone + platform.initReport (or platform.restoreRuntimeDone + platform.restoreReport),
 * RUNTIME_DONE (JSON only) platform.runtimeDone.
 */
export type LineKind =
  "INIT_START" | "INIT_REPORT" | "START" | "APP" | "TIMEOUT" | "OOM" | "END" | "RUNTIME_DONE" | "REPORT";

interface Line {
  at: number;
  message: string;
}

/** The number of application lines applicationLines() writes. */
function appLineCount(inv: Invocation, v: FunctionVersion): number {
  let n = 1 + Math.min(inv.downstream.length, MAX_DOWNSTREAM_LINES);
  if (inv.outcome === "success" && hash32(inv.requestId) % 5 === 0) n++;
  if (inv.outcome === "error") n++;
  if (loggedError(inv, v) !== null) n++;
  return n;
}

/** The runtime's own error output for an unhandled function error, per runtime family. */
export function errorLines(fn: SimFunction, inv: Invocation, v: FunctionVersion, at: number): Line[] {
  const type = inv.errorType ?? "Error";
  const msg = inv.errorMessage ?? "Unhandled error";
  const python = (v.runtime ?? "").startsWith("python");
  // The site's own frames (sim/failures.ts) when the type is one of its runtime's; a generic frame otherwise.
  const frames = failureStack(v.runtime, type);
  const pyFrames = frames ?? [
    `  File "/var/task/app.py", line 42, in handler\n    raise ${type}(${JSON.stringify(msg)})\n`,
  ];
  const jsFrames = frames ?? ["    at Runtime.handler (file:///var/task/index.mjs:42:11)"];
  if (fn.logFormat === "JSON") {
    const stackTrace = python ? pyFrames : [`${type}: ${msg}`, ...jsFrames];
    return [
      {
        at,
        message: JSON.stringify({
          timestamp: iso(at),
          level: "ERROR",
          requestId: inv.requestId,
          message: python ? `${type}: ${msg}` : "Invoke Error",
          errorType: type,
          errorMessage: msg,
          stackTrace,
        }),
      },
    ];
  }
  if (python) {
    return [
      {
        at,
        message: `[ERROR] ${type}: ${msg}\nTraceback (most recent call last):\n${pyFrames.join("")}`,
      },
    ];
  }
  const stack = [
    `${type}: ${msg}`,
    ...(frames ?? [
      "    at Runtime.handler (file:///var/task/index.mjs:42:11)",
      "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
    ]),
  ];
  return [
    {
      at,
      message: `${iso(at)}\t${inv.requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: type, errorMessage: msg, stack })}\n`,
    },
  ];
}

/** An application line as the runtime prints console.log / logger.info. */
function appLine(
  fn: SimFunction,
  inv: Invocation,
  v: FunctionVersion,
  at: number,
  level: string,
  msg: string,
) {
  if (fn.logFormat === "JSON") {
    return JSON.stringify({ timestamp: iso(at), level, requestId: inv.requestId, message: msg });
  }
  if ((v.runtime ?? "").startsWith("python")) return `[${level}]\t${iso(at)}\t${inv.requestId}\t${msg}\n`;
  return `${iso(at)}\t${inv.requestId}\t${level}\t${msg}\n`;
}

/** A structured-logger line (Powertools style): raw JSON on stdout, in either log format. */
function downstreamLine(fn: SimFunction, inv: Invocation, span: DownstreamSpan, at: number): string {
  const level = span.outcome === "ok" ? "INFO" : "WARN";
  return JSON.stringify({
    level,
    message: `${span.kind} ${span.operation} ${span.outcome}`,
    service: fn.name,
    timestamp: iso(at),
    function_request_id: inv.requestId,
    xray_trace_id: inv.traceId,
    downstream: {
      kind: span.kind,
      resource: span.resource,
      operation: span.operation,
      durationMs: span.durationMs,
      outcome: span.outcome,
      httpStatus: span.httpStatus,
    },
  });
}

/** The handler's own closing line: what it measured of itself (the runtime's part, not the overhead). */
export const completedMessage = (inv: Invocation): string =>
  `Completed in ${runtimeDoneMs(inv).toFixed(0)} ms`;

function applicationLines(
  fn: SimFunction,
  inv: Invocation,
  v: FunctionVersion,
  from: number,
  to: number,
): Line[] {
  const h = hash32(inv.requestId);
  const clamp = (t: number) => Math.min(to, Math.max(from, Math.round(t)));
  const lines: Line[] = [
    { at: from, message: appLine(fn, inv, v, from, "INFO", APP_MESSAGES[h % APP_MESSAGES.length]!) },
  ];
  for (const span of inv.downstream.slice(0, MAX_DOWNSTREAM_LINES)) {
    const at = clamp(from + span.offsetMs + span.durationMs);
    lines.push({ at, message: downstreamLine(fn, inv, span, at) });
  }
  if (inv.outcome === "success" && h % 5 === 0) {
    lines.push({
      at: to,
      message: appLine(fn, inv, v, to, "INFO", completedMessage(inv)),
    });
  }
  if (inv.outcome === "error") lines.push(...errorLines(fn, inv, v, to));
  const handled = loggedErrorLine(fn, inv, v, loggedErrorAt(from, to));
  if (handled !== null) lines.push({ at: loggedErrorAt(from, to), message: handled });
  // Lines are emitted in time order even when spans overlap (a stable sort: equal times keep push order).
  return lines.sort((a, b) => a.at - b.at);
}

export function tracingHeader(inv: Invocation): string {
  return `Root=${inv.traceId};Parent=${inv.segmentId};Sampled=${inv.sampled ? 1 : 0}`;
}

export function textReport(inv: Invocation): string {
  let s =
    `REPORT RequestId: ${inv.requestId}\tDuration: ${inv.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${inv.billedDurationMs} ms\tMemory Size: ${inv.memorySizeMb} MB\t` +
    `Max Memory Used: ${Math.round(inv.maxMemoryUsedMb)} MB\t`;
  if (inv.initDurationMs !== null) s += `Init Duration: ${inv.initDurationMs.toFixed(2)} ms\t`;
  if (inv.restoreDurationMs != null)
    s +=
      `Restore Duration: ${inv.restoreDurationMs.toFixed(2)} ms\t` +
      `Billed Restore Duration: ${inv.billedRestoreDurationMs ?? 0} ms\t`;
  if (inv.outcome === "timeout") s += "Status: timeout\t";
  if (inv.outcome === "oom") s += "Status: error\tError Type: Runtime.OutOfMemory\t";
  if (inv.sampled) s += `\nXRAY TraceId: ${inv.traceId}\tSegmentId: ${inv.segmentId}\tSampled: true\t`;
  return s + "\n";
}

/** Decimal digits of a non-negative safe integer, else the length String() gives. */
export function intLength(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= 1e15) return String(n).length;
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** `x.toFixed(2).length` without building the string when x already has at most two decimals. */
function fixed2Length(x: number): number {
  const cents = Math.round(x * 100);
  if (x >= 0 && x < 1e15 && cents / 100 === x) return intLength(Math.floor(cents / 100)) + 3;
  return x.toFixed(2).length;
}

/** `textReport(inv).length`, computed: a REPORT-only scan counts the bytes it did not render. */
export function textReportLength(inv: Invocation): number {
  let n =
    "REPORT RequestId: ".length +
    inv.requestId.length +
    "\tDuration: ".length +
    fixed2Length(inv.durationMs) +
    " ms\tBilled Duration: ".length +
    intLength(inv.billedDurationMs) +
    " ms\tMemory Size: ".length +
    intLength(inv.memorySizeMb) +
    " MB\tMax Memory Used: ".length +
    intLength(Math.round(inv.maxMemoryUsedMb)) +
    " MB\t".length;
  if (inv.initDurationMs !== null)
    n += "Init Duration: ".length + fixed2Length(inv.initDurationMs) + " ms\t".length;
  if (inv.restoreDurationMs != null)
    n +=
      "Restore Duration: ".length +
      fixed2Length(inv.restoreDurationMs) +
      " ms\tBilled Restore Duration: ".length +
      intLength(inv.billedRestoreDurationMs ?? 0) +
      " ms\t".length;
  if (inv.outcome === "timeout") n += "Status: timeout\t".length;
  if (inv.outcome === "oom") n += "Status: error\tError Type: Runtime.OutOfMemory\t".length;
  if (inv.sampled) {
    n +=
      "\nXRAY TraceId: ".length +
      inv.traceId.length +
      "\tSegmentId: ".length +
      inv.segmentId.length +
      "\tSampled: true\t".length;
  }
  return n + "\n".length;
}

function jsonReport(inv: Invocation, at: number): string {
  const metrics: Record<string, number> = {
    durationMs: inv.durationMs,
    billedDurationMs: inv.billedDurationMs,
    memorySizeMB: inv.memorySizeMb,
    maxMemoryUsedMB: Math.round(inv.maxMemoryUsedMb),
  };
  if (inv.initDurationMs !== null) metrics.initDurationMs = inv.initDurationMs;
  if (inv.restoreDurationMs != null) {
    metrics.restoreDurationMs = inv.restoreDurationMs;
    metrics.billedRestoreDurationMs = inv.billedRestoreDurationMs ?? 0;
  }
  const status = inv.outcome === "success" ? "success" : inv.outcome === "timeout" ? "timeout" : "error";
  const record: Record<string, unknown> = { requestId: inv.requestId, metrics };
  if (inv.sampled)
    record.tracing = { spanId: inv.segmentId, type: "X-Amzn-Trace-Id", value: tracingHeader(inv) };
  record.status = status;
  if (inv.outcome === "oom") record.errorType = "Runtime.OutOfMemory";
  else if (inv.outcome === "error") record.errorType = inv.errorType ?? "Error";
  return JSON.stringify({ time: iso(at), type: "platform.report", record });
}

/**
 * INIT_START (platform.initStart), written at arrival on a cold start; RESTORE_START (platform.restoreStart) when
 * the cold start restores a SnapStart snapshot instead.
 */
export function initStartMessage(fn: SimFunction, inv: Invocation, runtime: string, at: number): string {
  const rv = runtimeVersion(runtime);
  const arn = runtimeVersionArn(fn.region, runtime);
  if (inv.restoreDurationMs != null) {
    if (fn.logFormat !== "JSON") return `RESTORE_START Runtime Version: ${rv}\tRuntime Version ARN: ${arn}\n`;
    return JSON.stringify({
      time: iso(at),
      type: "platform.restoreStart",
      record: {
        runtimeVersion: rv,
        runtimeVersionArn: arn,
        functionName: fn.name,
        functionVersion: inv.version,
      },
    });
  }
  if (fn.logFormat !== "JSON") return `INIT_START Runtime Version: ${rv}\tRuntime Version ARN: ${arn}\n`;
  return JSON.stringify({
    time: iso(at),
    type: "platform.initStart",
    record: {
      initializationType: "on-demand",
      phase: "init",
      runtimeVersion: rv,
      runtimeVersionArn: arn,
      functionName: fn.name,
      functionVersion: inv.version,
    },
  });
}

/** Whether renderInvocation writes a cold-start prelude's end (INIT_REPORT lines): JSON format, a cold start. */
const hasInitReport = (fn: SimFunction, inv: Invocation): boolean =>
  fn.logFormat === "JSON" && (inv.initDurationMs !== null || inv.restoreDurationMs != null);

/**
 * platform.initRuntimeDone + platform.initReport (INIT_REPORT), or platform.restoreRuntimeDone +
 * platform.restoreReport on a SnapStart restore: JSON format only, written when the init (restore) ends, `at`.
 */
export function initReportMessages(inv: Invocation, at: number): [string, string] {
  const time = iso(at);
  if (inv.restoreDurationMs != null) {
    return [
      JSON.stringify({ time, type: "platform.restoreRuntimeDone", record: { status: "success" } }),
      JSON.stringify({
        time,
        type: "platform.restoreReport",
        record: { status: "success", metrics: { durationMs: inv.restoreDurationMs } },
      }),
    ];
  }
  const phase = { initializationType: "on-demand", phase: "init" };
  return [
    JSON.stringify({ time, type: "platform.initRuntimeDone", record: { ...phase, status: "success" } }),
    JSON.stringify({
      time,
      type: "platform.initReport",
      record: { ...phase, status: "success", metrics: { durationMs: inv.initDurationMs ?? 0 } },
    }),
  ];
}

/** Status of a platform record: what the runtime reported for the invocation. */
const platformStatus = (inv: Invocation): string =>
  inv.outcome === "success" ? "success" : inv.outcome === "timeout" ? "timeout" : "error";

/**
 * platform.runtimeDone (RUNTIME_DONE), JSON format only, at runtimeDoneAt(), before platform.report. Its
 * durationMs is runtimeDoneMs(): REPORT's Duration less the runtime's overhead. A runtime that answered
 * (success, function error) reports the response's size and its two spans (responseLatency until the first
 * byte, responseDuration to send it, both within runtimeDone's duration); a timed-out or killed runtime
 * answered nothing, so it reports neither.
 */
export function runtimeDoneMessage(inv: Invocation, handlerStart: number, at: number): string {
  const answered = inv.outcome === "success" || inv.outcome === "error";
  const h = hash32(inv.requestId);
  const producedBytes =
    inv.outcome === "error"
      ? JSON.stringify({ errorType: inv.errorType, errorMessage: inv.errorMessage }).length
      : 120 + (h % 3000);
  const durationMs = runtimeDoneMs(inv);
  const sendMs = Math.min(durationMs, round3(0.05 + producedBytes / 20_000));
  const latencyMs = round3(Math.max(0, durationMs - sendMs));
  const record: Record<string, unknown> = { requestId: inv.requestId, status: platformStatus(inv) };
  if (inv.sampled)
    record.tracing = { spanId: inv.segmentId, type: "X-Amzn-Trace-Id", value: tracingHeader(inv) };
  if (answered)
    record.spans = [
      { name: "responseLatency", start: iso(handlerStart), durationMs: latencyMs },
      { name: "responseDuration", start: iso(Math.round(handlerStart + latencyMs)), durationMs: sendMs },
    ];
  record.metrics = answered ? { durationMs, producedBytes } : { durationMs };
  return JSON.stringify({ time: iso(at), type: "platform.runtimeDone", record });
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** START (platform.start), written when the handler starts. */
export function startMessage(fn: SimFunction, inv: Invocation, at: number): string {
  if (fn.logFormat !== "JSON") return `START RequestId: ${inv.requestId} Version: ${inv.version}\n`;
  return JSON.stringify({
    time: iso(at),
    type: "platform.start",
    record: {
      requestId: inv.requestId,
      version: inv.version,
      ...(inv.sampled
        ? { tracing: { spanId: inv.segmentId, type: "X-Amzn-Trace-Id", value: tracingHeader(inv) } }
        : {}),
    },
  });
}

/** The runtime's timeout line (Text format only). */
export const timeoutMessage = (inv: Invocation, v: FunctionVersion, at: number): string =>
  `${iso(at)} ${inv.requestId} Task timed out after ${v.timeout.toFixed(2)} seconds\n`;

/** The runtime's OOM-kill line (Text format only). */
export const oomMessage = (inv: Invocation): string =>
  `RequestId: ${inv.requestId} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`;

/** END (Text format only). */
export const endMessage = (inv: Invocation): string => `END RequestId: ${inv.requestId}\n`;

/** The REPORT line (platform.report), written at handler end. */
export const reportMessage = (fn: SimFunction, inv: Invocation, at: number): string =>
  fn.logFormat === "JSON" ? jsonReport(inv, at) : textReport(inv);

export function renderInvocation(fn: SimFunction, inv: Invocation, only?: ReadonlySet<LineKind>): LogEvent[] {
  const want = (k: LineKind) => only === undefined || only.has(k);
  const v = versionOf(fn, inv.version);
  const json = fn.logFormat === "JSON";
  const arrival = Math.round(inv.startMs);
  const handlerStart = Math.round(inv.startMs + preludeMs(inv));
  const end = reportAt(inv);
  const done = runtimeDoneAt(inv);
  // Every line takes its place in the full rendering (seq), rendered or not, so ids and @ptr are stable.
  const lines: (Line & { seq: number })[] = [];
  let seq = 0;
  const push = (l: Line) => lines.push({ ...l, seq: seq++ });

  // The runtime whose INIT_START / RESTORE_START line opens a cold start (container images write none).
  const prelude = inv.initDurationMs !== null || inv.restoreDurationMs != null ? v.runtime : null;
  if (prelude !== null && !want("INIT_START")) seq++;
  if (prelude !== null && want("INIT_START")) {
    push({ at: arrival, message: initStartMessage(fn, inv, prelude, arrival) });
  }
  if (hasInitReport(fn, inv) && !want("INIT_REPORT")) seq += 2;
  if (hasInitReport(fn, inv) && want("INIT_REPORT")) {
    for (const message of initReportMessages(inv, handlerStart)) push({ at: handlerStart, message });
  }
  if (want("START")) push({ at: handlerStart, message: startMessage(fn, inv, handlerStart) });
  else seq++;
  if (want("APP")) for (const l of applicationLines(fn, inv, v, handlerStart, done)) push(l);
  else seq += appLineCount(inv, v);
  if (!json && inv.outcome === "timeout" && !want("TIMEOUT")) seq++;
  if (!json && inv.outcome === "timeout" && want("TIMEOUT")) {
    push({ at: end, message: timeoutMessage(inv, v, end) });
  }
  if (!json && inv.outcome === "oom" && !want("OOM")) seq++;
  if (!json && inv.outcome === "oom" && want("OOM")) {
    push({ at: end, message: oomMessage(inv) });
  }
  if (!json && !want("END")) seq++;
  if (!json && want("END")) push({ at: end, message: endMessage(inv) });
  if (json && !want("RUNTIME_DONE")) seq++;
  if (json && want("RUNTIME_DONE")) push({ at: done, message: runtimeDoneMessage(inv, handlerStart, done) });
  if (want("REPORT")) push({ at: end, message: reportMessage(fn, inv, end) });

  const lag = ingestionLagMs(inv);
  return lines.map((l) => ({
    timestamp: l.at,
    ingestionTime: l.at + lag,
    logStreamName: inv.logStreamName,
    message: l.message,
    requestId: inv.requestId,
    seq: l.seq,
  }));
}

/** How many events renderInvocation(fn, inv) writes, without rendering them (for scan statistics). */
export function lineCount(fn: SimFunction, inv: Invocation): number {
  const v = versionOf(fn, inv.version);
  const text = fn.logFormat !== "JSON";
  let n = 2 + appLineCount(inv, v); // START, REPORT, application lines
  if ((inv.initDurationMs !== null || inv.restoreDurationMs != null) && v.runtime !== null) n++;
  if (hasInitReport(fn, inv)) n += 2;
  if (!text) n++; // platform.runtimeDone
  if (text) n++; // END
  if (text && (inv.outcome === "timeout" || inv.outcome === "oom")) n++;
  return n;
}
