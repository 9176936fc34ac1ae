/**
 * The fields Logs Insights discovers in a log event: the system fields every event has, Lambda's platform
 * lines (@type, @requestId, and for REPORT @duration, @billedDuration, @memorySize, @maxMemoryUsed,
 * @initDuration, @xrayTraceId, @xraySegmentId), and the dotted paths of a JSON message.
 *
 * SnapStart's `Restore Duration` / `Billed Restore Duration` are not discovered (AWS documents no field for
 * them): a query reads them with `parse @message`.
 *
 * Invariants: REPORT fields are parsed from the message text by label (never from the simulator's structs),
 * so they are exactly what the line says; @memorySize and @maxMemoryUsed are in bytes (MB × 1,000,000), as
 * Insights reports them; a field absent from the event is `undefined`, never 0 or "".
 */
import type { LogEvent } from "../render";

export type Value = string | number | boolean | undefined;

/** The subset of a record the evaluator reads. */
export interface Row {
  get(name: string): Value;
}

/** A record a scan feeds the engine: rendered lines (EventRow) and REPORT cursors (report-cursor.ts). */
export interface ScanRecord extends Row {
  /** What the record adds to bytesScanned: its message's length. */
  messageLength(): number;
  /** The record as a Row that stays valid after the scan moves on (a reused cursor does not). */
  keep(): Row;
}

const BYTES_PER_MB = 1_000_000;

const PLATFORM_TYPES = ["REPORT", "START", "END", "INIT_START", "INIT_REPORT", "RESTORE_START"] as const;

export function lambdaType(message: string): string | undefined {
  for (const t of PLATFORM_TYPES) {
    if (message.startsWith(t) && (message[t.length] === " " || message[t.length] === "\t")) return t;
  }
  return undefined;
}

/** Label → [field, parse] for the REPORT line's tab-separated `Label: value unit` pairs. */
const REPORT_LABELS: Record<string, [string, (v: string) => Value]> = {
  RequestId: ["@requestId", (v) => v],
  Duration: ["@duration", (v) => parseFloat(v)],
  "Billed Duration": ["@billedDuration", (v) => parseFloat(v)],
  "Memory Size": ["@memorySize", (v) => parseFloat(v) * BYTES_PER_MB],
  "Max Memory Used": ["@maxMemoryUsed", (v) => parseFloat(v) * BYTES_PER_MB],
  "Init Duration": ["@initDuration", (v) => parseFloat(v)],
  "XRAY TraceId": ["@xrayTraceId", (v) => v],
  SegmentId: ["@xraySegmentId", (v) => v],
};

export function reportFields(message: string): Map<string, Value> {
  const out = new Map<string, Value>();
  // "REPORT RequestId: …\tDuration: …" — the first pair follows "REPORT ", the XRAY pairs a newline.
  for (const part of message.slice("REPORT ".length).split(/[\t\n]/)) {
    const colon = part.indexOf(": ");
    if (colon < 0) continue;
    const spec = REPORT_LABELS[part.slice(0, colon)];
    if (spec) out.set(spec[0], spec[1](part.slice(colon + 2).trim()));
  }
  return out;
}

function flattenJson(v: unknown, prefix: string, out: Map<string, Value>) {
  if (v === null || v === undefined) return;
  if (typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) flattenJson(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, typeof v === "number" || typeof v === "boolean" ? v : String(v));
}

/** A flattened field's value: what flattenJson stores for a leaf, undefined for null and for objects. */
function leafValue(x: unknown): Value {
  if (x === null || x === undefined || typeof x === "object") return undefined;
  return typeof x === "number" || typeof x === "boolean" ? x : String(x);
}

/**
 * One dotted field of a parsed JSON message, without flattening the rest: the value flattenJson(v) stores under
 * `name`. Keys may contain dots themselves (OTel attribute names do), so every key that is a dotted prefix of the
 * name is followed; as in the Map flattenJson fills, the last match in key order wins.
 */
