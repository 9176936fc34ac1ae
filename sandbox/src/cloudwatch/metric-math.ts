/**
 * The arithmetic subset of CloudWatch metric math: numbers, ids of other queries, + − * / ^, unary minus and
 * parentheses. Any function (SEARCH, METRICS, FILL, …), string or other syntax is refused with a ValidationError
 * for the whole request: an unsupported expression never yields an empty success.
 *
 * Invariants:
 * - Precedence: unary minus > ^ (right-associative) > * / > + − (left-associative).
 * - series ∘ series is computed at the timestamps present in both (a period missing from either input has no
 *   result); series ∘ scalar applies to every point; a non-finite result (x/0) is dropped, as CloudWatch does
 *   not return NaN or Infinity datapoints.
 */
import { validationError } from "./wire";

export type Expr =
  | { k: "num"; v: number }
  | { k: "ref"; id: string }
  | { k: "neg"; e: Expr }
  | { k: "bin"; op: "+" | "-" | "*" | "/" | "^"; l: Expr; r: Expr };

export interface TimeSeries {
  timestamps: number[]; // epoch ms, ascending
  values: number[];
}

export type MathValue = number | TimeSeries;

type Token = { t: "num"; v: number } | { t: "id"; v: string } | { t: "op"; v: string };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(src: string, fail: (why: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    if ("+-*/^()".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    fail(`Unsupported character '${c}' at position ${i + 1}`);
  }
  return out;
}

/** Parses `src`; `queryId` names the query in error messages. `isId` says which identifiers are query ids. */
export function parseExpression(src: string, queryId: string, isId: (id: string) => boolean): Expr {
  const fail = (why: string): never => {
    throw validationError(`Error in expression '${queryId}': ${why}.`);
  };
  // Functions are refused by name first, whatever their arguments look like.
  const call = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(src);
  if (call) fail(`The function ${call[1]} is not supported by the Fleetscope sandbox`);
  const tokens = tokenize(src, fail);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.t === "op" && t.v === v;
  };

  const primary = (): Expr => {
    const t = tokens[pos++];
    if (!t) return fail("Unexpected end of expression");
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "id") {
      if (!isId(t.v)) return fail(`Unrecognized identifier '${t.v}'`);
      return { k: "ref", id: t.v };
    }
    if (t.v === "(") {
      const e = additive();
      if (!isOp(")")) return fail("Missing closing parenthesis");
      pos++;
      return e;
    }
    return fail(`Unexpected '${t.v}'`);
  };
  const unary = (): Expr => {
    if (isOp("-")) {
      pos++;
      return { k: "neg", e: unary() };
    }
    if (isOp("+")) {
      pos++;
      return unary();
    }
    return power();
  };
  const power = (): Expr => {
    const base = primary();
    if (isOp("^")) {
      pos++;
      return { k: "bin", op: "^", l: base, r: unary() };
    }
    return base;
  };
  const multiplicative = (): Expr => {
    let l = unary();
    while (isOp("*") || isOp("/")) {
      const op = (tokens[pos++] as { v: "*" | "/" }).v;
      l = { k: "bin", op, l, r: unary() };
    }
    return l;
  };
  const additive = (): Expr => {
    let l = multiplicative();
    while (isOp("+") || isOp("-")) {
      const op = (tokens[pos++] as { v: "+" | "-" }).v;
      l = { k: "bin", op, l, r: multiplicative() };
    }
    return l;
  };

  if (tokens.length === 0) fail("The expression is empty");
  const e = additive();
  if (pos < tokens.length) fail(`Unexpected '${String(peek()?.v)}'`);
  return e;
}

export function references(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.k === "ref") out.add(e.id);
  else if (e.k === "neg") references(e.e, out);
  else if (e.k === "bin") {
    references(e.l, out);
    references(e.r, out);
  }
  return out;
}

const APPLY: Record<"+" | "-" | "*" | "/" | "^", (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => a ** b,
};

function mapSeries(s: TimeSeries, f: (v: number) => number): TimeSeries {
  const out: TimeSeries = { timestamps: [], values: [] };
  for (let i = 0; i < s.timestamps.length; i++) {
    const v = f(s.values[i] as number);
    if (Number.isFinite(v)) {
      out.timestamps.push(s.timestamps[i] as number);
      out.values.push(v);
    }
  }
  return out;
}

function zipSeries(a: TimeSeries, b: TimeSeries, f: (x: number, y: number) => number): TimeSeries {
  const out: TimeSeries = { timestamps: [], values: [] };
  let i = 0;
  let j = 0;
  while (i < a.timestamps.length && j < b.timestamps.length) {
    const ta = a.timestamps[i] as number;
    const tb = b.timestamps[j] as number;
    if (ta < tb) i++;
    else if (tb < ta) j++;
    else {
      const v = f(a.values[i] as number, b.values[j] as number);
      if (Number.isFinite(v)) {
        out.timestamps.push(ta);
        out.values.push(v);
      }
      i++;
      j++;
    }
  }
  return out;
}

export function evaluate(e: Expr, lookup: (id: string) => TimeSeries): MathValue {
  switch (e.k) {
    case "num":
      return e.v;
    case "ref":
      return lookup(e.id);
    case "neg": {
      const v = evaluate(e.e, lookup);
      return typeof v === "number" ? -v : mapSeries(v, (x) => -x);
    }
    case "bin": {
      const f = APPLY[e.op];
      const l = evaluate(e.l, lookup);
      const r = evaluate(e.r, lookup);
      if (typeof l === "number" && typeof r === "number") return f(l, r);
      if (typeof l === "number") return mapSeries(r as TimeSeries, (y) => f(l, y));
      if (typeof r === "number") return mapSeries(l, (x) => f(x, r));
      return zipSeries(l, r, f);
    }
  }
}
