/**
 * Span formatting shared by the waterfall and its panels. Durations under 10 s (every Lambda init, most
 * handlers) keep 2 decimals in ms, exactly as a REPORT line prints them, so the two can be compared by eye.
 */
import { formatDuration } from "@/lib/core/format";
import type { SpanStatus } from "@/lib/core/traces/layout";
import type { Ms } from "@/lib/core/units";

export const formatSpanMs = (d: Ms | null): string =>
  d === null ? "—" : Math.abs(d) < 10_000 ? `${d.toFixed(2)} ms` : formatDuration(d);

export const STATUS_BAR: Record<SpanStatus, string> = {
  ok: "bg-sky-500 dark:bg-sky-400",
  error: "bg-amber-500 dark:bg-amber-400",
  throttle: "bg-violet-500 dark:bg-violet-400",
  fault: "bg-red-600 dark:bg-red-500",
};

export const STATUS_LABEL: Record<SpanStatus, string> = {
  ok: "OK",
  error: "Error (4xx)",
  throttle: "Throttled (429)",
  fault: "Fault (5xx)",
};
