/**
 * The fast path for REPORT aggregations (the console's fleet overview, cold-start series and advisor queries):
 * a query whose leading filter admits only REPORT lines (lines.ts) and whose per-record commands end in stats
 * is compiled once into closures over a ReportCursor and aggregated in place, without rendering log lines.
 *
 * Invariants:
 * - Same output as QueryRun fed the rendered events (results, recordsMatched, recordsScanned, bytesScanned),
 *   provided records arrive in the same order: evaluation mirrors evaluate.ts (compile.ts), groups keep
 *   first-seen order, sums add in arrival order, pct is nearest-rank over the exact values.
 * - Lazy bindings: `fields … as x` and `parse` bind names to closures evaluated where they are read; values are
 *   pure functions of the record, and parse memoises its match per record (cursor.serial).
 * - No allocation per record on the hot path: the last group is reused while the by-values repeat (runs of one
 *   @log, one bin), other groups are found by raw values (group-index.ts), accumulators update in place, pct
 *   values go to a growing Float64Array sorted once.
 */
import type { Agg, Command, Query } from "./ast";
import { compileExpr, type Compiled, type FieldResolver } from "./compile";
import { completeQuery, perRecordPrefix, toNum, type QueryOutput } from "./evaluate";
import { OverlayRow, type Row, type Value } from "./fields";
import { GroupIndex } from "./group-index";
import { lineSelection, reportOnly } from "./lines";
import { reportField, type ReportCursor } from "./report-cursor";

type Stats = Extract<Command, { k: "stats" }>;
type Accessor = Compiled<ReportCursor>;

/** The query can run on REPORT records alone, ending its per-record prefix in stats. */
export function canRunOnReports(q: Query): boolean {
  const stats = q.commands[perRecordPrefix(q)];
  return stats?.k === "stats" && reportOnly(lineSelection(q));
}

class Acc {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  values: Float64Array | null;
  distinct: Set<string> | null;
  constructor(fn: Agg["fn"]) {
    this.values = fn === "pct" ? new Float64Array(16) : null;
    this.distinct = fn === "count_distinct" ? new Set() : null;
  }

  push(n: number) {
    let vs = this.values!;
    if (this.count > vs.length) {
      const grown = new Float64Array(vs.length * 2);
      grown.set(vs);
      this.values = vs = grown;
    }
    vs[this.count - 1] = n;
  }
}

interface Group {
  by: Value[];
  accs: Acc[];
}

/** An aggregate's per-record step, specialised by kind (mirrors evaluate.ts accumulate()). */
function accumulator(a: Agg, arg: Accessor | null): (acc: Acc, r: ReportCursor) => void {
  if (arg === null) {
    return (acc) => {
      acc.count++;
    };
  }
  if (a.fn === "count") {
    return (acc, r) => {
      const v = arg(r);
      if (v !== undefined && v !== "") acc.count++;
    };
  }
  if (a.fn === "count_distinct") {
    return (acc, r) => {
      const v = arg(r);
      if (v !== undefined && v !== "") acc.distinct!.add(String(v));
    };
  }
  const pct = a.fn === "pct";
  return (acc, r) => {
    const v = arg(r);
    if (v === undefined || v === "") return;
    const n = toNum(v);
    if (n === undefined) return;
    acc.count++;
    acc.sum += n;
    if (n < acc.min) acc.min = n;
    if (n > acc.max) acc.max = n;
    if (pct) acc.push(n);
  };
}

function result(a: Agg, acc: Acc): Value {
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
      if (acc.count === 0) return undefined;
      const vs = acc.values!.subarray(0, acc.count).sort();
      const rank = Math.max(1, Math.ceil(((a.percentile ?? 50) / 100) * acc.count));
      return vs[rank - 1];
    }
  }
}

