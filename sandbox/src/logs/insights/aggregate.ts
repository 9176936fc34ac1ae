/**
 * The one aggregation of `stats … by …`, for every record kind: the leading stats of a scan (over rendered lines
 * or REPORT cursors) and any stats after it (over materialised rows).
 *
 * Invariants:
 * - Aggregations skip absent and empty values; sum/avg/min/max/pct also skip values that are not numbers;
 *   an aggregate with nothing to aggregate is absent (count and count_distinct are 0).
 * - Groups keep first-seen order (group-index.ts); sums add in arrival order; pct is nearest-rank over the exact
 *   values (Insights approximates; exact is within its error).
 * - No allocation per record on the hot path: the last group is reused while the by-values repeat (runs of one
 *   @log, one bin), other groups are found by raw values, accumulators update in place, pct values go to a
 *   growing Float64Array sorted once.
 */
import type { Agg, Command } from "./ast";
import { compileExpr, type Compiled, type FieldResolver } from "./compile";
import { OverlayRow, type Row, type Value } from "./fields";
import { GroupIndex } from "./group-index";
import { toNum } from "./math";

export type Stats = Extract<Command, { k: "stats" }>;

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

  /** Appends the count-th value (count already incremented). */
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

/** An aggregate's per-record step, specialised by kind. */
function step<R>(a: Agg, arg: Compiled<R> | null): (acc: Acc, r: R) => void {
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

function sameValues(a: Value[], b: Value[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One stats command, compiled against the fields of the records it is fed. */
export class Aggregator<R> {
  private readonly by: Compiled<R>[];
  private readonly steps: ((acc: Acc, r: R) => void)[];
  private readonly groups = new GroupIndex<Group>();
  private readonly scratch: Value[];
  private last: Group | null = null;
  private readonly newGroup = (by: Value[]): Group => ({
    by,
    accs: this.stats.aggs.map((a) => new Acc(a.fn)),
  });

  constructor(
    private readonly stats: Stats,
    field: FieldResolver<R>,
  ) {
    this.by = stats.by.map((b) => compileExpr(b.e, field));
    this.steps = stats.aggs.map((a) => step(a, a.arg === null ? null : compileExpr(a.arg, field)));
    this.scratch = new Array<Value>(this.by.length);
  }

  add(r: R): void {
    const g = this.groupOf(r);
    for (let i = 0; i < this.steps.length; i++) this.steps[i]!(g.accs[i]!, r);
  }

  private groupOf(r: R): Group {
    const by = this.scratch;
    for (let i = 0; i < by.length; i++) by[i] = this.by[i]!(r);
    const last = this.last;
    if (last !== null && sameValues(by, last.by)) return last;
    const g = this.groups.get(by, this.newGroup);
    this.last = g;
    return g;
  }

  /** One row per group: the by-values and the aggregates, under their names. */
  rows(): Row[] {
    const { by, aggs } = this.stats;
    const out: Row[] = [];
    for (const g of this.groups.values()) {
      const row = new OverlayRow(null);
      by.forEach((b, i) => row.extra.set(b.name, g.by[i]));
      aggs.forEach((a, i) => row.extra.set(a.name, result(a, g.accs[i]!)));
      out.push(row);
    }
    return out;
  }
}
