/**
 * One request's platform phases on a time axis, from its platform log records (platform-records.ts): Init,
 * Restore (SnapStart), Invocation (with runtimeDone's responseLatency / responseDuration spans) and Overhead.
 * What a request page can show when X-Ray has no trace of the request.
 *
 * Invariants:
 * - A phase exists only when a record backs it; each names the records it came from (`source`). A phase no
 *   record backs is absent. A phase (or span) the records give 0 ms is stated as text, never drawn as a bar
 *   (its row has `drawn: false`). Overhead exists only when both the REPORT duration and runtimeDone's
 *   duration are known (it is their difference).
 * - Only this request's START / runtimeDone / REPORT count (by request id); init and restore records count only
 *   before its START (request-logs.ts selects the cold start's records just before it).
 * - Durations are AWS's (report metrics) where given; a record's time places the phase; a phase whose start
 *   was not logged is placed against the next one (init and restore end where the invocation starts).
 * - Layout: every row's [offset, offset + width] lies in [0, 1] of [start, end]; sub-rows are clamped to it.
 */
import { epochMs, ms, type EpochMs, type Ms } from "../units";
import { readPlatformRecords, type PlatformLine, type PlatformRecord } from "./platform-records";

export type PlatformPhaseName = "init" | "restore" | "invocation" | "overhead";

export interface TimelineSpan {
  name: string;
  start: EpochMs;
  duration: Ms;
}

export interface PlatformPhase {
  phase: PlatformPhaseName;
  label: string;
  start: EpochMs;
  duration: Ms;
  /** The records behind the phase, e.g. `platform.initStart → platform.initReport`. */
  source: string;
  status: string | null;
  spans: TimelineSpan[];
}

export interface PlatformTimeline {
  format: "text" | "json";
  phases: PlatformPhase[];
  start: EpochMs;
  end: EpochMs;
  /** What the records could not tell (a missing REPORT, an inconsistent overhead). */
  notes: string[];
}

type Rec<T extends PlatformRecord["type"]> = Extract<PlatformRecord, { type: T }>;

const LABELS: Record<PlatformPhaseName, string> = {
  init: "Init",
  restore: "Restore (SnapStart)",
  invocation: "Invocation",
  overhead: "Overhead",
};

const end = (p: { start: EpochMs; duration: Ms }) => epochMs(p.start + p.duration);

/** null: no platform record of this request among the lines (nothing to draw). */
export function platformTimeline(lines: readonly PlatformLine[], requestId: string): PlatformTimeline | null {
  const records = readPlatformRecords(lines);
  const format = records.some((r) => r.source.startsWith("platform.")) ? "json" : "text";
  const mine = <T extends "start" | "runtimeDone" | "report">(type: T) =>
    records.find((r): r is Rec<T> => r.type === type && r.requestId === requestId) ?? null;
  const start = mine("start");
  const done = mine("runtimeDone");
  const report = mine("report");
  // Init and restore records belong to this request only if they come before its START (or its first record).
  // Never past another request's own record (a hostile or mis-selected set of lines).
  const firstOwn = records.findIndex((r) => "requestId" in r && r.requestId === requestId);
  const other = records.slice(0, Math.max(0, firstOwn)).findLastIndex((r) => "requestId" in r);
  const before = firstOwn === -1 ? [] : records.slice(other + 1, firstOwn);
  const last = <T extends PlatformRecord["type"]>(type: T) =>
    before.findLast((r): r is Rec<T> => r.type === type) ?? null;
  const notes: string[] = [];

  const invocation = invocationPhase(start, done, report, notes);
  const placeBefore = invocation?.start ?? start?.at ?? null;
  const phases: PlatformPhase[] = [];
  const init = coldPhase(
    "init",
    last("initStart"),
    last("initRuntimeDone"),
    last("initReport"),
    report,
    placeBefore,
  );
  const restore = coldPhase(
    "restore",
    last("restoreStart"),
    last("restoreRuntimeDone"),
    last("restoreReport"),
    report,
    placeBefore,
  );
  if (init) phases.push(init);
  if (restore) phases.push(restore);
  if (invocation) phases.push(invocation);
  const overhead = overheadPhase(invocation, done, report, notes);
  if (overhead) phases.push(overhead);
  if (phases.length === 0) return null;
  if (report === null) notes.push("No REPORT record was found: the invocation's full duration is unknown.");

  const times = phases.flatMap((p) => [p.start, end(p), ...p.spans.flatMap((s) => [s.start, end(s)])]);
  return {
    format,
    phases,
    start: epochMs(Math.min(...times)),
    end: epochMs(Math.max(...times)),
    notes,
  };
}

