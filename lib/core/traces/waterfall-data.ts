/**
 * The waterfall's input as the server hands it to the browser: the tree already parsed, validated, ordered and
 * its critical path found, so opening a trace costs the client a decode and one screenful of rows, never a
 * parse of the segment documents.
 *
 * Invariants:
 * - JSON-safe (plain objects, arrays, numbers, strings): it crosses the server/client boundary as RSC props.
 * - Compact: a span's field is left out when it holds its default (no http, no flags, empty aws, …), so a
 *   plain subsegment costs its id, name and times; times and durations are sent as computed, never re-derived,
 *   so durations stay exact on X-Ray's microsecond grid.
 * - `fromWaterfallData(toWaterfallData(t))` has t's spans (field for field), depths, bounds and critical path.
 * - Linear both ways; every decoded span has the same fields in the same order (one object shape).
 */
import type { EpochMs } from "../units";
import { criticalPath } from "./critical-path";
import type { Span, SpanTree, WaterfallTree } from "./types";

/** A span with its default-valued fields left out. */
export type WireSpan = Pick<Span, "id" | "name" | "start" | "end" | "duration"> & Partial<Span>;

export interface WaterfallData {
  traceId: string;
  start: EpochMs;
  end: EpochMs;
  spans: WireSpan[];
  depth: number[];
  /** Indices (display order) of the spans on the critical path. */
  critical: number[];
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** Every field a decoded span starts from; the order here is the order of every decoded span's fields. */
const DEFAULTS: Omit<Span, "id" | "name" | "start" | "end" | "duration"> = {
  kind: "subsegment",
  origin: null,
  namespace: null,
  endMissing: false,
  inProgress: false,
  error: false,
  fault: false,
  throttle: false,
  http: null,
  aws: EMPTY,
  annotations: EMPTY,
  metadata: EMPTY,
  exceptions: Object.freeze([]),
  causeRef: null,
  resourceArn: null,
  phase: null,
};

const isEmpty = (v: unknown) =>
  Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0;

function toWire(s: Span): WireSpan {
  const w: WireSpan = { id: s.id, name: s.name, start: s.start, end: s.end, duration: s.duration };
  const out = w as Record<string, unknown>;
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = s[key];
    const fallback = DEFAULTS[key];
    if (value === fallback || (typeof fallback === "object" && fallback !== null && isEmpty(value))) continue;
    out[key] = value;
  }
  return w;
}

export function toWaterfallData(tree: SpanTree, critical: Uint8Array = criticalPath(tree)): WaterfallData {
  const onPath: number[] = [];
  for (let i = 0; i < critical.length; i++) if (critical[i] === 1) onPath.push(i);
  return {
    traceId: tree.traceId,
    start: tree.start,
    end: tree.end,
    spans: tree.spans.map(toWire),
    depth: Array.from(tree.depth),
    critical: onPath,
  };
}

export interface DecodedWaterfall {
  tree: WaterfallTree;
  /** `critical[i] === 1` when span i is on the critical path (as criticalPath() returns it). */
  critical: Uint8Array;
}

export function fromWaterfallData(data: WaterfallData): DecodedWaterfall {
  const n = data.spans.length;
  const spans = new Array<Span>(n);
  for (let i = 0; i < n; i++) spans[i] = { ...DEFAULTS, ...(data.spans[i] as WireSpan) } as Span;
  const critical = new Uint8Array(n);
  for (const i of data.critical) if (i >= 0 && i < n) critical[i] = 1;
  return {
    tree: {
      traceId: data.traceId,
      spans,
      depth: Int32Array.from(data.depth),
      start: data.start,
      end: data.end,
    },
    critical,
  };
}
