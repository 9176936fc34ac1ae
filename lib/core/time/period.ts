/**
 * Choosing a CloudWatch metric period for a window.
 *
 * Invariants of `choosePeriod(window, now, maxPoints)`:
 * - Retention: CloudWatch keeps 60 s data points for 15 days, 300 s for 63 days and 3600 s for 455 days
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html). The
 *   period must suit the age of the window's START relative to now, because the oldest point is the one that has
 *   been rolled up first. The result is a multiple of that minimum.
 * - Density: ceil(duration / period) <= maxPoints, unless the window is so long that even the largest period
 *   breaks it (it never is: 455 days at 1 day is 455 points).
 * - The result is the smallest period in NICE_PERIODS meeting both, so charts keep the finest detail allowed.
 * - AWS/Lambda metrics are standard resolution: nothing finer than 60 s exists.
 */
import { invalidInput } from "../errors";
import { seconds, type EpochMs, type Seconds } from "../units";
import { MAX_RANGE, type TimeWindow } from "./range";

const DAY_MS = 86_400_000;

/** Periods a human reads easily on an axis, all multiples of 60 s. */
export const NICE_PERIODS: readonly Seconds[] = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
].map(seconds);

/** The default density: one point per pixel-ish column on a wide chart. */
export const DEFAULT_MAX_POINTS = 360;

/** The finest period CloudWatch still holds for data points `age` old. */
export function minimumPeriodForAge(ageMs: number): Seconds {
  if (ageMs < 15 * DAY_MS) return seconds(60);
  if (ageMs < 63 * DAY_MS) return seconds(300);
  if (ageMs <= MAX_RANGE) return seconds(3600);
  throw invalidInput("CloudWatch keeps metrics for 455 days; this range starts earlier.", { ageMs });
}

export function choosePeriod(
  window: TimeWindow,
  now: EpochMs,
  maxPoints: number = DEFAULT_MAX_POINTS,
): Seconds {
  if (!(window.start < window.end)) throw invalidInput("The range must start before it ends.");
  if (!Number.isInteger(maxPoints) || maxPoints < 1)
    throw invalidInput("maxPoints must be a positive integer.");
  const floor = minimumPeriodForAge(now - window.start);
  const forDensity = (window.end - window.start) / 1000 / maxPoints;
  const fit = NICE_PERIODS.find((p) => p >= floor && p >= forDensity && p % floor === 0);
  if (fit !== undefined) return fit;
  // Longer than any nice period allows at this density: whole days, still a multiple of every floor.
  return seconds(Math.ceil(forDensity / 86_400) * 86_400);
}
