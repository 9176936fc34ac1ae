/**
 * CloudWatch's extended statistics over one period's samples, exactly, from every sample (sorted ascending).
 * Source: "CloudWatch statistics definitions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 *
 * Grammar accepted (what that page documents; anything else is "not a valid statistic"):
 *   pNN[.N…]                         percentile, 0–100, up to 10 decimals
 *   tmNN | wmNN | tcNN | tsNN        shorthand for TM(:NN%) … TS(:NN%)
 *   TM|WM|TC|TS(a%:b%) (a%:) (:b%)   bounds in percent of the samples
 *   TM|WM|TC|TS(a:b) (a:) (:b)       bounds as absolute values
 *   PR(a:b) (a:) (:b)                percentile rank, absolute bounds only
 *   IQM                              TM(25%:75%)
 *
 * Semantics (n samples v1 ≤ … ≤ vn; rank(q) = ⌈q·n/100⌉ computed exactly, the nearest rank pNN uses):
 * - Absolute bounds keep lo < v ≤ hi ("exclusive on the lower bound and inclusive on the upper bound").
 * - Percent bounds keep the ranks rank(a)+1 … rank(b): tm90 drops the 10% highest samples, TM(10%:90%) the 10%
 *   lowest and the 10% highest. Without ties this is the same as the absolute rule with the bounds pa and pb.
 * - TM: mean of the kept samples; TC: their count; TS: their sum (TM · TC). Sums run in ascending order.
 * - WM: mean of every sample clamped to [lo, hi], where a percent bound is the nearest-rank percentile pa / pb
 *   ("treating the highest 10% to be the value of the 90% boundary") and an absolute bound is the value itself.
 * - PR: percentage (0–100) of the samples with lo < v ≤ hi.
 * - An empty kept range has no TM/WM value (the datapoint is omitted, never a made-up 0); TC and TS are 0.
 */

/** A decimal as units / 10^decimals, so ranks are exact integers, not float products. */
export interface Decimal {
  units: bigint;
  decimals: number;
  value: number;
}

export type Bound = { percent: true; at: Decimal } | { percent: false; at: number };

export type ExtendedStatistic =
  | { kind: "percentile"; p: Decimal }
  | { kind: "TM" | "WM" | "TC" | "TS"; lower: Bound | null; upper: Bound | null }
  | { kind: "PR"; lower: number | null; upper: number | null };

const NUMBER = "(\\d+(?:\\.\\d+)?)";
const PERCENTILE = /^p(\d{1,3}(?:\.\d{1,10})?)$/;
const SHORTHAND = /^(tm|wm|tc|ts)(\d{1,3}(?:\.\d{1,10})?)$/;
const LONG = new RegExp(`^(TM|WM|TC|TS|PR)\\((?:${NUMBER}(%?))?:(?:${NUMBER}(%?))?\\)$`);

function decimal(text: string): Decimal | null {
  const [int = "", frac = ""] = text.split(".");
  if (frac.length > 10) return null;
  return { units: BigInt(int + frac), decimals: frac.length, value: Number(text) };
}

const inPercentRange = (d: Decimal) => d.value >= 0 && d.value <= 100;

/** Parses an extended statistic; null when CloudWatch would not accept the string. */
export function parseExtended(stat: string): ExtendedStatistic | null {
  if (stat === "IQM") return iqm();
  const p = PERCENTILE.exec(stat);
  if (p?.[1] !== undefined) {
    const d = decimal(p[1]);
    return d && inPercentRange(d) ? { kind: "percentile", p: d } : null;
  }
  const s = SHORTHAND.exec(stat);
  if (s?.[1] !== undefined && s[2] !== undefined) {
    const d = decimal(s[2]);
    if (!d || !inPercentRange(d)) return null;
    return { kind: s[1].toUpperCase() as "TM", lower: null, upper: { percent: true, at: d } };
  }
  const l = LONG.exec(stat);
  if (!l) return null;
  const [, fn, lo, loPct, hi, hiPct] = l;
  if (lo === undefined && hi === undefined) return null;
  const percent = (lo !== undefined && loPct === "%") || (hi !== undefined && hiPct === "%");
  // Both bounds share one kind: TM(10%:500) mixes them and is refused.
  if ((lo !== undefined && (loPct === "%") !== percent) || (hi !== undefined && (hiPct === "%") !== percent))
    return null;
  if (fn === "PR") {
    if (percent) return null;
    const lower = lo === undefined ? null : Number(lo);
    const upper = hi === undefined ? null : Number(hi);
    if (lower !== null && upper !== null && !(lower < upper)) return null;
    return { kind: "PR", lower, upper };
  }
  const bound = (text: string | undefined): Bound | null | undefined => {
    if (text === undefined) return null;
    if (!percent) return { percent: false, at: Number(text) };
    const d = decimal(text);
    return d && inPercentRange(d) ? { percent: true, at: d } : undefined;
  };
  const lower = bound(lo);
  const upper = bound(hi);
  if (lower === undefined || upper === undefined) return null;
  if (lower && upper && !(boundValue(lower) < boundValue(upper))) return null;
  return { kind: fn as "TM", lower, upper };
}

