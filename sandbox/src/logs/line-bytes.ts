/**
 * The bytes of an invocation's log lines, without rendering the frequent ones: an Insights scan that renders
 * only the lines that can match its filter (or none, reading REPORT cursors) still reports bytesScanned as the
 * sum of every scanned line's message length, exactly as if it had rendered them all.
 *
 * Invariant: `lineBytes(fn, inv, except)` equals the summed `message.length` of the lines
 * `renderInvocation(fn, inv)` writes whose kind is not in `except`. The frequent lines (START and END, the
 * application and downstream lines, the Text REPORT) are measured from their parts, mirroring render.ts's
 * templates; the rare ones (INIT_START, timeout, OOM and error lines, handled-error lines, JSON platform lines:
 * initStart, the init/restore reports, start, runtimeDone, report) are rendered by render.ts's own builders and
 * measured. The render tests check the sum against rendering.
 */
import type { FunctionVersion, SimFunction } from "../fleet/model";
import { preludeMs } from "../sim/detail";
import type { Invocation } from "../sim/types";
import {
  APP_MESSAGES,
  errorLines,
  hash32,
  initReportMessages,
  initStartMessage,
  intLength,
  MAX_DOWNSTREAM_LINES,
  oomMessage,
  completedMessage,
  reportAt,
  reportMessage,
  runtimeDoneAt,
  runtimeDoneMessage,
  startMessage,
  textReportLength,
  timeoutMessage,
  versionOf,
  type LineKind,
} from "./render";
import { loggedErrorAt, loggedErrorLine } from "./handled-errors";

/** Characters JSON.stringify escapes (or may: lone surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s).length`, building the string only when s has something to escape. */
const jsonString = (s: string): number => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s).length : s.length + 2);

/**
 * jsonString() of the strings a fleet's configuration repeats on every line (function names, span kinds,
 * resources, operations, outcomes), remembered: a Map hit is cheaper than the scan. Bounded, in case a caller
 * passes unbounded strings.
 */
const known = new Map<string, number>();
function jsonConfigString(s: string): number {
  let n = known.get(s);
  if (n === undefined) {
    if (known.size >= 10_000) known.clear();
    known.set(s, (n = jsonString(s)));
  }
  return n;
}

/**
 * `JSON.stringify(n).length` (String(n), null when not finite), without printing the numbers the simulator
 * writes: integers and values with at most two decimals (span durations are rounded to hundredths). Below
 * 1e12 doubles are spaced far under 0.005, so such a value's shortest round-trip form is its cents form.
 */
export function jsonNumber(x: number): number {
  if (!Number.isFinite(x)) return 4;
  const sign = x < 0 ? 1 : 0;
  const a = Math.abs(x);
  if (Number.isInteger(a) && a < 1e15) return sign + intLength(a);
  const cents = Math.round(a * 100);
  if (a < 1e12 && cents / 100 === a)
    return sign + intLength(Math.floor(cents / 100)) + (cents % 10 === 0 ? 2 : 3);
  return String(x).length;
}

const MIN_ISO_MS = Date.UTC(0, 0, 1);
const MAX_ISO_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** `new Date(ms).toISOString().length`: 24, or 27 with an expanded (±YYYYYY) year. */
const isoLength = (ms: number): number => (ms >= MIN_ISO_MS && ms <= MAX_ISO_MS ? 24 : 27);

const len = (...literals: string[]) => literals.reduce((n, s) => n + s.length, 0);
// Fixed parts of render.ts's templates.
const TEXT_START = len("START RequestId: ", " Version: ", "\n");
const TEXT_END = len("END RequestId: ", "\n");
const JSON_APP = len('{"timestamp":', ',"level":', ',"requestId":', ',"message":', "}") + 2;
const DOWNSTREAM =
  len('{"level":', ',"message":', ',"service":', ',"timestamp":', ',"function_request_id":') +
  len(',"xray_trace_id":', ',"downstream":{"kind":', ',"resource":', ',"operation":', ',"durationMs":') +
  len(',"outcome":', ',"httpStatus":', "}}") +
  2 + // the timestamp's quotes
  2 + // the two spaces inside "kind operation outcome"
  2; // that message's quotes

