/**
 * One invocation's REPORT record, read straight from the simulator's Invocation instead of rendering the line
 * and parsing it back: the record kind of the engine's fast strategy (evaluate.ts), chosen when only REPORT lines
 * can pass a query's filter (lines.ts). A single cursor is reused for every record of a scan (no allocation per
 * record).
 *
 * Invariant: for a Text-format function, `reportField(name)(cursor)` equals
 * `new EventRow(<the rendered REPORT event>, log).get(name)` for every name: numbers go through the same
 * text round trip the line imposes (2 decimals, MB × 1,000,000), fields the line lacks are undefined. @message,
 * @ptr and @ingestionTime, and every field of a JSON-format platform.report record, come from the rendered
 * event itself (rendered lazily, once per record).
 */
import type { SimFunction } from "../../fleet/model";
import type { Invocation } from "../../sim/types";
import { renderInvocation, textReport, textReportLength, type LineKind } from "../render";
import type { Compiled } from "./compile";
import { EventRow, type Row, type ScanRecord, type Value } from "./fields";

const BYTES_PER_MB = 1_000_000;
const REPORT_ONLY: ReadonlySet<LineKind> = new Set(["REPORT"]);

/** `parseFloat(x.toFixed(2))`, skipping the string when x already has at most two decimals. */
function twoDecimals(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === x ? x : parseFloat(x.toFixed(2));
}

export class ReportCursor implements ScanRecord {
  fn!: SimFunction;
  inv!: Invocation;
  log = "";
  /** The REPORT line's timestamp. */
  at = 0;
  json = false;
  private message: string | null = null;
  private row: EventRow | null = null;

  set(fn: SimFunction, inv: Invocation, log: string, at: number): this {
    this.fn = fn;
    this.inv = inv;
    this.log = log;
    this.at = at;
    this.json = fn.logFormat === "JSON";
    this.message = null;
    this.row = null;
    return this;
  }

  /** The rendered REPORT event as a query record. */
  event(): EventRow {
    if (this.row === null) {
      const ev = renderInvocation(this.fn, this.inv, REPORT_ONLY)[0];
      if (ev === undefined) throw new Error("renderInvocation wrote no REPORT line");
      this.row = new EventRow(ev, this.log);
    }
    return this.row;
  }

  /** A field by name (the engine compiles reportField(name) once instead). */
  get(name: string): Value {
    return reportField(name)(this);
  }

  /** The rendered REPORT event: kept rows must not follow the cursor to the next record. */
  keep(): Row {
    return this.event();
  }

  text(): string {
    if (this.message === null) this.message = this.json ? this.event().ev.message : textReport(this.inv);
    return this.message;
  }

  /** What the scan adds to bytesScanned for this record: the message length, without rendering text lines. */
  messageLength(): number {
    if (this.message !== null) return this.message.length;
    return this.json ? this.text().length : textReportLength(this.inv);
  }
}

type Accessor = Compiled<ReportCursor>;

/** Text REPORT fields, as reportFields() parses them from the rendered line. */
const TEXT_FIELDS: Record<string, Accessor> = {
  "@type": () => "REPORT",
  "@requestId": (c) => c.inv.requestId,
  "@duration": (c) => twoDecimals(c.inv.durationMs),
  "@billedDuration": (c) => c.inv.billedDurationMs,
  "@memorySize": (c) => c.inv.memorySizeMb * BYTES_PER_MB,
  "@maxMemoryUsed": (c) => Math.round(c.inv.maxMemoryUsedMb) * BYTES_PER_MB,
  "@initDuration": (c) => (c.inv.initDurationMs === null ? undefined : twoDecimals(c.inv.initDurationMs)),
  "@xrayTraceId": (c) => (c.inv.sampled ? c.inv.traceId : undefined),
  "@xraySegmentId": (c) => (c.inv.sampled ? c.inv.segmentId : undefined),
  "@message": (c) => c.text(),
};

/** Fields every event has, whatever its format. */
const SYSTEM_FIELDS: Record<string, Accessor> = {
  "@timestamp": (c) => c.at,
  "@log": (c) => c.log,
  "@logStream": (c) => c.inv.logStreamName,
};

export function reportField(name: string): Accessor {
  if (Object.hasOwn(SYSTEM_FIELDS, name)) return SYSTEM_FIELDS[name]!;
  const fromEvent: Accessor = (c) => c.event().get(name);
  if (name === "@ptr" || name === "@ingestionTime") return fromEvent;
  const text: Accessor | undefined = Object.hasOwn(TEXT_FIELDS, name) ? TEXT_FIELDS[name] : undefined;
  if (text === undefined) return (c) => (c.json ? c.event().get(name) : undefined);
  return (c) => (c.json ? c.event().get(name) : text(c));
}