const boundValue = (b: Bound) => (b.percent ? b.at.value : b.at);

function iqm(): ExtendedStatistic {
  return {
    kind: "TM",
    lower: { percent: true, at: { units: 25n, decimals: 0, value: 25 } },
    upper: { percent: true, at: { units: 75n, decimals: 0, value: 75 } },
  };
}

/** ⌈q·n/100⌉ exactly: the count of samples at or below the nearest-rank q-th percentile. */
export function rankOf(q: Decimal, n: number): number {
  const den = 100n * 10n ** BigInt(q.decimals);
  return Number((q.units * BigInt(n) + den - 1n) / den);
}

/** The nearest-rank percentile's 1-based rank (at least 1). */
export const percentileRank = (p: Decimal, n: number) => Math.max(1, rankOf(p, n));

/** Value of an extended statistic over ascending `sorted` (non-empty); undefined when it has no value. */
export function computeExtended(sorted: Float64Array, stat: ExtendedStatistic): number | undefined {
  const n = sorted.length;
  switch (stat.kind) {
    case "percentile":
      return sorted[percentileRank(stat.p, n) - 1];
    case "PR": {
      const [from, to] = absoluteRange(sorted, stat.lower, stat.upper);
      return ((to - from) * 100) / n;
    }
    case "WM":
      return winsorized(sorted, stat.lower, stat.upper);
    default: {
      const [from, to] = keptRange(sorted, stat.lower, stat.upper);
      if (stat.kind === "TC") return to - from;
      let sum = 0;
      for (let i = from; i < to; i++) sum += sorted[i] as number;
      if (stat.kind === "TS") return sum;
      return to > from ? sum / (to - from) : undefined;
    }
  }
}

/** Index range [from, to) of the kept samples. */
function keptRange(sorted: Float64Array, lower: Bound | null, upper: Bound | null): [number, number] {
  const n = sorted.length;
  if ((lower && !lower.percent) || (upper && !upper.percent)) {
    return absoluteRange(
      sorted,
      lower && !lower.percent ? lower.at : null,
      upper && !upper.percent ? upper.at : null,
    );
  }
  const from = lower?.percent ? rankOf(lower.at, n) : 0;
  const to = upper?.percent ? rankOf(upper.at, n) : n;
  return [from, Math.max(from, to)];
}

/** [from, to) of the samples with lower < v ≤ upper (a null bound is open). */
function absoluteRange(sorted: Float64Array, lower: number | null, upper: number | null): [number, number] {
  const from = lower === null ? 0 : firstIndex(sorted, (v) => v > lower);
  const to = upper === null ? sorted.length : firstIndex(sorted, (v) => v > upper);
  return [from, Math.max(from, to)];
}

/** The first index whose value satisfies a predicate that is monotone over the ascending array. */
function firstIndex(sorted: Float64Array, pred: (v: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(sorted[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function winsorized(sorted: Float64Array, lower: Bound | null, upper: Bound | null): number | undefined {
  const n = sorted.length;
  const edge = (b: Bound | null, fallback: number) =>
    b === null ? fallback : b.percent ? (sorted[percentileRank(b.at, n) - 1] as number) : b.at;
  const lo = edge(lower, -Infinity);
  const hi = edge(upper, Infinity);
  if (lo > hi) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.min(hi, Math.max(lo, sorted[i] as number));
  return sum / n;
}
