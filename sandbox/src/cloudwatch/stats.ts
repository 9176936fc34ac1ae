/**
 * CloudWatch statistics over the samples one series received in one period.
 *
 * Invariants:
 * - A `Samples` with count 0 never exists: a period without samples has no datapoint (CloudWatch omits it).
 * - `values`, when present, holds every sample (count of them), ascending. A merge does not sort: it keeps its
 *   parts' sorted arrays as `runs` (two-valued parts become a run of mins then maxes), and the first percentile
 *   asked merges the runs once (O(n log runs), cheaper than sorting) into `values`. Without either the samples
 *   are two-valued, {min, max} (counters such as Errors emit 0 or 1 per invocation; a gauge
 *   emits one value so min = max); percentiles are then exact from count and sum.
 * - Percentiles use the nearest-rank method: pNN is the smallest sample such that at least NN% of the samples are
 *   ≤ it (rank ⌈NN · n / 100⌉, computed exactly, at least 1). It always returns an observed value, never an
 *   interpolation, which makes it checkable by hand against the simulator's invocations. The other extended
 *   statistics (tm, wm, tc, ts, PR, IQM) are defined in extended-stats.ts on the same ranks.
 */
import { computeExtended, parseExtended, percentileRank, type ExtendedStatistic } from "./extended-stats";
import { validationError } from "./wire";

export interface Samples {
  count: number;
  sum: number;
  min: number;
  max: number;
  values?: Float64Array;
  /** Sorted runs holding every sample between them, until a percentile merges them into `values`. */
  runs?: Float64Array[];
}

export type SimpleStatistic = "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount";
export type Statistic = { kind: SimpleStatistic } | ExtendedStatistic;

export const SIMPLE_STATISTICS: ReadonlySet<string> = new Set([
  "Sum",
  "Average",
  "Minimum",
  "Maximum",
  "SampleCount",
]);

/** A statistic string (simple or extended), or null when CloudWatch would not accept it. */
export function tryParseStatistic(stat: string): Statistic | null {
  if (SIMPLE_STATISTICS.has(stat)) return { kind: stat as SimpleStatistic };
  return parseExtended(stat);
}

/**
 * Parses a MetricStat.Stat; `where` names the parameter. The wording is GetMetricData's own, e.g.
 * "The value None for parameter MetricDataQueries.member.223.MetricStat.Stat is not a valid statistic."
 */
export function parseStatistic(stat: string, where: string): Statistic {
  const parsed = tryParseStatistic(stat);
  if (!parsed) throw validationError(invalidStatisticMessage(stat, where));
  return parsed;
}

export const invalidStatisticMessage = (stat: string, where: string) =>
  `The value ${stat} for parameter ${where} is not a valid statistic.`;

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
    if (p.values || p.runs) withValues = true;
  }
  // Two-valued parts stay two-valued when all of them draw from the same pair {min, max}; else keep runs.
  const inPair = (v: number) => v === min || v === max;
  if (!withValues && parts.every((p) => inPair(p.min) && inPair(p.max))) return { count, sum, min, max };
  const runs: Float64Array[] = [];
  for (const p of parts) {
    if (p.values) runs.push(p.values);
    else if (p.runs) for (const r of p.runs) runs.push(r);
    else runs.push(twoValued(p));
  }
  return { count, sum, min, max, runs };
}

/**
 * The rank-th smallest (1-based) of `count` samples held in ascending runs, without merging them: a heap of the
 * runs' heads (or tails, walking down from the largest when that end is nearer) popped min(rank, count−rank+1)
 * times. O(runs + steps · log runs).
 */
