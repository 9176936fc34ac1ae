/**
 * One untrusted log line (a row of the error query) → a typed error event, or null when the line is not an
 * error. Knows the shapes Lambda and its runtimes write: REPORT `Status: timeout|error` and JSON
 * platform.report / platform.runtimeDone status (both read by lib/core/telemetry's parseLogLine, the one parser
 * of those records), `Task timed out after N seconds`, `Runtime exited with error`
 * (`signal: killed` is an OOM kill), unhandled errors of Node (`ERROR\tInvoke Error \t{…}`), Python
 * (`[ERROR] Type: msg` + traceback), Java and Ruby (`{"errorType":…,"errorMessage":…,"stackTrace":[…]}`),
 * JSON-format application lines with `level` ERROR, Powertools (`exception_name`, `exception`).
 *
 * Invariants:
 * - Total: any string (huge, binary, JSON that lies about its types) gives an event or null, never a throw.
 *   Only platform text lines and platform JSON records (by `type`) can say timeout or OOM; an application line
 *   is unhandled or logged, whatever it claims. (So the timeout / OOM lines are matched here, anchored, rather
 *   than by telemetry's markers, which also read them inside an application line's message.)
 * - Every field of the event is bounded and sanitized (normalize.ts); the request id is taken from @requestId,
 *   else from the line itself, and kept only when it looks like an id; the version comes from the log stream
 *   name `YYYY/MM/DD/[version]…`.
 */
import { parseLogLine } from "../telemetry/report-line";
import type { ParsedLine } from "../telemetry/types";
import type { ErrorEvent, ErrorKind, ErrorLine, EvidenceDetail } from "./types";
import { firstLine, MAX_SAMPLE, sanitize, topInAppFrame } from "./normalize";

/** CloudWatch Logs events are at most 256 KB; anything longer is not parsed as JSON. */
const MAX_JSON = 262_144;
const MAX_TYPE = 200;
/** A REPORT line is a few hundred characters; a longer one is cut before its labels are scanned. */
const MAX_REPORT = 4_000;

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9-]{7,63}$/;
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const STREAM_VERSION = /^\d{4}\/\d\d\/\d\d\/\[(\$LATEST|\d{1,10})\]/;
const TYPE_NAME = /^[A-Za-z_$][\w$.<>:-]{0,199}$/;

export const TIMEOUT_TYPE = "Sandbox.Timedout";
export const OOM_TYPE = "Runtime.OutOfMemory";

const requestIdOf = (v: unknown): string | null => (typeof v === "string" && REQUEST_ID.test(v) ? v : null);

function traceIdOf(v: unknown): string | null {
  if (typeof v !== "string" || v.length > 500) return null;
  if (TRACE_ID.test(v)) return v;
  const root = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})(?:;|$)/.exec(v);
  return root ? root[1]! : null;
}

