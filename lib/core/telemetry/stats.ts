/**
 * Statistics over invocations.
 *
 * Invariants:
 * - Percentiles interpolate linearly between closest ranks (Hyndman–Fan type 7, as numpy's default and Excel's
 *   PERCENTILE.INC): for sorted x[0..n-1], h = (n-1)·p, result = x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1]-x[⌊h⌋]). p0 is the
 *   minimum, p100 the maximum, and the result always lies within [min, max].
 * - No statistic invents a value: an empty input gives null, never 0, and a rate with a zero denominator is null
 *   ("no traffic" is not "0% errors").
 * - Error rate counts timeouts and OOM kills as errors, as the AWS/Lambda Errors metric does.
 */
import { ms, ratio, type Mb, type Ms, type Ratio } from "../units";
import type { Invocation } from "./types";

const sortedCopy = <T extends number>(values: readonly T[]): T[] =>
  values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);

function percentileOfSorted<T extends number>(sorted: readonly T[], p: number): T | null {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 100)) return null;
  const h = (n - 1) * (p / 100);
  const lo = Math.floor(h);
  const a = sorted[lo] as T;
  const b = sorted[Math.min(lo + 1, n - 1)] as T;
  return (a + (h - lo) * (b - a)) as T;
}

/** The p-th percentile (p in [0, 100]) of the finite values; null for no values or p out of range. */
export const percentile = <T extends number>(values: readonly T[], p: number): T | null =>
  percentileOfSorted(sortedCopy(values), p);

/** Several percentiles with one sort, keyed by p (`{ 50: …, 99: … }`). */
export function percentiles<T extends number, P extends number>(
  values: readonly T[],
  ps: readonly P[],
): Record<P, T | null> {
  const sorted = sortedCopy(values);
  const out = {} as Record<P, T | null>;
  for (const p of ps) out[p] = percentileOfSorted(sorted, p);
  return out;
}

export function mean<T extends number>(values: readonly T[]): T | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  return (finite.reduce((s, v) => s + v, 0) / finite.length) as T;
}

export function max<T extends number>(values: readonly T[]): T | null {
  let best: T | null = null;
  for (const v of values) if (Number.isFinite(v) && (best === null || v > best)) best = v;
  return best;
}

/** numerator / denominator, or null when the denominator is 0 (or either is not a finite count). */
export function rate(numerator: number, denominator: number): Ratio | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
  return ratio(numerator / denominator);
}

export const coldStartRate = (invocations: readonly Invocation[]): Ratio | null =>
  rate(invocations.filter((i) => i.coldStart).length, invocations.length);

export interface DistributionStats<T extends number> {
  count: number;
  p50: T | null;
  p90: T | null;
  p99: T | null;
  max: T | null;
  mean: T | null;
}

export function distribution<T extends number>(values: readonly T[]): DistributionStats<T> {
  const p = percentiles(values, [50, 90, 99] as const);
  return { count: values.length, p50: p[50], p90: p[90], p99: p[99], max: max(values), mean: mean(values) };
}

export interface InvocationStats {
  invocations: number;
  /** Every failed invocation: errors + timeouts + oom. */
  failed: number;
  errors: number;
  timeouts: number;
  oom: number;
  errorRate: Ratio | null;
  coldStarts: number;
  coldStartRate: Ratio | null;
  duration: DistributionStats<Ms>;
  /** Init (or SnapStart restore) durations of the cold starts only. */
  init: DistributionStats<Ms>;
  billedDurationTotal: Ms;
  maxMemoryUsed: Mb | null;
  /** The largest configured memory seen: a window may span a memory change. */
  memorySize: Mb | null;
  /** Peak of maxMemoryUsed / memorySize per invocation, so a memory change does not skew it. */
  peakMemoryUtilization: Ratio | null;
}

export function summarizeInvocations(invocations: readonly Invocation[]): InvocationStats {
  const count = (s: Invocation["status"]) => invocations.filter((i) => i.status === s).length;
  const errors = count("error");
  const timeouts = count("timeout");
  const oom = count("oom");
  const failed = errors + timeouts + oom;
  const cold = invocations.filter((i) => i.coldStart);
  const initTimes = cold.map((i) => i.initDuration ?? i.restoreDuration).filter((v): v is Ms => v !== null);
  const utilisation = invocations.filter((i) => i.memorySize > 0).map((i) => i.maxMemoryUsed / i.memorySize);
  const peak = max(utilisation);
  return {
    invocations: invocations.length,
    failed,
    errors,
    timeouts,
    oom,
    errorRate: rate(failed, invocations.length),
    coldStarts: cold.length,
    coldStartRate: rate(cold.length, invocations.length),
    duration: distribution(invocations.map((i) => i.duration)),
    init: distribution(initTimes),
    billedDurationTotal: ms(invocations.reduce((s, i) => s + i.billedDuration, 0)),
    maxMemoryUsed: max(invocations.map((i) => i.maxMemoryUsed)),
    memorySize: max(invocations.map((i) => i.memorySize)),
    peakMemoryUtilization: peak === null ? null : ratio(peak),
  };
}
