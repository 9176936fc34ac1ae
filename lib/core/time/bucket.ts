/**
 * Aligning a window to its period grid so that viewers who open the same dashboard moments apart ask for (and
 * cache) exactly the same thing.
 *
 * Invariants of `bucketRange(window, now, period)`, with P the period and n = ceil(duration / P):
 * - start and end are multiples of P (epoch-aligned, UTC); end = ceil(window.end / P)·P and start = end - (n+1)·P.
 * - It covers the request: start <= window.start (growing by less than two periods) and end >= window.end
 *   (growing by less than one).
 * - The bucket depends only on the period slot window.end falls in and on the duration, so every viewer of a
 *   relative preset whose `now` lies in the same slot (kP, (k+1)P] gets the same bucket and the same `key`.
 * - `live` is true when the last period is still filling (end > now): such a cache entry must expire soon.
 */
import { epochMs, type EpochMs, type Seconds } from "../units";
import type { TimeWindow } from "./range";

export interface RangeBucket extends TimeWindow {
  period: Seconds;
  /** Number of period slots in [start, end). */
  points: number;
  live: boolean;
  /** Stable cache key: `<start>-<end>-<period>` (epoch ms and seconds). */
  key: string;
}

export function bucketRange(window: TimeWindow, now: EpochMs, period: Seconds): RangeBucket {
  const step = period * 1000;
  const slots = Math.max(1, Math.ceil((window.end - window.start) / step));
  const end = epochMs(Math.ceil(window.end / step) * step);
  const start = epochMs(end - (slots + 1) * step);
  return { start, end, period, points: slots + 1, live: end > now, key: `${start}-${end}-${period}` };
}
