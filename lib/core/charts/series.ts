/**
 * Preparing metric series for charts (prepare, then render): aligning CloudWatch's sparse data points to the
 * period grid, deriving ratios and stacking.
 *
 * Invariants:
 * - The grid is t_i = start + i·period for every t_i < end; `start` is floored to the period first, so every
 *   series prepared for one bucket shares one grid (same length, same timestamps).
 * - CloudWatch omits periods without data. For a COUNT metric (Invocations, Errors, Throttles) no data means
 *   nothing happened: the point is 0. For a GAUGE (Duration, ConcurrentExecutions, utilisation) no data means
 *   no measurement: the point is null, a gap, never 0.
 * - Points outside [start, end) and non-finite values are dropped (treated as missing). Two points in one slot:
 *   counts add up, a gauge keeps the last one given.
 * - A derived ratio is null wherever its denominator is 0 or null ("no traffic" is not "0% errors").
 * - With `covered` (a store-backed view: where the collector has data), a slot whose part inside [start, end)
 *   is not wholly inside one covered interval is null for any kind: "not collected" is neither 0 nor a partial
 *   sum shown as whole. A slot only partly inside the window (its edges, when the period does not divide it) is
 *   judged by that part alone; `isPartialSlot` (time/bucket.ts) tells a chart to draw it as incomplete.
 */
import { epochMs, type EpochMs, type Seconds } from "../units";

export type SeriesKind = "count" | "gauge";

export interface SeriesPoint {
  t: EpochMs;
  v: number | null;
}

export interface SeriesInput {
  timestamps: readonly number[];
  values: readonly number[];
  start: EpochMs;
  end: EpochMs;
  period: Seconds;
  kind: SeriesKind;
  /** Sorted, merged intervals (epoch ms) the data is known for; absent: the whole window. */
  covered?: readonly { from: number; to: number }[];
}

/** The grid's timestamps for [start, end) at `period`, start floored to the period. */
export function periodGrid(start: EpochMs, end: EpochMs, period: Seconds): EpochMs[] {
  const step = period * 1000;
  if (!(step > 0)) return [];
  const first = Math.floor(start / step) * step;
  const out: EpochMs[] = [];
  for (let t = first; t < end; t += step) out.push(epochMs(t));
  return out;
}

export function prepareSeries(input: SeriesInput): SeriesPoint[] {
  const grid = periodGrid(input.start, input.end, input.period);
  const step = input.period * 1000;
  const first = grid[0];
  const values: (number | null)[] = grid.map(() => (input.kind === "count" ? 0 : null));
  if (first === undefined) return [];
  const n = Math.min(input.timestamps.length, input.values.length);
  for (let i = 0; i < n; i++) {
    const t = input.timestamps[i] as number;
    const v = input.values[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(v) || t < first || t >= input.end) continue;
    const slot = Math.floor((t - first) / step);
    if (slot >= values.length) continue;
    values[slot] = input.kind === "count" ? (values[slot] ?? 0) + v : v;
  }
  const covered = input.covered;
  const known = (t: number) => {
    if (!covered) return true;
    const from = Math.max(t, input.start);
    const to = Math.min(t + step, input.end);
    return covered.some((c) => c.from <= from && to <= c.to);
  };
  return grid.map((t, i) => ({ t, v: known(t) ? (values[i] ?? null) : null }));
}

/** numerator / denominator per point, on the shared grid; null where the denominator is 0 or missing. */
export function ratioSeries(
  numerator: readonly SeriesPoint[],
  denominator: readonly SeriesPoint[],
): SeriesPoint[] {
  if (numerator.length !== denominator.length) throw new Error("ratioSeries: series are on different grids");
  return numerator.map((p, i) => {
    const d = denominator[i]?.v ?? null;
    if (p.v === null || d === null || d === 0) return { t: p.t, v: null };
    return { t: p.t, v: p.v / d };
  });
}

/** Error rate: errors / invocations, a gap where there were no invocations. */
export const errorRateSeries = (errors: readonly SeriesPoint[], invocations: readonly SeriesPoint[]) =>
  ratioSeries(errors, invocations);

export interface StackBand {
  t: EpochMs;
  /** Bottom and top of this layer; null where this layer has no data (drawn as a gap). */
  y0: number | null;
  y1: number | null;
}

export interface StackedLayer {
  key: string;
  bands: StackBand[];
}

/**
 * Stacks series (e.g. invocations per alias version) in the order given, bottom first. A missing value adds
 * nothing to the stack and leaves a gap in its own layer only.
 */
export function stackSeries(
  layers: readonly { key: string; points: readonly SeriesPoint[] }[],
): StackedLayer[] {
  const length = layers[0]?.points.length ?? 0;
  if (layers.some((l) => l.points.length !== length))
    throw new Error("stackSeries: series are on different grids");
  const base: number[] = new Array<number>(length).fill(0);
  return layers.map(({ key, points }) => ({
    key,
    bands: points.map((p, i) => {
      const y0 = base[i] ?? 0;
      if (p.v === null) return { t: p.t, y0: null, y1: null };
      base[i] = y0 + p.v;
      return { t: p.t, y0, y1: y0 + p.v };
    }),
  }));
}

/** Largest value of any point, for the y domain; null when every point is a gap. */
export function seriesMax(series: readonly (readonly SeriesPoint[])[]): number | null {
  let best: number | null = null;
  for (const s of series) for (const p of s) if (p.v !== null && (best === null || p.v > best)) best = p.v;
  return best;
}
