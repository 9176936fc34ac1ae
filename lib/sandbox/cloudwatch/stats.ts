/**
 * CloudWatch statistics over the samples one series received in one period.
 *
 * Invariants:
 * - A `Samples` with count 0 never exists: a period without samples has no datapoint (CloudWatch omits it).
 * - `values`, when present, holds every sample (count of them), ascending once `sortSamples` has run (a typed
 *   array: its native sort is numeric and several times faster than a comparator sort). When it is
 *   absent the samples are two-valued, {min, max} (counters such as Errors emit 0 or 1 per invocation; a gauge
 *   emits one value so min = max); percentiles are then exact from count and sum.
 * - Percentiles use the nearest-rank method: pNN is the smallest sample such that at least NN% of the samples are
 *   ≤ it (rank ⌈NN/100 · n⌉, at least 1). It always returns an observed value, never an interpolation, which
 *   makes it checkable by hand against the simulator's invocations.
 */
import { validationError } from "./wire";

export interface Samples {
  count: number;
  sum: number;
  min: number;
  max: number;
  values?: Float64Array;
  sorted?: boolean;
}

export type Statistic =
  { kind: "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount" } | { kind: "percentile"; p: number };

const SIMPLE = new Set(["Sum", "Average", "Minimum", "Maximum", "SampleCount"]);
const PERCENTILE = /^[pP](\d{1,3}(?:\.\d{1,10})?)$/;
/** Extended statistics CloudWatch accepts that this sandbox does not compute: refused loudly, never approximated. */
const UNSUPPORTED_EXTENDED = /^(tm|wm|tc|ts|TM|WM|TC|TS|PR|IQM)/;

/** Parses a MetricStat.Stat; `where` names the parameter as CloudWatch's messages do. */
export function parseStatistic(stat: string, where: string): Statistic {
  if (SIMPLE.has(stat)) return { kind: stat as "Sum" };
  const m = PERCENTILE.exec(stat);
  if (m?.[1] !== undefined) {
    const p = Number(m[1]);
    if (p >= 0 && p <= 100) return { kind: "percentile", p };
  }
  if (UNSUPPORTED_EXTENDED.test(stat)) {
    throw validationError(`The statistic ${stat} in ${where} is not supported by the Fleetscope sandbox.`);
  }
  throw validationError(`The value for parameter ${where} is not a valid statistic.`);
}

export function sortSamples(s: Samples): void {
  if (s.values && !s.sorted) {
    s.values.sort();
    s.sorted = true;
  }
}

/** Merges several minutes' samples into one period's; returns undefined when none has samples. */
export function mergeSamples(parts: readonly Samples[]): Samples | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let withValues = false;
  for (const p of parts) {
    count += p.count;
    sum += p.sum;
    if (p.min < min) min = p.min;
    if (p.max > max) max = p.max;
    if (p.values) withValues = true;
  }
  // Two-valued parts stay two-valued when all of them draw from the same pair {min, max}; else materialise.
  const inPair = (v: number) => v === min || v === max;
  if (!withValues && parts.every((p) => inPair(p.min) && inPair(p.max))) return { count, sum, min, max };
  const values = new Float64Array(count);
  let at = 0;
  for (const p of parts) at = writeSamples(p, values, at);
  return { count, sum, min, max, values, sorted: false };
}

/** Writes every sample of a part into `out` from `at` (two-valued parts are reconstructed from count and sum). */
function writeSamples(s: Samples, out: Float64Array, at: number): number {
  if (s.values) {
    out.set(s.values, at);
    return at + s.values.length;
  }
  const lows = s.count - highCount(s);
  out.fill(s.min, at, at + lows);
  out.fill(s.max, at + lows, at + s.count);
  return at + s.count;
}

/** How many samples of a two-valued part equal its max. */
function highCount(s: Samples): number {
  if (s.max === s.min) return s.count;
  return Math.round((s.sum - s.min * s.count) / (s.max - s.min));
}

export function computeStatistic(s: Samples, stat: Statistic): number {
  switch (stat.kind) {
    case "Sum":
      return s.sum;
    case "SampleCount":
      return s.count;
    case "Average":
      return s.sum / s.count;
    case "Minimum":
      return s.min;
    case "Maximum":
      return s.max;
    case "percentile":
      return percentile(s, stat.p);
  }
}

function percentile(s: Samples, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * s.count));
  if (s.values) {
    sortSamples(s);
    return s.values[rank - 1] as number;
  }
  return rank > s.count - highCount(s) ? s.max : s.min;
}
