/** The Logs Insights query AST the sandbox supports. Positions are character offsets into the query string. */

export type CompareOp = "=" | "!=" | "<" | ">" | "<=" | ">=";
/** `^` is exponentiation (`2 ^ 3` is 8): Insights has no pow() function. */
export type ArithOp = "+" | "-" | "*" | "/" | "%" | "^";

export type Expr =
  | { k: "field"; name: string }
  | { k: "str"; v: string }
  | { k: "num"; v: number }
  | { k: "neg"; e: Expr }
  | { k: "not"; e: Expr }
  | { k: "arith"; op: ArithOp; l: Expr; r: Expr }
  | { k: "cmp"; op: CompareOp; l: Expr; r: Expr }
  | { k: "logic"; op: "and" | "or"; l: Expr; r: Expr }
  | { k: "like"; e: Expr; re: RegExp | null; sub: string | null; neg: boolean }
  | { k: "in"; e: Expr; list: Expr[]; neg: boolean }
  | { k: "call"; fn: ScalarFn; args: Expr[] }
  | { k: "bin"; ms: number };

export const SCALAR_FNS = [
  "ispresent",
  "isempty",
  "isblank",
  "strcontains",
  "tolower",
  "toupper",
  "strlen",
  "abs",
  "ceil",
  "floor",
  "log",
  "sqrt",
  "greatest",
  "least",
] as const;
export type ScalarFn = (typeof SCALAR_FNS)[number];

/**
 * [min, max] arguments per function, as the Insights docs give the signatures: `greatest(a: number,
 * ...numbers: number[])` and `least(…)` take one or more; the other numeric and string functions one.
 */
export const FN_ARITY: Record<ScalarFn, readonly [number, number]> = {
  ispresent: [1, 1],
  isempty: [1, 1],
  isblank: [1, 1],
  strcontains: [2, 2],
  tolower: [1, 1],
  toupper: [1, 1],
  strlen: [1, 1],
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  log: [1, 1],
  sqrt: [1, 1],
  greatest: [1, Infinity],
  least: [1, Infinity],
};

export const AGG_FNS = ["count", "count_distinct", "sum", "avg", "min", "max", "pct"] as const;
export type AggFn = (typeof AGG_FNS)[number];

export interface Agg {
  fn: AggFn;
  /** null for count(*) / count(). */
  arg: Expr | null;
  percentile?: number;
  name: string;
}

export interface NamedExpr {
  e: Expr;
  name: string;
  /** The column holds epoch ms and is printed as a timestamp (@timestamp, @ingestionTime, bin()). */
  time: boolean;
}

export type Command =
  | { k: "fields"; items: NamedExpr[] }
  | { k: "display"; items: NamedExpr[] }
  | { k: "filter"; e: Expr }
  | { k: "stats"; aggs: Agg[]; by: NamedExpr[] }
  | { k: "sort"; keys: { e: Expr; desc: boolean }[] }
  | { k: "limit"; n: number }
  | { k: "parse"; source: Expr; re: RegExp; names: string[] };

export interface Query {
  commands: Command[];
}