/** START → runtimeDone (its duration, else the REPORT's); placed from its end when START was not logged. */
function invocationPhase(
  start: Rec<"start"> | null,
  done: Rec<"runtimeDone"> | null,
  report: Rec<"report"> | null,
  notes: string[],
): PlatformPhase | null {
  const duration = done?.duration ?? report?.duration ?? null;
  if (duration === null) {
    if (start !== null)
      notes.push("Neither runtimeDone nor REPORT was found: the invocation's end is unknown.");
    return null;
  }
  const to = done?.duration != null ? done.source : (report?.source ?? "");
  let at: EpochMs | null = start?.at ?? null;
  // Without START: runtimeDone and REPORT are written at the handler's end.
  if (at === null) at = epochMs((done?.at ?? report?.at ?? 0) - duration);
  return {
    phase: "invocation",
    label: LABELS.invocation,
    start: at,
    duration,
    source: start ? `${start.source} → ${to}` : `${to} (start placed from its duration)`,
    status: done?.status ?? report?.status ?? null,
    spans: (done?.spans ?? []).map((s) => ({ ...s })),
  };
}

/**
 * Init or restore: from its start record, lasting what its report (or the REPORT's Init / Restore Duration)
 * says, else until its runtimeDone record. Without a start record it ends where the invocation begins.
 */
function coldPhase(
  phase: "init" | "restore",
  begin: Rec<"initStart" | "restoreStart"> | null,
  done: Rec<"initRuntimeDone" | "restoreRuntimeDone"> | null,
  own: Rec<"initReport" | "restoreReport"> | null,
  report: Rec<"report"> | null,
  invocationStart: EpochMs | null,
): PlatformPhase | null {
  const fromReport = phase === "init" ? (report?.initDuration ?? null) : (report?.restoreDuration ?? null);
  let duration: Ms | null = own?.duration ?? null;
  let to = own?.source ?? "";
  if (duration === null && fromReport !== null && report !== null) {
    duration = fromReport;
    to = `${report.source} ${phase === "init" ? "Init" : "Restore"} Duration`;
  }
  if (duration === null && begin !== null && done !== null && done.at >= begin.at) {
    duration = ms(done.at - begin.at);
    to = done.source;
  }
  if (duration === null) return null;
  let at: EpochMs | null = begin?.at ?? null;
  if (at === null && invocationStart !== null) at = epochMs(invocationStart - duration);
  if (at === null) return null;
  return {
    phase,
    label: LABELS[phase],
    start: at,
    duration,
    source: begin ? `${begin.source} → ${to}` : `${to} (placed before START)`,
    status: own?.status ?? done?.status ?? null,
    spans: [],
  };
}

/** What the platform spent after the runtime was done: REPORT duration − runtimeDone duration. */
function overheadPhase(
  invocation: PlatformPhase | null,
  done: Rec<"runtimeDone"> | null,
  report: Rec<"report"> | null,
  notes: string[],
): PlatformPhase | null {
  if (invocation === null || done?.duration == null || report === null) return null;
  const extra = report.duration - done.duration;
  if (extra < 0) {
    notes.push("runtimeDone reports a longer duration than REPORT: the overhead cannot be derived.");
    return null;
  }
  return {
    phase: "overhead",
    label: LABELS.overhead,
    start: end(invocation),
    duration: ms(extra),
    source: `${report.source} duration − ${done.source} duration`,
    status: null,
    spans: [],
  };
}

export interface TimelineRow {
  key: string;
  label: string;
  depth: 0 | 1;
  phase: PlatformPhaseName;
  /** Position on the axis, fractions of [start, end]. */
  offset: number;
  width: number;
  duration: Ms;
  source: string | null;
  status: string | null;
  /** false for a zero-length phase or span: the row states its 0 ms as text and draws no bar. */
  drawn: boolean;
}

/**
 * Rows for rendering: each phase, then its spans one level deeper; positions as fractions of the axis. A
 * zero-length phase or span keeps its row (what the records said) but is not drawn.
 */
export function timelineRows(t: PlatformTimeline): TimelineRow[] {
  const span = Math.max(1, t.end - t.start);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const place = (start: number, duration: number) => {
    const offset = clamp((start - t.start) / span);
    return { offset, width: clamp((start + duration - t.start) / span) - offset };
  };
  return t.phases.flatMap((p) => [
    {
      key: p.phase,
      label: p.label,
      depth: 0 as const,
      phase: p.phase,
      ...place(p.start, p.duration),
      duration: p.duration,
      source: p.source,
      status: p.status,
      drawn: p.duration > 0,
    },
    ...p.spans.map((s, i) => ({
      key: `${p.phase}/${i}`,
      label: s.name,
      depth: 1 as const,
      phase: p.phase,
      ...place(s.start, s.duration),
      duration: s.duration,
      source: null,
      status: null,
      drawn: s.duration > 0,
    })),
  ]);
}