export function rankInRuns(runs: readonly Float64Array[], rank: number, count: number): number {
  const fromTop = count - rank + 1 < rank;
  const steps = fromTop ? count - rank + 1 : rank;
  const sign = fromTop ? -1 : 1; // a min-heap on sign · value
  const run = new Int32Array(runs.length);
  const pos = new Int32Array(runs.length);
  const key = new Float64Array(runs.length);
  let size = 0;
  for (let r = 0; r < runs.length; r++) {
    const len = (runs[r] as Float64Array).length;
    if (len === 0) continue;
    run[size] = r;
    pos[size] = fromTop ? len - 1 : 0;
    key[size] = sign * ((runs[r] as Float64Array)[pos[size] as number] as number);
    size++;
  }
  const siftDown = (i: number): void => {
    const r0 = run[i] as number;
    const p0 = pos[i] as number;
    const k0 = key[i] as number;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const c = l + 1 < size && (key[l + 1] as number) < (key[l] as number) ? l + 1 : l;
      if ((key[c] as number) >= k0) break;
      run[i] = run[c] as number;
      pos[i] = pos[c] as number;
      key[i] = key[c] as number;
      i = c;
    }
    run[i] = r0;
    pos[i] = p0;
    key[i] = k0;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let step = 1; ; step++) {
    const values = runs[run[0] as number] as Float64Array;
    const at = pos[0] as number;
    if (step === steps) return values[at] as number;
    const next = fromTop ? at - 1 : at + 1;
    if (next < 0 || next >= values.length) {
      size--;
      run[0] = run[size] as number;
      pos[0] = pos[size] as number;
      key[0] = key[size] as number;
    } else {
      pos[0] = next;
      key[0] = sign * (values[next] as number);
    }
    siftDown(0);
  }
}

/** Materialises a merge's runs into sorted `values` now (for a merge that is cached and re-read). */
export function settle(s: Samples): Samples {
  if (s.runs) {
    s.values = mergeRuns(s.runs);
    s.runs = undefined;
  }
  return s;
}

/** A two-valued part's samples, ascending (reconstructed from count and sum). */
function twoValued(s: Samples): Float64Array {
  const out = new Float64Array(s.count);
  const lows = s.count - highCount(s);
  out.fill(s.min, 0, lows);
  out.fill(s.max, lows);
  return out;
}

/**
 * One ascending array from ascending runs. A few long runs: pairwise merge passes, ping-ponging between two
 * buffers. Many short ones (a day of minutes): concatenated and sorted natively, which measured faster.
 */
export function mergeRuns(runs: readonly Float64Array[]): Float64Array {
  if (runs.length === 1) return runs[0] as Float64Array;
  let total = 0;
  for (const r of runs) total += r.length;
  if (runs.length > 16) {
    const all = new Float64Array(total);
    let offset = 0;
    for (const r of runs) {
      all.set(r, offset);
      offset += r.length;
    }
    return all.sort();
  }
  let src = new Float64Array(total);
  let dst = new Float64Array(total);
  // starts[i] is where run i begins in src; a final entry marks the end.
  let starts: number[] = [];
  let at = 0;
  for (const r of runs) {
    starts.push(at);
    src.set(r, at);
    at += r.length;
  }
  starts.push(total);
  while (starts.length > 2) {
    const next: number[] = [];
    const n = starts.length - 1;
    for (let i = 0; i < n; i += 2) {
      const a = starts[i] as number;
      const b = starts[i + 1] as number;
      const c = i + 2 <= n ? (starts[i + 2] as number) : b;
      next.push(a);
      let x = a;
      let y = b;
      let k = a;
      while (x < b && y < c)
        dst[k++] = (src[x] as number) <= (src[y] as number) ? (src[x++] as number) : (src[y++] as number);
      while (x < b) dst[k++] = src[x++] as number;
      while (y < c) dst[k++] = src[y++] as number;
    }
    next.push(total);
    starts = next;
    [src, dst] = [dst, src];
  }
  return src;
}

/** How many samples of a two-valued part equal its max. */
function highCount(s: Samples): number {
  if (s.max === s.min) return s.count;
  return Math.round((s.sum - s.min * s.count) / (s.max - s.min));
}

/** The statistic's value; undefined when it has none (a trimmed mean over an empty range). */
export function computeStatistic(s: Samples, stat: Statistic): number | undefined {
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
      return percentile(s, percentileRank(stat.p, s.count));
    default:
      return computeExtended(sortedValues(s), stat);
  }
}

/** Every sample, ascending (merging runs once, or expanding a two-valued part). */
function sortedValues(s: Samples): Float64Array {
  if (s.runs) {
    s.values = mergeRuns(s.runs);
    s.runs = undefined;
  }
  return s.values ?? twoValued(s);
}

function percentile(s: Samples, rank: number): number {
  if (s.runs) {
    // A rank near either end (p90, p99, p10 …) is a short heap walk; a central one merges once for all.
    if (Math.min(rank, s.count - rank + 1) * 4 <= s.count) return rankInRuns(s.runs, rank, s.count);
    s.values = mergeRuns(s.runs);
    s.runs = undefined;
  }
  if (s.values) {
    return s.values[rank - 1] as number;
  }
  return rank > s.count - highCount(s) ? s.max : s.min;
}