export function jsonField(v: unknown, name: string): Value {
  if (v === null || typeof v !== "object") return undefined;
  let found: Value = undefined;
  const visit = (k: string, x: unknown) => {
    if (k === name) {
      const leaf = leafValue(x);
      if (leaf !== undefined) found = leaf;
    } else if (name.length > k.length && name.charCodeAt(k.length) === 46 && name.startsWith(k)) {
      const nested = jsonField(x, name.slice(k.length + 1));
      if (nested !== undefined) found = nested;
    }
  };
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(String(i), v[i]);
  else for (const k in v) visit(k, (v as Record<string, unknown>)[k]);
  return found;
}

/** The parsed message when it is a JSON object and not a Lambda platform line (discoverFields' JSON case), else null. */
export function jsonMessage(message: string): object | null {
  if (lambdaType(message) !== undefined) return null;
  const t = message.trimStart();
  if (!t.startsWith("{")) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

export function discoverFields(message: string): Map<string, Value> {
  const type = lambdaType(message);
  if (type === "REPORT") {
    const f = reportFields(message);
    f.set("@type", type);
    return f;
  }
  const out = new Map<string, Value>();
  if (type !== undefined) {
    out.set("@type", type);
    const id = /RequestId: ([0-9a-f-]+)/.exec(message);
    if (id) out.set("@requestId", id[1]);
    return out;
  }
  const t = message.trimStart();
  if (t.startsWith("{")) {
    try {
      flattenJson(JSON.parse(t), "", out);
    } catch {
      // Not JSON after all: only the system fields.
    }
  }
  return out;
}

/** One log event as a query record: system fields eagerly, discovered fields on first use. */
export class EventRow implements ScanRecord {
  private discovered: Map<string, Value> | null = null;
  /** The parsed JSON message (null: not JSON; undefined: not parsed yet), read field by field. */
  private parsed: object | null | undefined = undefined;
  constructor(
    readonly ev: LogEvent,
    readonly log: string, // "<account id>:<log group name>"
  ) {}

  /** An opaque pointer to the event (GetLogRecord is not implemented; the value is stable and unique). */
  get ptr(): string {
    const e = this.ev;
    return Buffer.from(`${this.log}|${e.logStreamName}|${e.timestamp}|${e.requestId}|${e.seq}`).toString(
      "base64url",
    );
  }

  get(name: string): Value {
    switch (name) {
      case "@timestamp":
        return this.ev.timestamp;
      case "@ingestionTime":
        return this.ev.ingestionTime;
      case "@message":
        return this.ev.message;
      case "@logStream":
        return this.ev.logStreamName;
      case "@log":
        return this.log;
      case "@ptr":
        return this.ptr;
      case "@type":
        // Hot path (filter @type = "REPORT"): no need to discover every field.
        if (this.discovered === null) return lambdaType(this.ev.message);
    }
    if (this.discovered !== null) return this.discovered.get(name);
    // A JSON message is parsed once and read by path: flattening a whole document (an aws/spans span has ~30
    // fields) for the one or two a filter reads costs more than the parse itself.
    if (this.parsed === undefined) this.parsed = jsonMessage(this.ev.message);
    if (this.parsed !== null) return jsonField(this.parsed, name);
    this.discovered = discoverFields(this.ev.message);
    return this.discovered.get(name);
  }

  messageLength(): number {
    return this.ev.message.length;
  }

  keep(): Row {
    return this;
  }

  /** Every field, for queries without `fields`/`display`. */
  all(): Map<string, Value> {
    this.discovered ??= discoverFields(this.ev.message);
    const m = new Map<string, Value>([
      ["@timestamp", this.ev.timestamp],
      ["@message", this.ev.message],
      ["@logStream", this.ev.logStreamName],
      ["@log", this.log],
    ]);
    for (const [k, v] of this.discovered) m.set(k, v);
    return m;
  }
}

/** A record with fields set by `fields … as`, `parse`, or produced by `stats`. */
export class OverlayRow implements Row {
  readonly extra = new Map<string, Value>();
  constructor(readonly base: Row | null) {}
  get(name: string): Value {
    return this.extra.has(name) ? this.extra.get(name) : this.base?.get(name);
  }
}
