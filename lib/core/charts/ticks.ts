/**
 * Axis ticks.
 *
 * Invariants:
 * - y: `niceTicks(min, max, target)` returns evenly spaced ticks whose step is 1, 2 or 5 × 10^k (Heckbert's "nice
 *   numbers"), the first ≤ min and the last ≥ max, so the data always fits; about `target` ticks, never fewer
 *   than 2. A flat or empty domain still gets a usable axis (0..1 or around the single value).
 * - x: `timeTicks(start, end, target)` picks the smallest step from a fixed ladder of human intervals (1 min …
 *   30 days) giving at most `target` ticks, and places ticks on multiples of that step in UTC, inside [start, end].
 */
import { epochMs, type EpochMs } from "../units";

function niceStep(rough: number): number {
  const exp = Math.floor(Math.log10(rough));
  const base = 10 ** exp;
  const f = rough / base;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * base;
}

export interface NiceScale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

export function niceTicks(min: number, max: number, target = 5): NiceScale {
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    if (lo === 0) hi = 1;
    else {
      const pad = Math.abs(lo) * 0.1;
      lo -= lo > 0 ? Math.min(pad, lo) : pad;
      hi += pad;
    }
  }
  const step = niceStep((hi - lo) / Math.max(1, target - 1));
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Round to the step's precision so 0.1 + 0.2 prints as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  if (ticks.length < 2) ticks.push(Number((first + step).toFixed(decimals)));
  return { min: ticks[0] ?? first, max: ticks[ticks.length - 1] ?? last, step, ticks };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TIME_TICK_STEPS: readonly number[] = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

export interface TimeTicks {
  /** Milliseconds between ticks: lets a formatter choose `HH:mm` or `MMM d`. */
  step: number;
  ticks: EpochMs[];
}

export function timeTicks(start: EpochMs, end: EpochMs, target = 6): TimeTicks {
  const span = end - start;
  if (!(span > 0) || target < 1) return { step: MINUTE, ticks: [] };
  const step =
    TIME_TICK_STEPS.find((s) => Math.floor(end / s) - Math.ceil(start / s) + 1 <= target) ??
    Math.ceil(span / target / DAY) * DAY;
  const ticks: EpochMs[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(epochMs(t));
  return { step, ticks };
}
