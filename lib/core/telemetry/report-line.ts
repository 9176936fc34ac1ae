/**
 * Parses one CloudWatch Logs message written by (or for) a Lambda function into a `LogLine`, in either log
 * format: Text (`START`, `END`, `REPORT`, `INIT_START`, timeout and OOM markers, runtime-prefixed app lines) or
 * JSON (`platform.*` events and structured app lines).
 *
 * Invariants:
 * - Total: never throws on untrusted text. A line that claims to be a platform record but is malformed yields a
 *   `ParseError`; any other line is an `app` line.
 * - Fields are read by label (label-scan.ts) or by JSON key, never by position.
 */
import { parseJsonLine } from "./platform-json";
import { firstToken, parseMbValue, parseMsValue, scanLabels } from "./label-scan";
import { parseError, parseMarkerOrApp, parsePlatformStatus } from "./markers";
import { isTraceId } from "./trace-header";
import type { LogLine, ParsedLine } from "./types";

const REPORT_LABELS = [
  "RequestId",
  "Duration",
  "Billed Duration",
  "Memory Size",
  "Max Memory Used",
  "Init Duration",
  "Restore Duration",
  "Billed Restore Duration",
  "XRAY TraceId",
  "SegmentId",
  "Sampled",
  "Status",
  "Error Type",
] as const;

export function parseLogLine(message: string): ParsedLine {
  const text = message.replace(/^\uFEFF/, "").trim();
  if (text === "") return parseError("empty line", message);
  if (text.startsWith("{")) {
    const json = parseJsonLine(text);
    if (json !== null) return json;
  }
  const head = /^([A-Z_]+)\b/.exec(text)?.[1];
  switch (head) {
    case "REPORT":
      return parseReportText(text);
    case "START":
      return parseStartText(text);
    case "END":
      return parseEndText(text);
    case "INIT_START":
      return parseInitStartText(text);
    case "INIT_REPORT":
    case "RESTORE_START":
    case "RESTORE_REPORT":
    case "EXTENSION":
    case "TELEMETRY":
      return { kind: "platformOther", type: head, requestId: null, time: null };
    default:
      return parseMarkerOrApp(text);
  }
}

function parseReportText(text: string): ParsedLine {
  const f = scanLabels(text, REPORT_LABELS);
  const requestId = firstToken(f.get("RequestId"));
  const duration = parseMsValue(f.get("Duration"));
  const billedDuration = parseMsValue(f.get("Billed Duration"));
  const memorySize = parseMbValue(f.get("Memory Size"));
  const maxMemoryUsed = parseMbValue(f.get("Max Memory Used"));
  if (requestId === null) return parseError("REPORT without RequestId", text);
  if (duration === null || billedDuration === null)
    return parseError("REPORT without a valid Duration", text);
  if (memorySize === null || maxMemoryUsed === null)
    return parseError("REPORT without valid memory fields", text);
  const traceId = firstToken(f.get("XRAY TraceId"));
  const sampled = firstToken(f.get("Sampled"));
  return {
    kind: "report",
    time: null,
    requestId,
    duration,
    billedDuration,
    memorySize,
    maxMemoryUsed,
    initDuration: parseMsValue(f.get("Init Duration")),
    restoreDuration: parseMsValue(f.get("Restore Duration")),
    billedRestoreDuration: parseMsValue(f.get("Billed Restore Duration")),
    traceId: traceId !== null && isTraceId(traceId) ? traceId : null,
    segmentId: firstToken(f.get("SegmentId")),
    sampled: sampled === "true" ? true : sampled === "false" ? false : null,
    status: parsePlatformStatus(firstToken(f.get("Status")) ?? undefined),
    errorType: firstToken(f.get("Error Type")),
  };
}

function parseStartText(text: string): ParsedLine {
  const f = scanLabels(text, ["RequestId", "Version"]);
  const requestId = firstToken(f.get("RequestId"));
  if (requestId === null) return parseError("START without RequestId", text);
  return { kind: "start", requestId, version: firstToken(f.get("Version")), time: null };
}

function parseEndText(text: string): ParsedLine {
  const requestId = firstToken(scanLabels(text, ["RequestId"]).get("RequestId"));
  if (requestId === null) return parseError("END without RequestId", text);
  return { kind: "end", requestId, time: null };
}

function parseInitStartText(text: string): LogLine {
  const f = scanLabels(text, ["Runtime Version", "Runtime Version ARN", "Function Version"]);
  return {
    kind: "initStart",
    runtimeVersion: firstToken(f.get("Runtime Version")),
    runtimeVersionArn: firstToken(f.get("Runtime Version ARN")),
    functionVersion: firstToken(f.get("Function Version")),
    time: null,
  };
}
