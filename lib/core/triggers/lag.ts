/**
 * Whether a stream consumer is falling behind, judged one way for every reader: /sources
 * (source-health.ts, over the range's buckets) and the Advisor's stream-falling-behind (over hourly maxima) call
 * `judgeLag` with the same thresholds (LAG_DEFAULTS are the Advisor's `streamLag` defaults), so on the same series
 * they say the same thing. Pure.
 *
 * Invariants:
 * - Falling behind needs a trend, not a peak: some trailing run of the series, at least `minHours` long and
 *   MIN_POINTS points, whose least-squares IteratorAge slope is at least `minGrowthMsPerHour` and SLOPE_T_MIN
 *   standard errors above zero; both halves of that run rise (`sustained`), so a jump at its end is not hours of
 *   growth; and the newest age is at least HIGH_AGE_MS (a few seconds growing is jitter, not a backlog).
 * - Among the runs that qualify, the best fit (highest slope / standard error) is kept; among equally good fits
 *   (a perfect line) the longest.
 * - A missing point is a gap, never 0: callers pass only the points the metric reported.
 * - Hourly maxima are read as "the age at the hour's end" (a rising age peaks there), so an hour still open is
 *   moved to the hour that ends where its data ends (closeOpenHour); read at its start, a partial hour's lower
 *   maximum would bend the line down and understate the growth by minutes an hour.
 * - One pass from the newest point back (running sums), so a long range of minute buckets costs O(n).
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (IteratorAge).
 */
import { formatDuration } from "../format";
import { ms } from "../units";

/** One IteratorAge maximum: `t` is its bucket's start (epoch ms). */
export interface LagPoint {
  t: number;
  maxMs: number;
}

export interface LagThresholds {
  /** The age must grow at least this much per hour (a healthy stream's jitter is milliseconds)… */
  minGrowthMsPerHour: number;
  /** …over a trailing run at least this long, so one spike cannot make a trend. */
  minHours: number;
}

/** 10 min/h over at least 2 h: a 3-hour /sources range can show a trend, and hourly maxima need 5 points anyway. */
export const LAG_DEFAULTS: LagThresholds = { minGrowthMsPerHour: 10 * 60_000, minHours: 2 };
/** The slope must be this many standard errors above zero. */
export const SLOPE_T_MIN = 3;
/** The newest age must be this high: five minutes behind and growing is a backlog, not jitter. */
export const HIGH_AGE_MS = 5 * 60_000;
/** Fewer points than this cannot show a trend. */
export const MIN_POINTS = 5;

const HOUR_MS = 3_600_000;
/** A residual this small relative to the spread is a perfect line (floating-point noise, not misfit). */
const PERFECT_FIT = 1e-12;

export interface GrowthRun<P extends LagPoint = LagPoint> {
  from: P;
  to: P;
  points: number;
  slopeMsPerHour: number;
}

export interface LagJudgement<P extends LagPoint = LagPoint> {
  /** The trailing run showing the consumer falling behind; null: it is not (or cannot be told). */
  run: GrowthRun<P> | null;
  latest: P | null;
  peakMs: number | null;
  /** Least-squares slope over the whole series (ms per hour); null with fewer than MIN_POINTS points. */
  overallSlopeMsPerHour: number | null;
  /** How long the series spans, in hours (0 without points). */
  spanHours: number;
}

interface Sums {
  n: number;
  x: number;
  y: number;
  xx: number;
  xy: number;
  yy: number;
}

/** Slope (y per x) and its t statistic from running sums; null when x does not vary. */
function fit(s: Sums): { slope: number; t: number } | null {
  const sxx = s.xx - (s.x * s.x) / s.n;
  if (!(sxx > 0)) return null;
  const sxy = s.xy - (s.x * s.y) / s.n;
  const syy = s.yy - (s.y * s.y) / s.n;
  const slope = sxy / sxx;
  const sse = syy - slope * sxy;
  if (sse <= PERFECT_FIT * syy) return { slope, t: slope === 0 ? 0 : slope * Infinity };
  const se = Math.sqrt(sse / (s.n - 2) / sxx);
  return { slope, t: slope / se };
}

