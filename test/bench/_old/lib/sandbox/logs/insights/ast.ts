/** The Logs Insights query AST the sandbox supports. Positions are character offsets into the query string. */

export type CompareOp = "=" | "!=" | "<" | ">" | "<=" | ">=";
export type ArithOp = "+" | "-" | "*" | "/" | "%";

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
] as const;
export type ScalarFn = (typeof SCALAR_FNS)[number];

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
