/**
 * One request's log lines, from the events of its log stream: every line from its START to its REPORT (and, for a
 * cold start, from the INIT_START / RESTORE_START before it: the init's or restore's records and log lines), each
 * with a level and, for JSON, a pretty-printed body.
 *
 * Invariants:
 * - An execution environment runs one request at a time, so a stream's lines between a request's START and
 *   REPORT are that request's, including lines that do not carry its id (a Python traceback).
 * - Without its START in the events (it fell outside the window) the selection starts at the first line that
 *   mentions the request id; without its REPORT it runs to the last such line. `complete` says which ends were
 *   seen.
 * - Log text is untrusted: it is returned as text, never interpreted; JSON is re-serialised only if it parses.
 */
import type { EpochMs } from "../units";
import { parseLogLine } from "../telemetry/report-line";
import type { LogEvent } from "../telemetry/types";

export type LogLevel = "error" | "warn" | "info" | "debug" | "trace";

export interface RequestLogLine {
  time: EpochMs;
  /** The platform's own lines (START, END, REPORT, INIT_START, platform.*). */
  platform: boolean;
  level: LogLevel | null;
  /** The message as written (trailing newline trimmed). */
  text: string;
  /** The JSON body, pretty-printed, when the message is (or ends in) a JSON object. */
  json: string | null;
}

export interface RequestLogs {
  lines: RequestLogLine[];
  complete: { start: boolean; report: boolean };
}

const LEVELS: Record<string, LogLevel> = {
  FATAL: "error",
  CRITICAL: "error",
  ERROR: "error",
  WARN: "warn",
  WARNING: "warn",
  INFO: "info",
  DEBUG: "debug",
  TRACE: "trace",
};

export function selectRequestLogs(events: readonly LogEvent[], requestId: string): RequestLogs {
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i);
  const parsed = ordered.map(({ e }) => ({ e, line: parseLogLine(e.message) }));
  const startAt = parsed.findIndex((p) => p.line.kind === "start" && p.line.requestId === requestId);
  const reportAt = parsed.findIndex((p) => p.line.kind === "report" && p.line.requestId === requestId);
  const mentions = parsed.flatMap((p, i) => (p.e.message.includes(requestId) ? [i] : []));
  let from = startAt !== -1 ? startAt : (mentions[0] ?? -1);
  const to = reportAt !== -1 ? reportAt : (mentions.at(-1) ?? -1);
  if (from === -1 || to < from) return { lines: [], complete: { start: false, report: false } };
  const stream = parsed[from]?.e.logStream;
  if (startAt !== -1) from = coldStartFrom(parsed, from, stream);

  const lines: RequestLogLine[] = [];
  for (let i = from; i <= to; i++) {
    const p = parsed[i]!;
    // Other streams' lines can share the window; this request's lines are in its own stream.
    if (stream !== undefined && p.e.logStream !== undefined && p.e.logStream !== stream) continue;
    lines.push(toRequestLine(p.e, p.line));
  }
  return { lines, complete: { start: startAt !== -1, report: reportAt !== -1 } };
}

/** Platform records of a cold start (init, SnapStart restore, extensions), written before its START. */
const COLD_START_RECORD =
  /^(INIT_|RESTORE_|EXTENSION|TELEMETRY|platform\.(init|restore|extension|telemetry))/;
/** Lines looked back over from a START for its cold start's records (init logs included). */
const MAX_PREAMBLE_LINES = 200;

/**
 * Where a START's cold start began: the INIT_START / RESTORE_START (platform.initStart / restoreStart) before
 * it in its stream, over the init's own records and log lines; the START itself when the walk back reaches
 * the previous request's lines first (a warm start).
 */
function coldStartFrom(
  parsed: readonly { e: LogEvent; line: ReturnType<typeof parseLogLine> }[],
  from: number,
  stream: string | undefined,
): number {
  for (let i = from - 1; i >= 0 && from - i <= MAX_PREAMBLE_LINES; i--) {
    const p = parsed[i]!;
    if (stream !== undefined && p.e.logStream !== undefined && p.e.logStream !== stream) continue;
    const k = p.line.kind;
    if (k === "initStart") return i;
    if (k === "platformOther" && /^(RESTORE_START|platform\.restoreStart)$/.test(p.line.type)) return i;
    if (k === "platformOther" && COLD_START_RECORD.test(p.line.type)) continue;
    if (k === "app" && p.line.requestId === null) continue;
    break;
  }
  return from;
}

function toRequestLine(e: LogEvent, line: ReturnType<typeof parseLogLine>): RequestLogLine {
  const text = e.message.replace(/\s+$/, "");
  const json = prettyJson(text);
  const platform = line.kind !== "app" && line.kind !== "parseError" && !isAppJson(json);
  let level: LogLevel | null = null;
  if (line.kind === "app" && line.level !== null) level = LEVELS[line.level.toUpperCase()] ?? null;
  if (level === null && json !== null) level = jsonLevel(text);
  if (line.kind === "timeout" || line.kind === "oom" || (line.kind === "report" && line.status === "error")) {
    level = "error";
  }
  return { time: e.timestamp, platform, level, text, json };
}

/** A JSON line the function wrote (has a level or message, not a `platform.*` type). */
const isAppJson = (json: string | null) => json !== null && !/"type":\s*"platform\./.test(json);

function jsonLevel(text: string): LogLevel | null {
  const m = /"(?:level|levelname|severity)"\s*:\s*"([A-Za-z]+)"/.exec(text);
  return m?.[1] === undefined ? null : (LEVELS[m[1].toUpperCase()] ?? null);
}

/** The whole message if it is a JSON object, else a JSON object after the last tab (`…\tInvoke Error \t{…}`). */
export function prettyJson(text: string): string | null {
  const candidates = [text.trim()];
  const tab = text.lastIndexOf("\t");
  if (tab !== -1) candidates.push(text.slice(tab + 1).trim());
  for (const c of candidates) {
    if (!c.startsWith("{") || !c.endsWith("}")) continue;
    try {
      const v: unknown = JSON.parse(c);
      if (typeof v === "object" && v !== null) return JSON.stringify(v, null, 2);
    } catch {
      // not JSON after all: shown as text
    }
  }
  return null;
}