/** Both halves of the run points[from..] rise by at least half the growth asked. */
function sustained(points: readonly LagPoint[], from: number, minGrowthMsPerHour: number): boolean {
  const first = points[from]!;
  const last = points[points.length - 1]!;
  const mid = points[from + Math.floor((points.length - 1 - from) / 2)]!;
  const rose = (a: LagPoint, b: LagPoint) =>
    b.maxMs - a.maxMs >= 0.5 * minGrowthMsPerHour * ((b.t - a.t) / HOUR_MS);
  return rose(first, mid) && rose(mid, last);
}

/** The judgement of one IteratorAge series (any order; points at the same time are kept as they come). */
export function judgeLag<P extends LagPoint>(
  series: readonly P[],
  thresholds: LagThresholds,
): LagJudgement<P> {
  const points = [...series].sort((a, b) => a.t - b.t);
  const latest = points.at(-1) ?? null;
  if (latest === null) return { run: null, latest, peakMs: null, overallSlopeMsPerHour: null, spanHours: 0 };
  const peakMs = Math.max(...points.map((p) => p.maxMs));
  const { minGrowthMsPerHour, minHours } = thresholds;
  // x: hours before the newest point (≤ 0), y: the age in hours, so the slope is hours of age per hour.
  const sums: Sums = { n: 0, x: 0, y: 0, xx: 0, xy: 0, yy: 0 };
  let best: GrowthRun<P> | null = null;
  let bestT = -Infinity;
  let overall: number | null = null;
  for (let s = points.length - 1; s >= 0; s--) {
    const p = points[s]!;
    const x = (p.t - latest.t) / HOUR_MS;
    const y = p.maxMs / HOUR_MS;
    sums.n++;
    sums.x += x;
    sums.y += y;
    sums.xx += x * x;
    sums.xy += x * y;
    sums.yy += y * y;
    if (sums.n < MIN_POINTS) continue;
    const f = fit(sums);
    if (f === null) continue;
    if (s === 0) overall = f.slope * HOUR_MS;
    if (latest.t - p.t < minHours * HOUR_MS || latest.maxMs < HIGH_AGE_MS) continue;
    const slopeMsPerHour = f.slope * HOUR_MS;
    if (slopeMsPerHour < minGrowthMsPerHour || f.t < SLOPE_T_MIN) continue;
    if (!sustained(points, s, minGrowthMsPerHour)) continue;
    // Runs grow longer as s falls: `>=` keeps the longest of equally good fits.
    if (f.t >= bestT) {
      best = { from: p, to: latest, points: sums.n, slopeMsPerHour };
      bestT = f.t;
    }
  }
  return {
    run: best,
    latest,
    peakMs,
    overallSlopeMsPerHour: overall,
    spanHours: (latest.t - points[0]!.t) / HOUR_MS,
  };
}

/**
 * Hourly maxima (`t`: the hour's start) whose newest hour is still open at `coveredUntil`: that point is moved to
 * the hour ending there (t = coveredUntil − 1 h), since its maximum is the age where its data ends. Order kept.
 */
export function closeOpenHour(points: readonly LagPoint[], coveredUntil: number): LagPoint[] {
  const newest = points.reduce<LagPoint | null>((a, p) => (a === null || p.t > a.t ? p : a), null);
  if (newest === null || coveredUntil >= newest.t + HOUR_MS || coveredUntil <= newest.t) return [...points];
  return points.map((p) => (p === newest ? { ...p, t: coveredUntil - HOUR_MS } : p));
}

/** A lag's growth per hour: "48m 0s/hour"; `signed` adds "+" or "−" (a trend that may fall). */
export function formatLagGrowth(msPerHour: number, signed = false): string {
  const sign = signed ? (msPerHour < 0 ? "−" : "+") : "";
  return `${sign}${formatDuration(ms(Math.abs(msPerHour)))}/hour`;
}
