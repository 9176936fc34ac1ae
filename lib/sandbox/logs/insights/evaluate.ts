/**
 * Runs a parsed query over a stream of records. The leading run of per-record commands (fields, parse,
 * filter, display) is applied as records stream past; a stats command aggregates without materialising
 * them; sort, limit and anything after stats work on the (small) materialised rows.
 *
 * Invariants:
 * - Absent fields stay absent: comparisons with an absent field are false, aggregations skip it, and an
 *   absent column is left out of the result row (as Insights does), never printed as 0 or "".
 * - Without a sort, event results are newest first; stats grouped by a bin() are in ascending time.
 * - Percentiles are nearest-rank over the exact values (Insights approximates; exact is within its error).
 */
import type { Agg, Command, Expr, NamedExpr, Query } from "./ast";
import { EventRow, OverlayRow, type Row, type Value } from "./fields";
import { GroupIndex } from "./group-index";
import { ARITH, extreme, isUnaryMath, toNum, UNARY_MATH } from "./math";

// Re-exported: compile.ts and report-run.ts coerce exactly as the interpreter does.
export { toNum };

export interface ResultField {
  field: string;
  value: string;
}

export interface QueryOutput {
  results: ResultField[][];
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

// ---- scalar evaluation ----

export function compare(op: string, a: Value, b: Value): boolean {
  if (a === undefined || b === undefined) return false;
  const na = toNum(a);
  const nb = toNum(b);
  const numeric = na !== undefined && nb !== undefined && (typeof a === "number" || typeof b === "number");
  const x: number | string = numeric ? na! : String(a);
  const y: number | string = numeric ? nb! : String(b);
  switch (op) {
    case "=":
      return x === y;
    case "!=":
      return x !== y;
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    default:
      return x >= y;
  }
}

export function evalExpr(e: Expr, r: Row): Value {
  switch (e.k) {
    case "field":
      return r.get(e.name);
    case "str":
      return e.v;
    case "num":
      return e.v;
    case "neg": {
      const n = toNum(evalExpr(e.e, r));
      return n === undefined ? undefined : -n;
    }
    case "not":
      return evalExpr(e.e, r) !== true;
    case "arith": {
      const a = toNum(evalExpr(e.l, r));
      const b = toNum(evalExpr(e.r, r));
      return a === undefined || b === undefined ? undefined : ARITH[e.op](a, b);
    }
    case "cmp":
      return compare(e.op, evalExpr(e.l, r), evalExpr(e.r, r));
    case "logic": {
      const l = evalExpr(e.l, r) === true;
      if (e.op === "and") return l && evalExpr(e.r, r) === true;
      return l || evalExpr(e.r, r) === true;
    }
    case "like": {
      const v = evalExpr(e.e, r);
      if (v === undefined) return e.neg;
      const s = String(v);
      const hit = e.re ? e.re.test(s) : s.includes(e.sub ?? "");
      return hit !== e.neg;
    }
    case "in": {
      const v = evalExpr(e.e, r);
      if (v === undefined) return false;
      const hit = e.list.some((x) => compare("=", v, evalExpr(x, r)));
      return hit !== e.neg;
    }
    case "bin": {
      const t = toNum(r.get("@timestamp"));
      return t === undefined ? undefined : Math.floor(t / e.ms) * e.ms;
    }
    case "call":
      return evalCall(e, r);
  }
}

function evalCall(e: Extract<Expr, { k: "call" }>, r: Row): Value {
  if (e.fn === "greatest" || e.fn === "least") {
    return extreme(e.fn === "greatest", e.args.length, (i) => evalExpr(e.args[i]!, r));
  }
  const a = evalExpr(e.args[0]!, r);
  if (isUnaryMath(e.fn)) {
    const n = toNum(a);
    return n === undefined ? undefined : UNARY_MATH[e.fn](n);
  }
  switch (e.fn) {
    case "ispresent":
      return a !== undefined;
    case "isempty":
      return a === undefined || a === "";
    case "isblank":
      return a === undefined || String(a).trim() === "";
    case "strcontains": {
      const b = evalExpr(e.args[1]!, r);
      return a !== undefined && b !== undefined && String(a).includes(String(b));
    }
    case "tolower":
      return a === undefined ? undefined : String(a).toLowerCase();
    case "toupper":
      return a === undefined ? undefined : String(a).toUpperCase();
    case "strlen":
      return a === undefined ? undefined : String(a).length;
  }
}

// ---- aggregation ----

interface Acc {
  count: number;
  sum: number;
  min: number;
  max: number;
  values: number[] | null; // for pct
  distinct: Set<string> | null;
}

const newAcc = (a: Agg): Acc => ({
  count: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
  values: a.fn === "pct" ? [] : null,
  distinct: a.fn === "count_distinct" ? new Set() : null,
});

function accumulate(a: Agg, acc: Acc, r: Row) {
  if (a.arg === null) {
    acc.count++;
    return;
  }
  const v = evalExpr(a.arg, r);
  if (v === undefined || v === "") return;
  if (a.fn === "count") {
    acc.count++;
    return;
  }
  if (a.fn === "count_distinct") {
    acc.distinct!.add(String(v));
    return;
  }
  const n = toNum(v);
  if (n === undefined) return;
  acc.count++;
  acc.sum += n;
  if (n < acc.min) acc.min = n;
  if (n > acc.max) acc.max = n;
  acc.values?.push(n);
}

function finish(a: Agg, acc: Acc): Value {
  switch (a.fn) {
    case "count":
      return acc.count;
    case "count_distinct":
      return acc.distinct!.size;
    case "sum":
      return acc.count ? acc.sum : undefined;
    case "avg":
      return acc.count ? acc.sum / acc.count : undefined;
    case "min":
      return acc.count ? acc.min : undefined;
    case "max":
      return acc.count ? acc.max : undefined;
    case "pct": {
      const vs = acc.values!;
      if (vs.length === 0) return undefined;
      vs.sort((x, y) => x - y);
      const rank = Math.max(1, Math.ceil(((a.percentile ?? 50) / 100) * vs.length));
      return vs[rank - 1];
    }
  }
}

class Aggregator {
  private readonly groups = new GroupIndex<{ by: Value[]; accs: Acc[] }>();
  constructor(private readonly cmd: Extract<Command, { k: "stats" }>) {}

