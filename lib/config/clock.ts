/**
 * The console's one reading of the system clock. Pages, data functions and the collector take `now` from an
 * injected Clock (this one in production, a fixed or replayed one in tests and benches); nothing else calls
 * `Date.now()` (lint-enforced), so a page's whole answer is computed against one instant.
 */
import { epochMs, type EpochMs } from "@/lib/core/units";

export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => epochMs(Date.now()) };
