/**
 * Arrivals per minute from a function's TrafficProfile.
 *
 * Invariants:
 * - Pure in (fn.seed, minute, profile): counts come from their own random stream, so the cheap count of a past
 *   minute (used for carry-in and warmth look-backs) never needs the arrival times.
 * - Daily shape in UTC: a cosine bell peaking at a per-function hour between 12:00 and 20:00; at the trough the
 *   rate is `peak × (1 − dailyDip)`.
 * - A burst minute (probability burstChance) adds `(burstFactor − 1) × rate` extra arrivals packed into a
 *   20-second window, which is what makes bursts hit concurrency limits.
 * - No arrival starts before fn.createdMs.
 */
import type { SimFunction } from "../fleet/model";
import { Rng, hash32, hash4 } from "./random";

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BURST_WINDOW_MS = 20_000;

export const STREAM = { counts: 1, times: 2, decisions: 3, carry: 4, detail: 5 } as const;

export function streamRng(fn: SimFunction, minuteMs: number, stream: number, index = 0): Rng {
  return new Rng(hash4(fn.seed, minuteMs / MINUTE_MS, stream, index));
}

/** Mean arrivals per minute at this minute, before bursts. */
export function baseRate(fn: SimFunction, minuteMs: number): number {
  const t = fn.traffic;
  if (t.peakPerMinute <= 0) return 0;
  const peakHour = 12 + (hash32(fn.seed, 0x5eed) % 9);
  const hours = (((minuteMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const bell = (1 + Math.cos((2 * Math.PI * (hours - peakHour)) / 24)) / 2;
  const dip = Math.min(1, Math.max(0, t.dailyDip));
  return t.peakPerMinute * (1 - dip * (1 - bell));
}

export interface ArrivalCounts {
  base: number;
  burst: number;
  /** Start of the burst window (epoch ms); meaningful only when burst > 0. */
  burstStartMs: number;
}

export function arrivalCounts(fn: SimFunction, minuteMs: number): ArrivalCounts {
  if (minuteMs + MINUTE_MS <= fn.createdMs) return { base: 0, burst: 0, burstStartMs: minuteMs };
  const rng = streamRng(fn, minuteMs, STREAM.counts);
  const rate = baseRate(fn, minuteMs);
  const base = rng.poisson(rate);
  const isBurst = rng.next() < fn.traffic.burstChance;
  const burst = isBurst ? rng.poisson(rate * Math.max(0, fn.traffic.burstFactor - 1)) : 0;
  const burstStartMs = minuteMs + Math.floor(rng.next() * (MINUTE_MS - BURST_WINDOW_MS));
  return { base, burst, burstStartMs };
}

/** Sorted arrival times (whole epoch ms) of one minute, none before createdMs. */
export function arrivalTimes(fn: SimFunction, minuteMs: number, counts: ArrivalCounts): Float64Array {
  const times = new Float64Array(counts.base + counts.burst);
  return times.subarray(fillArrivalTimes(fn, minuteMs, counts, times));
}

/**
 * Writes the minute's arrival times, sorted, into out[0, base + burst) (out must be that long) and returns the
 * index of the first one at or after createdMs. Allocation-free for the common small minute.
 */
export function fillArrivalTimes(
  fn: SimFunction,
  minuteMs: number,
  counts: ArrivalCounts,
  out: Float64Array,
): number {
  const total = counts.base + counts.burst;
  const rng = streamRng(fn, minuteMs, STREAM.times);
  for (let i = 0; i < counts.base; i++) out[i] = minuteMs + Math.floor(rng.next() * MINUTE_MS);
  for (let i = counts.base; i < total; i++)
    out[i] = counts.burstStartMs + Math.floor(rng.next() * BURST_WINDOW_MS);
  // Whole numbers: any correct sort gives the same order. Insertion sort avoids a view for small minutes.
  if (total > 48) out.subarray(0, total).sort();
  else
    for (let i = 1; i < total; i++) {
      const x = out[i]!;
      let j = i - 1;
      while (j >= 0 && out[j]! > x) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = x;
    }
  if (fn.createdMs <= minuteMs) return 0;
  let first = 0;
  while (first < total && out[first]! < fn.createdMs) first++;
  return first;
}
