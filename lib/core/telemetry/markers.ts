/**
 * Pieces shared by the Text and JSON parsers: the ParseError constructor, platform status values, and the
 * timeout / OOM markers and runtime-prefixed app lines that can appear in either format.
 */
import { epochMs, seconds, type EpochMs } from "../units";
import { firstToken, scanLabels } from "./label-scan";
import type { LogLine, ParseError, PlatformStatus } from "./types";

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/;
const TIMEOUT = /Task timed out after (\d+(?:\.\d+)?) seconds/;
/** How Lambda reports an out-of-memory kill: the runtime process is SIGKILLed, or (newer runtimes) an error type. */
const OOM = /Runtime exited with error: signal: killed|Runtime\.OutOfMemory/;
const PYTHON_UNHANDLED = /^\[ERROR\] ([A-Za-z_][\w.]*): [\s\S]*?\nTraceback \(most recent call last\):/;
const LEVELS = new Set(["TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL"]);

export const parseError = (reason: string, input: string): ParseError => ({
  kind: "parseError",
  reason,
  excerpt: input.slice(0, 200),
});

export const parsePlatformStatus = (value: string | undefined): PlatformStatus | null => {
  if (value === "success" || value === "error" || value === "timeout") return value;
  // The Telemetry API also reports "failure" for a platform-side failure; for the console it is an error.
  if (value === "failure") return "error";
  return null;
};

const textTime = (text: string): EpochMs | null => {
  const iso = ISO_TIME.exec(text)?.[0];
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? epochMs(t) : null;
};

/** Request id of a runtime-written line: `RequestId: x` if labelled, else the first UUID in it. */
const lineRequestId = (text: string): string | null =>
  firstToken(scanLabels(text, ["RequestId"]).get("RequestId")) ?? UUID.exec(text)?.[0] ?? null;

/** Timeout / OOM markers, then runtime-prefixed app lines (`ts\tid\tLEVEL\tmsg` or `[LEVEL]\tts\tid\tmsg`). */
export function parseMarkerOrApp(text: string): LogLine {
  const time = textTime(text);
  const timeout = TIMEOUT.exec(text);
  if (timeout?.[1] !== undefined) {
    return { kind: "timeout", requestId: lineRequestId(text), after: seconds(Number(timeout[1])), time };
  }
  if (OOM.test(text)) return { kind: "oom", requestId: lineRequestId(text), time };

  const fields = text.split("\t");
  const level =
    fields
      .slice(0, 4)
      .map((f) => f.replace(/^\[(\w+)\]$/, "$1"))
      .find((f) => LEVELS.has(f)) ?? null;
  const requestId = fields.slice(0, 4).find((f) => UUID.test(f) && f.trim().length === 36) ?? null;
  // Python's runtime prints `[ERROR] Type: message\nTraceback …` (a space, no timestamp or request id) for an
  // error the handler did not catch; a handler's own logger.exception() has the tab-separated prefix instead.
  const python = PYTHON_UNHANDLED.exec(text);
  if (python !== null) {
    return {
      kind: "app",
      requestId: null,
      level: "ERROR",
      message: text,
      unhandledError: { errorType: python[1] ?? null },
      time,
    };
  }
  // Node's runtime prints `ERROR\tInvoke Error \t{"errorType":…}` for an error the handler did not catch.
  const unhandled = level === "ERROR" && /\bInvoke Error\b/.test(text);
  return {
    kind: "app",
    requestId: requestId?.trim() ?? null,
    level,
    message: text,
    unhandledError: unhandled ? { errorType: /"errorType"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? null } : null,
    time,
  };
}
