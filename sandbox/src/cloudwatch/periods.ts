/**
 * Period alignment and retention, as the GetMetricData reference documents them.
 *
 * Invariants:
 * - StartTime is rounded down by its age at request time: < 15 days to the minute, 15–63 days to 5 minutes,
 *   older to the hour. Datapoints are at roundedStart + k·Period for every k with that instant < EndTime
 *   (EndTime exclusive); a datapoint aggregates the minutes in [t, min(t + Period, EndTime)).
 * - Retention: a datapoint older than 15 days exists only if Period is a multiple of 300, older than 63 days
 *   only if a multiple of 3600, older than 455 days never. CloudWatch returns no datapoints there (not an error).
 * - Lambda metrics are standard resolution: a sub-minute Period (1, 5, 10, 20, 30) is valid but has no data.
 */
import { validationError } from "./wire";

const MINUTE = 60_000;
const DAY = 86_400_000;

export function roundStart(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = age > 63 * DAY ? 3_600_000 : age > 15 * DAY ? 300_000 : MINUTE;
  return Math.floor(startMs / unit) * unit;
}

const HIGH_RES = new Set([1, 5, 10, 20, 30]);

export function validatePeriod(period: number, where: string): void {
  if (!Number.isInteger(period) || period < 1 || !(HIGH_RES.has(period) || period % 60 === 0)) {
    throw validationError(
      `The parameter ${where} must be a multiple of 60 or one of 1, 5, 10, 20, 30; received ${period}.`,
    );
  }
}

/** Whether CloudWatch still holds a datapoint of this period starting at `t`. */
export function retained(t: number, periodSeconds: number, nowMs: number): boolean {
  const age = nowMs - t;
  if (periodSeconds < 60) return false;
  if (age > 455 * DAY) return false;
  if (age > 63 * DAY) return periodSeconds % 3600 === 0;
  if (age > 15 * DAY) return periodSeconds % 300 === 0;
  return true;
}