const typeOf = (v: unknown, fallback: string): string =>
  typeof v === "string" && TYPE_NAME.test(v.trim()) ? v.trim().slice(0, MAX_TYPE) : fallback;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A stack as lines: an array of strings (Node `stack`, Java `stackTrace`, Python's list) or one string. */
function stackLines(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.slice(0, 200).filter((x): x is string => typeof x === "string");
  return [];
}

interface Found {
  kind: ErrorKind;
  detail: EvidenceDetail;
  errorType: string;
  message: string;
  requestId: string | null;
  traceId: string | null;
  stack: string[];
}

const found = (f: Partial<Found> & Pick<Found, "kind" | "detail" | "errorType" | "message">): Found => ({
  requestId: null,
  traceId: null,
  stack: [],
  ...f,
});

/**
 * A platform verdict, read by the console's own line parser (lib/core/telemetry: REPORT by label in Text,
 * platform.report / platform.runtimeDone through their zod schemas in JSON): only a failed status is an error.
 * A record that parser calls malformed is no event here either.
 */
function platformVerdict(p: ParsedLine): Found | null {
  if (p.kind !== "report" && p.kind !== "runtimeDone") return null;
  if (p.status !== "timeout" && p.status !== "error") return null;
  const requestId = requestIdOf(p.requestId);
  const traceId = traceIdOf(p.traceId);
  if (p.status === "timeout")
    return found({
      kind: "timeout",
      detail: "status",
      errorType: TIMEOUT_TYPE,
      message: "Task timed out",
      requestId,
      traceId,
    });
  const errorType = typeOf(p.errorType, "Error");
  if (errorType === OOM_TYPE)
    return found({ kind: "oom", detail: "status", errorType, message: OOM_TYPE, requestId, traceId });
  return found({
    kind: "unhandled",
    detail: "status",
    errorType,
    message: `Status: error (${errorType})`,
    requestId,
    traceId,
  });
}

/** `<time> <request id> Task timed out after 3.00 seconds`. */
function timeoutLine(msg: string): Found | null {
  const m = /^(?:(\S{1,64})\s+)?(?:(\S{1,64})\s+)?(Task timed out after [\d.]{1,20} seconds)/.exec(
    msg.slice(0, 500),
  );
  if (!m) return null;
  return found({
    kind: "timeout",
    detail: "line",
    errorType: TIMEOUT_TYPE,
    message: m[3]!,
    requestId: requestIdOf(m[2]) ?? requestIdOf(m[1]),
  });
}

/** `RequestId: … Error: Runtime exited with error: signal: killed` (OOM) or `… exit status 1` (a crash). */
function runtimeExit(msg: string): Found | null {
  const head = msg.slice(0, 1_000);
  // The platform's own line: `RequestId: <id> Error: Runtime exited with error: …` (never one quoted inside JSON).
  const m = /^(?:RequestId: \S{1,64} )?(?:Error: )?Runtime exited with error: ([^\n"]{0,200})/.exec(head);
  if (!m) return null;
  const requestId = requestIdOf(/RequestId: (\S{1,64})/.exec(head)?.[1]);
  const message = `Runtime exited with error: ${m[1]!.trim()}`;
  if (/^signal: killed\b/.test(m[1]!.trim()))
    return found({ kind: "oom", detail: "line", errorType: OOM_TYPE, message, requestId });
  return found({ kind: "unhandled", detail: "line", errorType: "Runtime.ExitError", message, requestId });
}

const ERROR_LEVELS = new Set(["ERROR", "FATAL", "CRITICAL"]);

/** A JSON line written by the function or its runtime (platform records are read before, by platformVerdict). */
function jsonLine(o: Record<string, unknown>): Found | null {
  if (typeof o.type === "string" && o.type.startsWith("platform.")) return null;
  const levelRaw = o.level ?? o.log_level ?? o.levelname ?? o.severity;
  const level = typeof levelRaw === "string" ? levelRaw.toUpperCase() : null;
  const isErrorLevel = level !== null && ERROR_LEVELS.has(level);
  const errorMessage = str(o.errorMessage);
  const requestId =
    requestIdOf(o.requestId) ??
    requestIdOf(o.function_request_id) ??
    requestIdOf(o.AWSRequestId) ??
    requestIdOf(o.request_id);
  const traceId = traceIdOf(o.xray_trace_id) ?? traceIdOf(o.traceId) ?? traceIdOf(o["_X_AMZN_TRACE_ID"]);
  // The runtime's own report of an unhandled error (Node, Python, Java, Ruby): errorType + errorMessage.
  if (typeof o.errorType === "string" && errorMessage !== null && (level === null || isErrorLevel)) {
    return found({
      kind: "unhandled",
      detail: "line",
      errorType: typeOf(o.errorType, "Error"),
      message: errorMessage,
      requestId,
      traceId,
      stack: stackLines(o.stackTrace ?? o.stack),
    });
  }
  if (!isErrorLevel) return null;
  const error = typeof o.error === "object" && o.error !== null ? (o.error as Record<string, unknown>) : null;
  const message = str(o.message) ?? str(o.msg) ?? str(error?.message) ?? "";
  return found({
    kind: "logged",
    detail: "line",
    errorType: typeOf(
      o.exception_name ?? o.errorType ?? error?.type ?? error?.name,
      leadingType(message) ?? "Error",
    ),
    message,
    requestId,
    traceId,
    stack: [...stackLines(o.exception), ...stackLines(o.stack ?? o.stackTrace), ...stackLines(error?.stack)],
  });
}

/** `TypeError: …` → TypeError, for a logged message that names its error first. */
function leadingType(message: string): string | null {
  const m = /^([A-Za-z_$][\w$.]{0,150}(?:Error|Exception|Fault))(?::|\s|$)/.exec(message.trimStart());
  return m ? m[1]! : null;
}

function parseObject(s: string): Record<string, unknown> | null {
  if (s.length > MAX_JSON) return null;
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Node text format: `<ISO time>\t<request id>\tERROR\t<message>`. */
function nodeText(msg: string): Found | null {
  const m = /^(\d{4}-\d\d-\d\dT[^\t]{1,40})\t([^\t]{1,64})\t(ERROR|FATAL)\t/.exec(msg);
  if (!m) return null;
  const requestId = requestIdOf(m[2]);
  const rest = msg.slice(m[0].length);
  if (/^(Invoke Error|Unhandled Promise Rejection|Uncaught Exception)\s*\t/.test(rest)) {
    const o = parseObject(rest.slice(rest.indexOf("\t") + 1).trim());
    if (o && typeof o.errorType === "string") {
      return found({
        kind: "unhandled",
        detail: "line",
        errorType: typeOf(o.errorType, "Error"),
        message: str(o.errorMessage) ?? "",
        requestId,
        stack: stackLines(o.stack ?? o.stackTrace),
      });
    }
  }
  return found({
    kind: "logged",
    detail: "line",
    errorType: leadingType(rest) ?? "Error",
    message: rest,
    requestId,
    stack: [rest],
  });
}

/** Python text format: `[ERROR]\t<time>\t<request id>\t<message>` (logger.error) or `[ERROR] Type: msg` + traceback (unhandled). */
function pythonText(msg: string): Found | null {
  const logged = /^\[(ERROR|CRITICAL)\]\t([^\t]{1,40})\t([^\t]{1,64})\t/.exec(msg);
  if (logged) {
    const rest = msg.slice(logged[0].length);
    return found({
      kind: "logged",
      detail: "line",
      errorType: leadingType(rest) ?? "Error",
      message: rest,
      requestId: requestIdOf(logged[3]),
      stack: [rest],
    });
  }
  const unhandled = /^\[ERROR\] ([A-Za-z_][\w.]{0,150}): ?/.exec(msg);
  if (!unhandled) return null;
  return found({
    kind: "unhandled",
    detail: "line",
    errorType: typeOf(unhandled[1], "Error"),
    message: msg.slice(unhandled[0].length),
    stack: [msg],
  });
}

/** Ruby: `Error raised from handler method\n{"errorMessage":…,"errorType":"Function<…>","stackTrace":[…]}`; Java likewise. */
function embeddedJson(msg: string): Found | null {
  const i = msg.indexOf("{");
  if (i <= 0 || i > 200) return null;
  const o = parseObject(msg.slice(i).trim());
  return o ? jsonLine(o) : null;
}

function classifyMessage(msg: string): Found | null {
  if (msg.startsWith("REPORT ")) return platformVerdict(parseLogLine(msg.slice(0, MAX_REPORT)));
  const t = msg.trimStart();
  if (t.startsWith("{")) {
    const o = parseObject(t.trimEnd());
    if (o === null) return null;
    // A platform record: the telemetry parser's reading (the size is already bounded by parseObject).
    if (typeof o.type === "string" && o.type.startsWith("platform.")) return platformVerdict(parseLogLine(t));
    return jsonLine(o);
  }
  return nodeText(msg) ?? pythonText(msg) ?? timeoutLine(msg) ?? runtimeExit(msg) ?? embeddedJson(msg);
}

/** The version a log stream names: `2024/05/01/[7]0123…` → "7", `[$LATEST]` → "$LATEST". */
export function versionOfStream(stream: string | null): string | null {
  if (stream === null) return null;
  return STREAM_VERSION.exec(stream)?.[1] ?? null;
}

export function classifyLine(line: ErrorLine): ErrorEvent | null {
  try {
    if (typeof line.message !== "string" || !Number.isFinite(line.atMs)) return null;
    const f = classifyMessage(line.message);
    if (f === null) return null;
    return {
      kind: f.kind,
      detail: f.detail,
      atMs: line.atMs,
      requestId: requestIdOf(line.requestId) ?? f.requestId,
      version: versionOfStream(line.logStream),
      traceId: f.traceId,
      errorType: sanitize(f.errorType, MAX_TYPE),
      message: sanitize(firstLine(f.message), MAX_SAMPLE),
      frame: topInAppFrame(f.stack),
    };
  } catch {
    // Total by construction; a bug here must cost one line, never the window.
    return null;
  }
}
