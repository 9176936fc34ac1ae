/** Span formatting shared by the waterfall and its panels. Durations keep 2 decimals under a second, as REPORT does. */
import { formatDuration } from "@/lib/core/format";
import type { SpanStatus } from "@/lib/core/traces/layout";
import type { Ms } from "@/lib/core/units";

export const formatSpanMs = (d: Ms | null): string =>
  d === null ? "—" : d < 1000 ? `${d.toFixed(2)} ms` : formatDuration(d);

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