  add(r: Row) {
    const by = this.cmd.by.map((b) => evalExpr(b.e, r));
    const g = this.groups.get(by, (values) => ({ by: values, accs: this.cmd.aggs.map(newAcc) }));
    for (let i = 0; i < this.cmd.aggs.length; i++) accumulate(this.cmd.aggs[i]!, g.accs[i]!, r);
  }

  rows(): Row[] {
    const out: Row[] = [];
    for (const g of this.groups.values()) {
      const row = new OverlayRow(null);
      this.cmd.by.forEach((b, i) => row.extra.set(b.name, g.by[i]));
      this.cmd.aggs.forEach((a, i) => row.extra.set(a.name, finish(a, g.accs[i]!)));
      out.push(row);
    }
    return out;
  }
}

// ---- ordering ----

/** Insights' sort order: non-numbers (by code unit) before numbers; absent values last either way. */
function orderValues(a: Value, b: Value, desc: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const na = typeof a === "number" ? a : undefined;
  const nb = typeof b === "number" ? b : undefined;
  let c: number;
  if (na !== undefined && nb !== undefined) c = na - nb;
  else if (na !== undefined) c = 1;
  else if (nb !== undefined) c = -1;
  else c = String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return desc ? -c : c;
}

function sortRows(rows: Row[], keys: { e: Expr; desc: boolean }[]) {
  const decorated = rows.map((r) => ({ r, k: keys.map((key) => evalExpr(key.e, r)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const c = orderValues(x.k[i], y.k[i], keys[i]!.desc);
      if (c !== 0) return c;
    }
    return 0;
  });
  return decorated.map((d) => d.r);
}

// ---- per-record commands ----

/** Applies one per-record command; returns the (possibly wrapped) row, or null when filtered out. */
function applyRecord(cmd: Command, r: Row): Row | null {
  switch (cmd.k) {
    case "filter":
      return evalExpr(cmd.e, r) === true ? r : null;
    case "fields":
    case "display": {
      const computed = cmd.items.filter((i) => !(i.e.k === "field" && i.e.name === i.name));
      if (computed.length === 0) return r;
      const o = new OverlayRow(r);
      for (const i of computed) o.extra.set(i.name, evalExpr(i.e, r));
      return o;
    }
    case "parse": {
      const src = evalExpr(cmd.source, r);
      const o = new OverlayRow(r);
      const m = src === undefined ? null : cmd.re.exec(String(src));
      cmd.names.forEach((n, i) => {
        const v = m ? (m.groups?.[n] ?? m[i + 1]) : undefined;
        o.extra.set(n, v === undefined ? undefined : v);
      });
      return o;
    }
    default:
      return r;
  }
}

const isPerRecord = (c: Command) =>
  c.k === "filter" || c.k === "fields" || c.k === "display" || c.k === "parse";

// ---- output ----

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

function format(v: Value, time: boolean): string {
  if (time && typeof v === "number") return formatTime(v);
  return String(v);
}

interface Projection {
  columns: NamedExpr[] | null; // null: every field of the event
  time: Set<string>;
}

function baseRow(r: Row): EventRow | null {
  let cur: Row | null = r;
  while (cur instanceof OverlayRow) cur = cur.base;
  return cur instanceof EventRow ? cur : null;
}

function toResult(r: Row, p: Projection, withPtr: boolean): ResultField[] {
  const out: ResultField[] = [];
  if (p.columns === null) {
    const ev = baseRow(r);
    if (ev) {
      for (const [field, v] of ev.all()) {
        if (v !== undefined) out.push({ field, value: format(v, field === "@timestamp") });
      }
    }
  } else {
    for (const c of p.columns) {
      const v = r.get(c.name);
      if (v !== undefined) out.push({ field: c.name, value: format(v, p.time.has(c.name)) });
    }
  }
  if (withPtr) {
    const ev = baseRow(r);
    if (ev) out.push({ field: "@ptr", value: ev.ptr });
  }
  return out;
}

// ---- the pipeline ----

/** An incremental run: feed records (or counts of records the planner skipped), then finish. */
export class QueryRun {
  private readonly prefix: number;
  private readonly agg: Aggregator | null;
  private rows: Row[] = [];
  recordsScanned = 0;
  bytesScanned = 0;
  recordsMatched = 0;

  constructor(
    private readonly q: Query,
    private readonly maxResults: number,
  ) {
    const prefix = perRecordPrefix(q);
    this.prefix = prefix;
    const first = q.commands[prefix];
    this.agg = first?.k === "stats" ? new Aggregator(first) : null;
  }

  add(rec: EventRow): void {
    this.recordsScanned++;
    this.bytesScanned += rec.ev.message.length;
    let r: Row | null = rec;
    for (let i = 0; i < this.prefix && r !== null; i++) r = applyRecord(this.q.commands[i]!, r);
    if (r === null) return;
    this.recordsMatched++;
    if (this.agg) this.agg.add(r);
    else this.rows.push(r);
  }

  /** Records the planner proved cannot pass the leading filter: scanned, never matched. */
  skipped(records: number, bytes: number): void {
    this.recordsScanned += records;
    this.bytesScanned += bytes;
  }

  finish(): QueryOutput {
    return completeQuery(
      this.q,
      this.prefix,
      this.agg ? this.agg.rows() : null,
      this.rows,
      this.maxResults,
      this,
    );
  }
}

/** Per-record commands run before the first non-per-record command (the prefix a scan streams through). */
export function perRecordPrefix(q: Query): number {
  let prefix = 0;
  while (prefix < q.commands.length && isPerRecord(q.commands[prefix]!)) prefix++;
  return prefix;
}

/**
 * Everything after the scan: the leading stats' rows (aggRows, when the command after the prefix is stats)
 * or the matched records (rows), through the remaining commands to results.
 */
export function completeQuery(
  q: Query,
  prefix: number,
  aggRows: Row[] | null,
  matched: Row[],
  maxResults: number,
  counts: Pick<QueryOutput, "recordsMatched" | "recordsScanned" | "bytesScanned">,
): QueryOutput {
  const cmds = q.commands;
  const first = cmds[prefix];
  const hasStats = cmds.some((c) => c.k === "stats");
  const hasSort = cmds.some((c) => c.k === "sort");
  let rows = matched;
  let rest = cmds.slice(prefix);
  if (aggRows !== null) {
    rows = aggRows;
    rest = rest.slice(1);
  }
  // Without an explicit sort, events come newest first (and a limit keeps the newest).
  if (!hasStats && !hasSort) rows = sortRows(rows, [{ e: { k: "field", name: "@timestamp" }, desc: true }]);

  const projection: Projection = { columns: null, time: new Set(["@timestamp", "@ingestionTime"]) };
  const project = (items: NamedExpr[], replace: boolean) => {
    const cols = replace || projection.columns === null ? [] : projection.columns;
    for (const i of items) {
      if (!cols.some((c) => c.name === i.name)) cols.push(i);
      if (i.time) projection.time.add(i.name);
    }
    projection.columns = cols;
  };
  for (const c of cmds.slice(0, prefix))
    if (c.k === "fields" || c.k === "display") project(c.items, c.k === "display");

  let statsSeen = aggRows !== null;
  if (aggRows !== null && first?.k === "stats") {
    projection.columns = [];
    projection.time = new Set(first.by.filter((b) => b.time).map((b) => b.name));
    project(first.by, false);
    project(
      first.aggs.map((a) => ({ e: { k: "field", name: a.name }, name: a.name, time: false })),
      false,
    );
    const bin = first.by.find((b) => b.e.k === "bin");
    if (bin && !rest.some((c) => c.k === "sort"))
      rows = sortRows(rows, [{ e: { k: "field", name: bin.name }, desc: false }]);
  }
  for (const c of rest) {
    switch (c.k) {
      case "stats": {
        const a = new Aggregator(c);
        for (const r of rows) a.add(r);
        rows = a.rows();
        statsSeen = true;
        projection.columns = [];
        projection.time = new Set(c.by.filter((b) => b.time).map((b) => b.name));
        project(c.by, false);
        project(
          c.aggs.map((x) => ({ e: { k: "field", name: x.name }, name: x.name, time: false })),
          false,
        );
        break;
      }
      case "sort":
        rows = sortRows(rows, c.keys);
        break;
      case "limit":
        rows = rows.slice(0, c.n);
        break;
      default: {
        const next: Row[] = [];
        for (const r of rows) {
          const x = applyRecord(c, r);
          if (x) next.push(x);
        }
        rows = next;
        if (c.k === "fields" || c.k === "display") project(c.items, c.k === "display");
      }
    }
  }
  rows = rows.slice(0, maxResults);
  return {
    results: rows.map((r) => toResult(r, projection, !statsSeen)),
    recordsMatched: counts.recordsMatched,
    recordsScanned: counts.recordsScanned,
    bytesScanned: counts.bytesScanned,
  };
}

export function execute(q: Query, records: Iterable<EventRow>, maxResults: number): QueryOutput {
  const run = new QueryRun(q, maxResults);
  for (const r of records) run.add(r);
  return run.finish();
}
