/**
 * The Lambda platform's lifecycle records among one request's log lines, in either log format, reduced to what a
 * timeline needs: when each phase started, how long AWS says it took, and its status.
 *
 * Text format: INIT_START, INIT_REPORT, RESTORE_START, RESTORE_REPORT, START, REPORT. JSON format (AWS's
 * Telemetry API schemas, as written to CloudWatch Logs): platform.initStart, platform.initRuntimeDone,
 * platform.initReport, platform.restoreStart, platform.restoreRuntimeDone, platform.restoreReport,
 * platform.start, platform.runtimeDone (with its responseLatency / responseDuration spans), platform.report.
 *
 * Invariants:
 * - Total over untrusted text: a malformed record, a non-finite or negative number, a duration longer than any
 *   Lambda phase can last or an unparseable time is dropped (the record, or that one field), never thrown.
 * - `at` is the record's own `time` (JSON), else the log event's timestamp (Text lines carry no time of theirs).
 * - Fields are read by label or key, never by position; unknown keys are ignored.
 */
import { z } from "zod";
import { firstToken, parseMsValue, scanLabels } from "../telemetry/label-scan";
import { runtimeDoneRecord } from "../telemetry/platform-json";
import { parseLogLine } from "../telemetry/report-line";
import { epochMs, ms, type EpochMs, type Ms } from "../units";

/** Longer than any phase can last (invocations stop at 15 min, init and restore at 10 s): a hostile number. */
const MAX_PHASE_MS = 3_600_000;

export interface PlatformSpan {
  name: string;
  start: EpochMs;
  duration: Ms;
}

interface Base {
  at: EpochMs;
  /** The record's name as written: `INIT_START`, `platform.initReport`, … (shown as the phase's source). */
  source: string;
}

export type PlatformRecord =
  | (Base & { type: "initStart" | "restoreStart" })
  | (Base & { type: "initRuntimeDone" | "restoreRuntimeDone"; status: string | null })
  | (Base & { type: "initReport" | "restoreReport"; duration: Ms | null; status: string | null })
  | (Base & { type: "start"; requestId: string })
  | (Base & {
      type: "runtimeDone";
      requestId: string;
      status: string | null;
      duration: Ms | null;
      spans: PlatformSpan[];
    })
  | (Base & {
      type: "report";
      requestId: string;
      duration: Ms;
      initDuration: Ms | null;
      restoreDuration: Ms | null;
      status: string | null;
    });

export interface PlatformLine {
  time: EpochMs;
  text: string;
}

const phaseMs = (n: number | null | undefined): Ms | null =>
  n === null || n === undefined || !Number.isFinite(n) || n < 0 || n > MAX_PHASE_MS ? null : ms(n);

const isoTime = (v: unknown): EpochMs | null => {
  if (typeof v !== "string") return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? epochMs(t) : null;
};

const text = z.string().max(200);
const envelope = z.object({ time: z.unknown().optional(), type: z.string().max(100), record: z.unknown() });
const statusOf = z.object({ status: text.optional() }).catch({});
const metricsOf = z.object({ metrics: z.object({ durationMs: z.unknown().optional() }).catch({}) }).catch({
  metrics: {},
});

/** The platform records among `lines`, in line order; other lines are skipped. */
export function readPlatformRecords(lines: readonly PlatformLine[]): PlatformRecord[] {
  const out: PlatformRecord[] = [];
  for (const line of lines) {
    const r = line.text.trimStart().startsWith("{") ? jsonRecord(line) : textRecord(line);
    if (r !== null) out.push(r);
  }
  return out;
}

function textRecord(line: PlatformLine): PlatformRecord | null {
  const t = line.text.trim();
  const head = /^([A-Z_]+)\b/.exec(t)?.[1];
  const at = line.time;
  switch (head) {
    case "INIT_START":
      return { type: "initStart", at, source: head };
    case "RESTORE_START":
      return { type: "restoreStart", at, source: head };
    case "INIT_REPORT":
    case "RESTORE_REPORT": {
      // `INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout`; `RESTORE_REPORT Restore Duration: …`
      const f = scanLabels(t, ["Init Duration", "Restore Duration", "Status"]);
      const duration = parseMsValue(f.get(head === "INIT_REPORT" ? "Init Duration" : "Restore Duration"));
      return {
        type: head === "INIT_REPORT" ? "initReport" : "restoreReport",
        at,
        source: head,
        duration: phaseMs(duration),
        status: firstToken(f.get("Status")),
      };
    }
    case "START":
    case "REPORT":
      return lifecycleLine(line, head);
    default:
      return null;
  }
}

/** START and REPORT through the console's own line parser (parse by label, in both formats). */
function lifecycleLine(line: PlatformLine, source: string): PlatformRecord | null {
  const p = parseLogLine(line.text);
  const at = p.kind !== "parseError" && p.time !== null ? p.time : line.time;
  if (p.kind === "start") return { type: "start", at, source, requestId: p.requestId };
  if (p.kind !== "report") return null;
  const duration = phaseMs(p.duration);
  if (duration === null) return null;
  return {
    type: "report",
    at,
    source,
    requestId: p.requestId,
    duration,
    initDuration: phaseMs(p.initDuration),
    restoreDuration: phaseMs(p.restoreDuration),
    status: p.status,
  };
}

function jsonRecord(line: PlatformLine): PlatformRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return null;
  }
  const e = envelope.safeParse(value);
  if (!e.success || !e.data.type.startsWith("platform.")) return null;
  const type = e.data.type;
  const record = e.data.record;
  const at = isoTime(e.data.time) ?? line.time;
  const base = { at, source: type };
  const status = statusOf.parse(record).status ?? null;
  const duration = () => {
    const d = metricsOf.parse(record).metrics.durationMs;
    return phaseMs(typeof d === "number" ? d : null);
  };
  switch (type) {
    case "platform.initStart":
      return { ...base, type: "initStart" };
    case "platform.restoreStart":
      return { ...base, type: "restoreStart" };
    case "platform.initRuntimeDone":
      return { ...base, type: "initRuntimeDone", status };
    case "platform.restoreRuntimeDone":
      return { ...base, type: "restoreRuntimeDone", status };
    case "platform.initReport":
      return { ...base, type: "initReport", duration: duration(), status };
    case "platform.restoreReport":
      return { ...base, type: "restoreReport", duration: duration(), status };
    case "platform.runtimeDone": {
      // The line parser's schema (platform-json.ts); its status, metrics and spans are checked here.
      const r = runtimeDoneRecord.safeParse(record);
      if (!r.success) return null;
      return {
        ...base,
        type: "runtimeDone",
        requestId: r.data.requestId,
        status: r.data.status ?? null,
        duration: phaseMs(r.data.metrics?.durationMs),
        spans: spansOf(r.data.spans ?? []),
      };
    }
    case "platform.start":
    case "platform.report":
      return lifecycleLine(line, type);
    default:
      return null;
  }
}

/** runtimeDone's `spans`: each kept only with a name, a valid start time and a sane duration. */
function spansOf(spans: NonNullable<z.infer<typeof runtimeDoneRecord>["spans"]>): PlatformSpan[] {
  const out: PlatformSpan[] = [];
  for (const s of spans) {
    if (s === null) continue;
    const start = isoTime(s.start);
    const duration = phaseMs(s.durationMs);
    if (start !== null && duration !== null) out.push({ name: s.name, start, duration });
  }
  return out;
}
