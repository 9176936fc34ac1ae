/**
 * The JSON log format (LoggingConfig.LogFormat = JSON): `platform.*` events from the Lambda platform and
 * structured lines from the function. zod is the trust boundary; unknown keys are ignored so new fields AWS adds
 * do not break parsing.
 */
import { z } from "zod";
import { epochMs, mb, ms, type EpochMs } from "../units";
import { parseError, parseMarkerOrApp, parsePlatformStatus } from "./markers";
import { parseTraceHeader } from "./trace-header";
import type { ParsedLine } from "./types";

const amount = z.number().nonnegative();
const tracing = z.object({ value: z.string().optional(), spanId: z.string().optional() }).optional();
const status = z.enum(["success", "error", "failure", "timeout"]);

const event = z.object({ time: z.string().optional(), type: z.string(), record: z.unknown() });

const reportRecord = z.object({
  requestId: z.string().min(1),
  metrics: z.object({
    durationMs: amount,
    billedDurationMs: amount,
    memorySizeMB: amount,
    maxMemoryUsedMB: amount,
    initDurationMs: amount.optional(),
    restoreDurationMs: amount.optional(),
    billedRestoreDurationMs: amount.optional(),
  }),
  tracing,
  status: status.optional(),
  errorType: z.string().optional(),
});

const startRecord = z.object({ requestId: z.string().min(1), version: z.string().optional(), tracing });
/** One of runtimeDone's `spans` (responseLatency, responseDuration, …); a malformed one reads as null. */
const runtimeDoneSpan = z
  .object({ name: z.string().max(200), start: z.string().max(100), durationMs: z.number() })
  .nullable()
  .catch(null);

/**
 * platform.runtimeDone: the one schema for it, read by the line parser below and by the request timeline
 * (lib/core/traces/platform-records.ts). Only `requestId` is required: any other malformed field reads as
 * absent, so the timeline keeps the record; the line parser also requires a known `status` (parsePlatformStatus).
 * Strings are bounded; numbers (durations) are range-checked by their reader.
 */
export const runtimeDoneRecord = z.object({
  requestId: z.string().min(1).max(200),
  status: z.string().max(200).optional().catch(undefined),
  errorType: z.string().max(200).optional().catch(undefined),
  tracing: tracing.catch(undefined),
  metrics: z.object({ durationMs: z.number().optional() }).optional().catch(undefined),
  spans: z.array(runtimeDoneSpan).max(20).optional().catch(undefined),
});
const initStartRecord = z.object({
  runtimeVersion: z.string().optional(),
  runtimeVersionArn: z.string().optional(),
  functionVersion: z.string().optional(),
});
const anyRecord = z.object({ requestId: z.string().optional() }).catch({});

const appLine = z.object({
  timestamp: z.string().optional(),
  level: z.string().optional(),
  requestId: z.string().optional(),
  message: z.unknown().optional(),
  errorType: z.string().optional(),
  errorMessage: z.unknown().optional(),
  stackTrace: z.unknown().optional(),
});

const isoTime = (value: string | undefined): EpochMs | null => {
  const t = value === undefined ? NaN : Date.parse(value);
  return Number.isFinite(t) ? epochMs(t) : null;
};

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** null: the text is not a JSON object at all, so the caller treats it as text. */
export function parseJsonLine(text: string): ParsedLine | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const platform = event.safeParse(value);
  if (platform.success && platform.data.type.startsWith("platform.")) {
    return parsePlatformEvent(platform.data.type, platform.data.record, isoTime(platform.data.time), text);
  }
  return parseAppJson(value, text);
}

function parsePlatformEvent(type: string, record: unknown, time: EpochMs | null, text: string): ParsedLine {
  switch (type) {
    case "platform.report": {
      const r = reportRecord.safeParse(record);
      if (!r.success)
        return parseError(`malformed platform.report: ${r.error.issues[0]?.message ?? ""}`, text);
      const { metrics: m, tracing: t } = r.data;
      const header = t?.value === undefined ? null : parseTraceHeader(t.value);
      return {
        kind: "report",
        time,
        requestId: r.data.requestId,
        duration: ms(m.durationMs),
        billedDuration: ms(m.billedDurationMs),
        memorySize: mb(m.memorySizeMB),
        maxMemoryUsed: mb(m.maxMemoryUsedMB),
        initDuration: m.initDurationMs === undefined ? null : ms(m.initDurationMs),
        restoreDuration: m.restoreDurationMs === undefined ? null : ms(m.restoreDurationMs),
        billedRestoreDuration: m.billedRestoreDurationMs === undefined ? null : ms(m.billedRestoreDurationMs),
        traceId: header?.root ?? null,
        segmentId: header?.parent ?? orNull(t?.spanId),
        sampled: header?.sampled ?? null,
        status: parsePlatformStatus(r.data.status),
        errorType: orNull(r.data.errorType),
      };
    }
    case "platform.start": {
      const r = startRecord.safeParse(record);
      if (!r.success) return parseError("malformed platform.start", text);
      return { kind: "start", requestId: r.data.requestId, version: orNull(r.data.version), time };
    }
    case "platform.runtimeDone": {
      const r = runtimeDoneRecord.safeParse(record);
      const s = r.success ? parsePlatformStatus(r.data.status) : null;
      if (!r.success || s === null) return parseError("malformed platform.runtimeDone", text);
      const t = r.data.tracing?.value;
      return {
        kind: "runtimeDone",
        requestId: r.data.requestId,
        status: s,
        errorType: orNull(r.data.errorType),
        traceId: t === undefined ? null : parseTraceHeader(t).root,
        time,
      };
    }
    case "platform.initStart": {
      const r = initStartRecord.safeParse(record);
      if (!r.success) return parseError("malformed platform.initStart", text);
      return {
        kind: "initStart",
        runtimeVersion: orNull(r.data.runtimeVersion),
        runtimeVersionArn: orNull(r.data.runtimeVersionArn),
        functionVersion: orNull(r.data.functionVersion),
        time,
      };
    }
    default:
      return { kind: "platformOther", type, requestId: orNull(anyRecord.parse(record).requestId), time };
  }
}

/** A structured function line. Timeout/OOM markers inside its message still count as markers. */
function parseAppJson(value: object, text: string): ParsedLine {
  const r = appLine.safeParse(value);
  if (!r.success) return parseMarkerOrApp(text);
  const message = typeof r.data.message === "string" ? r.data.message : text;
  const marker = parseMarkerOrApp(message);
  const requestId = orNull(r.data.requestId);
  const time = isoTime(r.data.timestamp);
  if (marker.kind === "timeout" || marker.kind === "oom") {
    return { ...marker, requestId: requestId ?? marker.requestId, time: time ?? marker.time };
  }
  // The runtimes print an uncaught error as one object carrying errorType, errorMessage and stackTrace.
  const unhandled = r.data.errorType !== undefined && r.data.stackTrace !== undefined;
  return {
    kind: "app",
    requestId,
    level: orNull(r.data.level)?.toUpperCase() ?? null,
    message,
    unhandledError: unhandled ? { errorType: orNull(r.data.errorType) } : null,
    time,
  };
}