/** appLine(): a console.log / logger.info line of `msg` at `at`. */
function appLineBytes(
  fn: SimFunction,
  inv: Invocation,
  v: FunctionVersion,
  at: number,
  level: string,
  msg: string,
) {
  if (fn.logFormat === "JSON") {
    return JSON_APP + isoLength(at) + jsonString(level) + jsonString(inv.requestId) + jsonString(msg);
  }
  // `[LEVEL]\t<iso>\t<id>\t<msg>\n` (Python) or `<iso>\t<id>\t<LEVEL>\t<msg>\n`.
  const python = (v.runtime ?? "").startsWith("python");
  return (python ? 6 : 4) + level.length + isoLength(at) + inv.requestId.length + msg.length;
}

/** applicationLines(): the handler's own lines, in either format. */
function applicationBytes(fn: SimFunction, inv: Invocation, v: FunctionVersion, from: number, to: number) {
  const h = hash32(inv.requestId);
  const clamp = (t: number) => Math.min(to, Math.max(from, Math.round(t)));
  let n = appLineBytes(fn, inv, v, from, "INFO", APP_MESSAGES[h % APP_MESSAGES.length]!);
  const spans = Math.min(inv.downstream.length, MAX_DOWNSTREAM_LINES);
  if (spans > 0) {
    // What every downstream line of this invocation repeats: level's length ("INFO"/"WARN"), service, ids.
    const shared =
      DOWNSTREAM + 6 + jsonConfigString(fn.name) + jsonString(inv.requestId) + jsonString(inv.traceId);
    for (let i = 0; i < spans; i++) {
      const span = inv.downstream[i]!;
      const parts =
        jsonConfigString(span.kind) + jsonConfigString(span.operation) + jsonConfigString(span.outcome);
      n +=
        shared +
        isoLength(clamp(from + span.offsetMs + span.durationMs)) +
        // The message "kind operation outcome" is one string (its parts escaped, their quotes dropped; DOWNSTREAM
        // has its spaces and quotes), then the same three are fields of their own.
        (parts - 6) +
        parts +
        jsonConfigString(span.resource) +
        jsonNumber(span.durationMs) +
        jsonNumber(span.httpStatus);
    }
  }
  if (inv.outcome === "success" && h % 5 === 0) {
    n += appLineBytes(fn, inv, v, to, "INFO", completedMessage(inv));
  }
  if (inv.outcome === "error") for (const l of errorLines(fn, inv, v, to)) n += l.message.length;
  n += loggedErrorLine(fn, inv, v, loggedErrorAt(from, to))?.length ?? 0;
  return n;
}

/** Total message length of the lines renderInvocation(fn, inv) writes, leaving out the kinds in `except`. */
export function lineBytes(fn: SimFunction, inv: Invocation, except: ReadonlySet<LineKind>): number {
  const v = versionOf(fn, inv.version);
  const json = fn.logFormat === "JSON";
  const arrival = Math.round(inv.startMs);
  const handlerStart = Math.round(inv.startMs + preludeMs(inv));
  const end = reportAt(inv);
  const done = runtimeDoneAt(inv);
  let n = 0;
  const prelude = inv.initDurationMs !== null || inv.restoreDurationMs != null;
  if (prelude && v.runtime !== null && !except.has("INIT_START")) {
    n += initStartMessage(fn, inv, v.runtime, arrival).length;
  }
  if (json && prelude && !except.has("INIT_REPORT")) {
    for (const m of initReportMessages(inv, handlerStart)) n += m.length;
  }
  if (!except.has("START")) {
    n += json
      ? startMessage(fn, inv, handlerStart).length
      : TEXT_START + inv.requestId.length + inv.version.length;
  }
  if (!except.has("APP")) n += applicationBytes(fn, inv, v, handlerStart, done);
  if (!json && inv.outcome === "timeout" && !except.has("TIMEOUT")) n += timeoutMessage(inv, v, end).length;
  if (!json && inv.outcome === "oom" && !except.has("OOM")) n += oomMessage(inv).length;
  if (!json && !except.has("END")) n += TEXT_END + inv.requestId.length;
  if (json && !except.has("RUNTIME_DONE")) n += runtimeDoneMessage(inv, handlerStart, done).length;
  if (!except.has("REPORT")) n += json ? reportMessage(fn, inv, end).length : textReportLength(inv);
  return n;
}
