/**
 * The Insights engine: runs a parsed query over a stream of records. The leading run of per-record commands
 * (per-record.ts) and a stats right after it are compiled once (compile.ts, aggregate.ts) into closures over the
 * record kind the scan feeds: rendered lines (EventRow) or, when only REPORT lines can match, REPORT cursors
 * read from the invocations without rendering (report-cursor.ts). Sort, limit and anything after the leading
 * stats work on the (small) materialised rows, through the same compiled code.
 *
 * Invariants:
 * - One semantics: every command and function is implemented once, whatever the record kind; a query gives
 *   the same output on REPORT cursors as on the rendered lines of the same invocations.
 * - Absent fields stay absent: comparisons with an absent field are false, aggregations skip it, and an
 *   absent column is left out of the result row (as Insights does), never printed as 0 or "".
 * - Without a sort, event results are newest first; stats grouped by a bin() are in ascending time.
 */
import type { Command, Expr, NamedExpr, Query } from "./ast";
import { Aggregator, type Stats } from "./aggregate";
import { compileExpr, rowField, type FieldResolver } from "./compile";
import { EventRow, OverlayRow, type Row, type ScanRecord, type Value } from "./fields";
import { PerRecord, perRecordPrefix } from "./per-record";

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
  const compiled = keys.map((key) => compileExpr(key.e, rowField));
  const decorated = rows.map((r) => ({ r, k: compiled.map((c) => c(r)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const c = orderValues(x.k[i], y.k[i], keys[i]!.desc);
      if (c !== 0) return c;
    }
    return 0;
  });
  return decorated.map((d) => d.r);
}

/** Later per-record commands, on materialised rows. */
function applyToRows(cmd: Command, rows: Row[]): Row[] {
  const stage = new PerRecord<Row>([cmd], rowField);
  const out: Row[] = [];
  for (const r of rows) if (stage.pass(r)) out.push(stage.materialise(r, r));
  return out;
}

function aggregateRows(cmd: Stats, rows: Row[]): Row[] {
  const a = new Aggregator<Row>(cmd, rowField);
  for (const r of rows) a.add(r);
  return a.rows();
}

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

/**
 * An incremental run over records of one kind: feed records (or counts of records the planner skipped), then
 * finish. `field` resolves the record kind's fields (rowField for rendered lines, reportField for cursors).
 */
export class QueryRun<R extends ScanRecord> {
  private readonly prefix: number;
  private readonly stage: PerRecord<R>;
  private readonly agg: Aggregator<R> | null;
  private rows: Row[] = [];
  recordsScanned = 0;
  bytesScanned = 0;
  recordsMatched = 0;

  constructor(
    private readonly q: Query,
    private readonly maxResults: number,
    field: FieldResolver<R>,
  ) {
    const prefix = perRecordPrefix(q);
    this.prefix = prefix;
    this.stage = new PerRecord(q.commands.slice(0, prefix), field);
    const first = q.commands[prefix];
    this.agg = first?.k === "stats" ? new Aggregator(first, this.stage.field) : null;
  }

  /** A record: scanned, then filtered and aggregated (or kept). */
  add(r: R): void {
    this.recordsScanned++;
    this.bytesScanned += r.messageLength();
    if (!this.stage.pass(r)) return;
    this.recordsMatched++;
    if (this.agg !== null) this.agg.add(r);
    else this.rows.push(this.stage.materialise(r, r.keep()));
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

/**
 * Everything after the scan: the leading stats' rows (aggRows, when the command after the prefix is stats)
 * or the matched records (rows), through the remaining commands to results.
 */
function completeQuery(
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
        rows = aggregateRows(c, rows);
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
        rows = applyToRows(c, rows);
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
