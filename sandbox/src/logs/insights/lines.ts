/**
 * The query planner's view of which rendered lines can pass a query's leading filter, per log format. A scan
 * renders only those kinds (the others are counted, never matched), and a query whose filter admits nothing
 * but REPORT lines, ending its per-record commands in stats, can be answered from the invocations themselves
 * (REPORT cursors, report-cursor.ts).
 *
 * Invariants:
 * - Sound, not complete: a kind left out can never pass the filter (null means "any kind may pass").
 * - Relies on what render.ts writes: only text-format platform lines carry @type; the REPORT-only fields
 *   (@duration, …) exist only on text REPORT lines; of all JSON messages only JSON-format platform lines have
 *   a top-level `type` key (application and downstream lines never do).
 */
import type { LineKind } from "../render";
import type { Expr, Query } from "./ast";
import { perRecordPrefix } from "./per-record";

export interface LineSelection {
  /** Kinds that may pass in a Text-format group; null: any. */
  text: ReadonlySet<LineKind> | null;
  /** Kinds that may pass in a JSON-format group; null: any. */
  json: ReadonlySet<LineKind> | null;
}

const TEXT_TYPES: Record<string, LineKind> = {
  REPORT: "REPORT",
  START: "START",
  END: "END",
  INIT_START: "INIT_START",
  // A SnapStart restore's line takes INIT_START's place (render.ts).
  RESTORE_START: "INIT_START",
};
const JSON_TYPES: Record<string, LineKind> = {
  "platform.report": "REPORT",
  "platform.start": "START",
  "platform.initStart": "INIT_START",
  "platform.restoreStart": "INIT_START",
  "platform.initRuntimeDone": "INIT_REPORT",
  "platform.initReport": "INIT_REPORT",
  "platform.restoreRuntimeDone": "INIT_REPORT",
  "platform.restoreReport": "INIT_REPORT",
  "platform.runtimeDone": "RUNTIME_DONE",
};
/** Fields only a text REPORT line has: a comparison with one, or ispresent() of one, needs that line. */
const REPORT_ONLY_FIELDS = new Set([
  "@duration",
  "@billedDuration",
  "@memorySize",
  "@maxMemoryUsed",
  "@initDuration",
  "@xrayTraceId",
  "@xraySegmentId",
]);

type Kinds = Set<LineKind> | null;
interface Sel {
  text: Kinds;
  json: Kinds;
}
const ANY: Sel = { text: null, json: null };

const kindsOf = (values: string[], table: Record<string, LineKind>): Set<LineKind> =>
  new Set(values.flatMap((v) => (Object.hasOwn(table, v) ? [table[v]!] : [])));

const fieldName = (e: Expr) => (e.k === "field" ? e.name : null);
const literal = (e: Expr) => e.k === "str" || e.k === "num";

/** `field = "a"` / `"a" = field` / `field in ["a", …]`: the field and its allowed string values. */
function equality(e: Expr): { field: string; values: string[] } | null {
  if (e.k === "cmp" && e.op === "=") {
    if (e.l.k === "field" && e.r.k === "str") return { field: e.l.name, values: [e.r.v] };
    if (e.r.k === "field" && e.l.k === "str") return { field: e.r.name, values: [e.l.v] };
  }
  if (e.k === "in" && !e.neg && e.e.k === "field" && e.list.every((x) => x.k === "str")) {
    return { field: e.e.name, values: e.list.map((x) => (x as { v: string }).v) };
  }
  return null;
}

function atom(e: Expr): Sel {
  const eq = equality(e);
  if (eq?.field === "@type") return { text: kindsOf(eq.values, TEXT_TYPES), json: new Set() };
  if (eq?.field === "type") return { text: new Set(), json: kindsOf(eq.values, JSON_TYPES) };
  // Any comparison is false when its field is absent, and so is ispresent().
  const reportOnly = (x: Expr) => REPORT_ONLY_FIELDS.has(fieldName(x) ?? "");
  const needsReport =
    (e.k === "cmp" && ((reportOnly(e.l) && literal(e.r)) || (reportOnly(e.r) && literal(e.l)))) ||
    (e.k === "call" && e.fn === "ispresent" && e.args[0] !== undefined && reportOnly(e.args[0]));
  if (needsReport) return { text: new Set<LineKind>(["REPORT"]), json: new Set() };
  return ANY;
}

const intersect = (a: Kinds, b: Kinds): Kinds =>
  a === null ? b : b === null ? a : new Set([...a].filter((x) => b.has(x)));
const union = (a: Kinds, b: Kinds): Kinds => (a === null || b === null ? null : new Set([...a, ...b]));

function select(e: Expr): Sel {
  if (e.k === "logic") {
    const l = select(e.l);
    const r = select(e.r);
    const op = e.op === "and" ? intersect : union;
    return { text: op(l.text, r.text), json: op(l.json, r.json) };
  }
  return atom(e);
}

/** What can pass the query's leading filter (a query that does not start with a filter admits anything). */
export function lineSelection(q: Query): LineSelection {
  const first = q.commands[0];
  if (first?.k !== "filter") return ANY;
  return select(first.e);
}

/** True when only REPORT lines (of either format) can pass: the query can be run from invocations. */
export function reportOnly(s: LineSelection): boolean {
  const only = (k: ReadonlySet<LineKind> | null) => k !== null && [...k].every((x) => x === "REPORT");
  return only(s.text) && only(s.json);
}

/**
 * The engine's fast strategy applies: only REPORT lines can pass, and the per-record commands end in stats (so
 * no record outlives the scan and a reused cursor can stand for each one).
 */
export function canRunOnReports(q: Query): boolean {
  const stats = q.commands[perRecordPrefix(q)];
  return stats?.k === "stats" && reportOnly(lineSelection(q));
}
