/**
 * The numeric semantics of Insights' arithmetic operators and numeric functions, for the expression compiler
 * (compile.ts) and the aggregations (aggregate.ts).
 *
 * Invariants:
 * - Operands are already numbers (callers coerce with toNum; an absent operand never gets here), except for
 *   greatest/least, which skip absent and non-numeric arguments (as SQL engines' GREATEST/LEAST skip NULLs)
 *   and are absent only when no argument is a number: AWS documents no rule for them.
 * - `/` and `%` by zero give undefined (absent), never Infinity/NaN; that is the sandbox's long-standing
 *   choice for a result Insights leaves undocumented.
 * - log and sqrt follow IEEE 754 as JavaScript's Math does (log(0) = -Infinity, log(-1) = NaN, sqrt(-1) = NaN):
 *   AWS documents only "Natural log" and "Square root", and a log-spaced histogram bucket
 *   (`floor(log(@duration) / log(1.1))`) must still group a zero duration somewhere rather than drop it.
 */
import type { ArithOp } from "./ast";
import type { Value } from "./fields";

/** A value as a number: numbers as they are, numeric strings parsed, anything else undefined. */
export function toNum(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

export const ARITH: Record<ArithOp, (a: number, b: number) => number | undefined> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => (b === 0 ? undefined : a / b),
  "%": (a, b) => (b === 0 ? undefined : a % b),
  "^": (a, b) => a ** b,
};

/** The one-argument numeric functions. */
export const UNARY_MATH = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  log: Math.log,
  sqrt: Math.sqrt,
} as const;
export type UnaryMathFn = keyof typeof UNARY_MATH;

export const isUnaryMath = (fn: string): fn is UnaryMathFn => Object.hasOwn(UNARY_MATH, fn);

/**
 * greatest() (most = true) or least() of `count` arguments read through `arg(i)`: no array per call, so the
 * compiled path can use it per record.
 */
export function extreme(most: boolean, count: number, arg: (i: number) => Value): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < count; i++) {
    const n = toNum(arg(i));
    if (n === undefined) continue;
    if (best === undefined || (most ? n > best : n < best)) best = n;
  }
  return best;
}
