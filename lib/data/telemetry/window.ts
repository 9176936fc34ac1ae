/**
 * From the URL's range to the bucket every telemetry call uses: resolve against `now`, validate (lib/core/time
 * range rules), choose the period (retention and density), align. Pure.
 */
import { systemClock } from "@/lib/config/clock";
import { bucketRange, type RangeBucket } from "@/lib/core/time/bucket";
import { choosePeriod } from "@/lib/core/time/period";
import { resolveRange } from "@/lib/core/time/range";
import { epochMs, type EpochMs } from "@/lib/core/units";

/** Throws InvalidInput for a window CloudWatch cannot answer (too old, too long, inverted). */
export function bucketForWindow(from: number, to: number, now: EpochMs): RangeBucket {
  const window = resolveRange({ kind: "custom", from: epochMs(from), to: epochMs(to) }, now);
  return bucketRange(window, now, choosePeriod(window, now));
}

/** The bucket for a range resolved against the server's clock now (pages must not read the clock themselves). */
export function bucketNow(resolve: (now: EpochMs) => { from: number; to: number }): RangeBucket {
  const now = systemClock.now();
  const { from, to } = resolve(now);
  return bucketForWindow(from, to, now);
}