/** Compiles the per-record prefix (filters, and the names fields/parse bind) and the leading stats. */
function compile(q: Query, prefix: number) {
  const env = new Map<string, Accessor>();
  const field: FieldResolver<ReportCursor> = (name) => env.get(name) ?? reportField(name);
  const filters: Accessor[] = [];
  for (const cmd of q.commands.slice(0, prefix)) {
    switch (cmd.k) {
      case "filter":
        filters.push(compileExpr(cmd.e, field));
        break;
      case "fields":
      case "display":
        for (const i of cmd.items) {
          if (!(i.e.k === "field" && i.e.name === i.name)) env.set(i.name, compileExpr(i.e, field));
        }
        break;
      case "parse": {
        const source = compileExpr(cmd.source, field);
        const re = cmd.re;
        let serial = -1;
        let match: RegExpExecArray | null = null;
        const matchOf = (r: ReportCursor) => {
          if (r.serial !== serial) {
            serial = r.serial;
            const s = source(r);
            match = s === undefined ? null : re.exec(String(s));
          }
          return match;
        };
        cmd.names.forEach((n, i) =>
          env.set(n, (r) => {
            const m = matchOf(r);
            return m ? (m.groups?.[n] ?? m[i + 1]) : undefined;
          }),
        );
        break;
      }
      default:
        throw new Error(`not a per-record command: ${cmd.k}`);
    }
  }
  const stats = q.commands[prefix] as Stats;
  return {
    filters,
    stats,
    by: stats.by.map((b) => compileExpr(b.e, field)),
    steps: stats.aggs.map((a) => accumulator(a, a.arg === null ? null : compileExpr(a.arg, field))),
  };
}

function sameValues(a: Value[], b: Value[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A query run fed REPORT records through a cursor (and counts of the lines that cannot match). */
export class ReportRun {
  recordsScanned = 0;
  bytesScanned = 0;
  recordsMatched = 0;
  private readonly prefix: number;
  private readonly filters: Accessor[];
  private readonly stats: Stats;
  private readonly by: Accessor[];
  private readonly steps: ((acc: Acc, r: ReportCursor) => void)[];
  private readonly groups = new GroupIndex<Group>();
  private readonly scratch: Value[];
  private last: Group | null = null;
  private readonly newGroup = (by: Value[]): Group => ({
    by,
    accs: this.stats.aggs.map((a) => new Acc(a.fn)),
  });

  constructor(
    private readonly q: Query,
    private readonly maxResults: number,
  ) {
    if (!canRunOnReports(q)) throw new Error("query cannot run on REPORT records alone");
    this.prefix = perRecordPrefix(q);
    const c = compile(q, this.prefix);
    this.filters = c.filters;
    this.stats = c.stats;
    this.by = c.by;
    this.steps = c.steps;
    this.scratch = new Array<Value>(c.by.length);
  }

  /** A REPORT record: scanned, then filtered and aggregated. */
  add(r: ReportCursor): void {
    this.recordsScanned++;
    this.bytesScanned += r.messageLength();
    for (const f of this.filters) if (f(r) !== true) return;
    this.recordsMatched++;
    const g = this.groupOf(r);
    for (let i = 0; i < this.steps.length; i++) this.steps[i]!(g.accs[i]!, r);
  }

  /** Lines that cannot pass the filter: scanned, never matched. */
  skipped(records: number, bytes: number): void {
    this.recordsScanned += records;
    this.bytesScanned += bytes;
  }

  private groupOf(r: ReportCursor): Group {
    const by = this.scratch;
    for (let i = 0; i < by.length; i++) by[i] = this.by[i]!(r);
    const last = this.last;
    if (last !== null && sameValues(by, last.by)) return last;
    const g = this.groups.get(by, this.newGroup);
    this.last = g;
    return g;
  }

  finish(): QueryOutput {
    const { by, aggs } = this.stats;
    const rows: Row[] = [];
    for (const g of this.groups.values()) {
      const row = new OverlayRow(null);
      by.forEach((b, i) => row.extra.set(b.name, g.by[i]));
      aggs.forEach((a, i) => row.extra.set(a.name, result(a, g.accs[i]!)));
      rows.push(row);
    }
    return completeQuery(this.q, this.prefix, rows, [], this.maxResults, this);
  }
}
