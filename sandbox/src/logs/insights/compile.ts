/**
 * The one compiler of Insights expressions: an expression becomes a closure over a record, built once per
 * query, so no scan walks the AST per record. Every record kind reads through it: rendered lines (EventRow),
 * REPORT cursors (report-cursor.ts) and the materialised rows after stats (OverlayRow).
 *
 * Invariants:
 * - A field is read only through the resolver given: `field(name)` is resolved once, at compile time, so a
 *   record kind can hand out a specialised accessor (the cursor reads @duration straight from the invocation)
 *   and bindings made by `fields … as` / `parse` are seen by every later expression.
 * - Absent values: a comparison with an absent value is false, arithmetic on one is absent, `not` of anything
 *   but true is true; strings and numbers compare as numbers when one side is a number and both parse.
 */
import type { Expr } from "./ast";
import type { Row, Value } from "./fields";
import { ARITH, extreme, isUnaryMath, toNum, UNARY_MATH } from "./math";

export type Compiled<R> = (r: R) => Value;
/** Resolves a field name (after `fields … as` / `parse` bindings) to an accessor. */
export type FieldResolver<R> = (name: string) => Compiled<R>;

/** Reads fields by name from any Row (the materialised rows after stats, and rendered lines). */
export const rowField: FieldResolver<Row> = (name) => (r) => r.get(name);

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

export function compileExpr<R>(e: Expr, field: FieldResolver<R>): Compiled<R> {
  const sub = (x: Expr) => compileExpr(x, field);
  switch (e.k) {
    case "field":
      return field(e.name);
    case "str":
    case "num": {
      const v = e.v;
      return () => v;
    }
    case "neg": {
      const x = sub(e.e);
      return (r) => {
        const n = toNum(x(r));
        return n === undefined ? undefined : -n;
      };
    }
    case "not": {
      const x = sub(e.e);
      return (r) => x(r) !== true;
    }
    case "arith": {
      const l = sub(e.l);
      const rr = sub(e.r);
      const op = ARITH[e.op];
      return (r) => {
        const a = toNum(l(r));
        const b = toNum(rr(r));
        return a === undefined || b === undefined ? undefined : op(a, b);
      };
    }
    case "cmp": {
      const l = sub(e.l);
      const op = e.op;
      // A literal right-hand side (the common `@type = "REPORT"`) needs no call per record.
      if (e.r.k === "str" || e.r.k === "num") {
        const b = e.r.v;
        return (r) => compare(op, l(r), b);
      }
      const rr = sub(e.r);
      return (r) => compare(op, l(r), rr(r));
    }
    case "logic": {
      const l = sub(e.l);
      const rr = sub(e.r);
      return e.op === "and" ? (r) => l(r) === true && rr(r) === true : (r) => l(r) === true || rr(r) === true;
    }
    case "like": {
      const x = sub(e.e);
      const { re, neg } = e;
      const needle = e.sub ?? "";
      return (r) => {
        const v = x(r);
        if (v === undefined) return neg;
        const s = String(v);
        return (re ? re.test(s) : s.includes(needle)) !== neg;
      };
    }
    case "in": {
      const x = sub(e.e);
      const list = e.list.map(sub);
      const neg = e.neg;
      return (r) => {
        const v = x(r);
        if (v === undefined) return false;
        return list.some((y) => compare("=", v, y(r))) !== neg;
      };
    }
    case "bin": {
      const ts = field("@timestamp");
      const ms = e.ms;
      return (r) => {
        const t = toNum(ts(r));
        return t === undefined ? undefined : Math.floor(t / ms) * ms;
      };
    }
    case "call":
      return compileCall(e, field);
  }
}

function compileCall<R>(e: Extract<Expr, { k: "call" }>, field: FieldResolver<R>): Compiled<R> {
  if (e.fn === "greatest" || e.fn === "least") {
    const args = e.args.map((x) => compileExpr(x, field));
    const most = e.fn === "greatest";
    return (r) => extreme(most, args.length, (i) => args[i]!(r));
  }
  const a = compileExpr(e.args[0]!, field);
  if (isUnaryMath(e.fn)) {
    const f = UNARY_MATH[e.fn];
    return (r) => {
      const n = toNum(a(r));
      return n === undefined ? undefined : f(n);
    };
  }
  switch (e.fn) {
    case "ispresent":
      return (r) => a(r) !== undefined;
    case "isempty":
      return (r) => {
        const v = a(r);
        return v === undefined || v === "";
      };
    case "isblank":
      return (r) => {
        const v = a(r);
        return v === undefined || String(v).trim() === "";
      };
    case "strcontains": {
      const b = compileExpr(e.args[1]!, field);
      return (r) => {
        const x = a(r);
        if (x === undefined) return false;
        const y = b(r);
        return y !== undefined && String(x).includes(String(y));
      };
    }
    case "tolower":
      return (r) => {
        const v = a(r);
        return v === undefined ? undefined : String(v).toLowerCase();
      };
    case "toupper":
      return (r) => {
        const v = a(r);
        return v === undefined ? undefined : String(v).toUpperCase();
      };
    case "strlen":
      return (r) => {
        const v = a(r);
        return v === undefined ? undefined : String(v).length;
      };
  }
}
