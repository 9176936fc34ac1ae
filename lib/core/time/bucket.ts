/**
 * The window every telemetry view reads: exactly the one asked for, in whole minutes, with a chart period.
 *
 * Invariants of `bucketRange(window, now, period)`, with g the data granularity CloudWatch keeps for the window's
 * start (60 s, 300 s after 15 days, 3600 s after 63 days: `minimumPeriodForAge`) and P the chart period:
 * - start = floor(window.start / g)·g and end = floor(window.end / g)·g: both ends move back by less than g, so
 *   a preset keeps its exact length and a minute still running (end ≤ now is already guaranteed) is left out,
 *   never drawn as a drop. (A 30-day window therefore ends at the last whole 5 minutes: its start only exists
 *   at 5-minute resolution, and keeping its length exact wins over the last few minutes.) A window that holds no whole g is InvalidInput. `aligned` says when an end moved, for the
 *   page to state it.
 * - Totals read exactly [start, end). The chart grid is P-aligned (periodGrid), so when P does not divide the
 *   window its first and last slots reach outside it: they hold only the part inside, and are marked partial
 *   (`isPartialSlot`) so that a chart draws them as incomplete instead of as a drop.
 * - `live` is true while the collector may still rewrite the window's data (its end is within SETTLING_MS of
 *   now: CloudWatch publishes late); such a cache entry must expire soon.
 * - `key` depends only on [start, end) and P, so every viewer of a relative preset within one minute shares it.
 */
import { invalidInput } from "../errors";
import { epochMs, type EpochMs, type Seconds } from "../units";
import { choosePeriod, minimumPeriodForAge } from "./period";
import { resolveRange, type RangeSpec, type TimeWindow } from "./range";

/** How long after a minute closes its data may still change in the store (metrics settle window, with slack). */
export const SETTLING_MS = 15 * 60_000;

export interface RangeBucket extends TimeWindow {
  period: Seconds;
  /** Number of chart slots of the period the window touches. */
  points: number;
  live: boolean;
  /** Granularity the ends were aligned to (seconds), and whether that moved either end of the asked window. */
  granularity: Seconds;
  aligned: boolean;
  /** Stable cache key: `<start>-<end>-<period>` (epoch ms and seconds). */
  key: string;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

export function bucketRange(window: TimeWindow, now: EpochMs, period: Seconds): RangeBucket {
  const granularity = minimumPeriodForAge(now - window.start);
  const g = granularity * 1000;
  const start = epochMs(floorTo(window.start, g));
  const end = epochMs(floorTo(window.end, g));
  if (!(start < end)) {
    throw invalidInput(`The range holds no whole ${granularity / 60}-minute period yet.`, {
      from: window.start,
      to: window.end,
    });
  }
  const step = period * 1000;
  const points = Math.ceil(end / step) - Math.floor(start / step);
  return {
    start,
    end,
    period,
    points,
    live: end + SETTLING_MS > now,
    granularity,
    aligned: start !== window.start || end !== window.end,
    key: `${start}-${end}-${period}`,
  };
}

/**
 * The one way from what the user chose to what collection and every telemetry view read: resolve the spec at
 * `now` (range.ts rules), choose the chart period (retention and density), align. Throws InvalidInput for a range
 * CloudWatch cannot answer.
 */
export function bucketForRange(spec: RangeSpec, now: EpochMs): RangeBucket {
  const window = resolveRange(spec, now);
  return bucketRange(window, now, choosePeriod(window, now));
}

/** Whether the chart slot starting at `t` reaches outside [start, end): it holds only part of a period. */
export const isPartialSlot = (t: number, bucket: Pick<RangeBucket, "start" | "end" | "period">): boolean =>
  t < bucket.start || t + bucket.period * 1000 > bucket.end;

/** The part of the slot starting at `t` that lies inside the window (what a covered check must look at). */
export const slotInWindow = (
  t: number,
  step: number,
  window: { start: number; end: number },
): { from: number; to: number } => ({ from: Math.max(t, window.start), to: Math.min(t + step, window.end) });

/** What the page says when aligning moved the asked window (null: it reads exactly what was asked). */
export function alignmentNote(bucket: Pick<RangeBucket, "aligned" | "granularity">): string | null {
  if (!bucket.aligned) return null;
  if (bucket.granularity === 60) return "whole minutes: the minute still running is left out";
  const minutes = bucket.granularity / 60;
  const days = bucket.granularity === 300 ? 15 : 63;
  return `aligned to whole ${minutes}-minute periods: CloudWatch keeps only ${minutes}-minute data after ${days} days`;
}

/**
 * What a live per-period GetMetricData asks for. CloudWatch counts periods from StartTime, so a start inside a
 * slot would shift every point off the epoch-aligned grid: the query starts at the first whole slot instead, and
 * the partial first slot is left out (a gap). The last slot ends at the window's end, so it holds only its part.
 */
export function seriesWindow(bucket: Pick<RangeBucket, "start" | "end" | "period">): TimeWindow {
  const step = bucket.period * 1000;
  const first = Math.ceil(bucket.start / step) * step;
  return { start: epochMs(first < bucket.end ? first : floorTo(bucket.start, step)), end: bucket.end };
}
