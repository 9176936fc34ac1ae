/**
 * Time ranges: the presets a dashboard offers, custom absolute ranges, and their resolution against `now` into a
 * concrete window.
 *
 * Invariants (of every TimeWindow this module returns):
 * - start < end <= now: a future end is clamped to now, an empty or inverted window is InvalidInput.
 * - end - start <= 455 days and start >= now - 455 days: CloudWatch keeps metrics for 455 days, so an older
 *   window could only ever show nothing.
 */
import { invalidInput } from "../errors";
import { epochMs, type EpochMs, type Ms, ms } from "../units";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGE_PRESETS = ["15m", "1h", "3h", "12h", "24h", "3d", "7d", "14d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_DURATION: Readonly<Record<RangePreset, Ms>> = {
  "15m": ms(15 * MINUTE),
  "1h": ms(HOUR),
  "3h": ms(3 * HOUR),
  "12h": ms(12 * HOUR),
  "24h": ms(DAY),
  "3d": ms(3 * DAY),
  "7d": ms(7 * DAY),
  "14d": ms(14 * DAY),
  "30d": ms(30 * DAY),
};

/** What a page shows with no range in its URL: the CloudWatch console's default (the one default). */
export const DEFAULT_PRESET: RangePreset = "3h";

/** CloudWatch metric retention, the longest window worth asking for. */
export const MAX_RANGE: Ms = ms(455 * DAY);

export const isRangePreset = (value: string): value is RangePreset =>
  (RANGE_PRESETS as readonly string[]).includes(value);

/** What the user chose: relative (moves with `now`) or absolute. */
export type RangeSpec =
  { kind: "preset"; preset: RangePreset } | { kind: "custom"; from: EpochMs; to: EpochMs };

/** A concrete window [start, end) in epoch milliseconds. */
export interface TimeWindow {
  start: EpochMs;
  end: EpochMs;
}

export const presetRange = (preset: RangePreset): RangeSpec => ({ kind: "preset", preset });

export const windowDuration = (w: TimeWindow): Ms => ms(w.end - w.start);

/** Resolves a spec against `now`, enforcing the module invariants; throws InvalidInput otherwise. */
export function resolveRange(spec: RangeSpec, now: EpochMs): TimeWindow {
  if (spec.kind === "preset") return { start: epochMs(now - PRESET_DURATION[spec.preset]), end: now };
  const { from, to } = spec;
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw invalidInput("The time range is not a valid date.");
  if (from >= to) throw invalidInput("The range must start before it ends.", { from, to });
  const end = epochMs(Math.min(to, now));
  if (from >= end) throw invalidInput("The range starts in the future.", { from, now });
  if (end - from > MAX_RANGE) {
    throw invalidInput("The range is longer than 455 days, CloudWatch's metric retention.", {
      from,
      to: end,
    });
  }
  if (now - from > MAX_RANGE) {
    throw invalidInput("The range starts more than 455 days ago: CloudWatch no longer holds that data.", {
      from,
    });
  }
  return { start: from, end };
}
