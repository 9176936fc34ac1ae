/**
 * The timeout line of a duration chart (prepare, then render): where a function's configured timeout sits
 * against its duration series, in the chart's unit (ms).
 *
 * Invariants:
 * - Drawn when the data's peak reaches at least 1/VISIBLE_FACTOR of the timeout. A function running at 100 ms
 *   under a 900 s timeout would otherwise be squashed into a flat line at the bottom of the chart, hiding the
 *   very percentiles the chart is for; then the line is not drawn and the chart says, in words, where the
 *   timeout is and how far below it the peak stays.
 * - When drawn, `yMax` ≥ timeout × (1 + HEADROOM): the y axis always reaches past the line, so the line and
 *   its label sit inside the plot however close p99 is to it (and a duration above it, as a timed-out
 *   invocation can report, still fits since the axis also covers the data).
 * - Without any data point there is nothing to compare: no line, no remark (the chart says "no data").
 */
import type { Alias, FunctionConfig } from "../lambda/types";
import { seriesMax, type SeriesPoint } from "./series";
import { secondsToMs, type Seconds } from "../units";

/** Draw the line when the peak is at least a quarter of the timeout. */
export const VISIBLE_FACTOR = 4;
/** Room above the line for its label. */
export const HEADROOM = 0.1;

export type TimeoutLine =
  | { kind: "line"; value: number; label: string; yMax: number }
  | { kind: "off-scale"; value: number; label: string; peak: number; remark: string }
  | { kind: "none" };

const secondsLabel = (s: Seconds) => `${new Intl.NumberFormat("en-US").format(s)} s`;

export function timeoutLine(
  timeout: Seconds | null,
  series: readonly (readonly SeriesPoint[])[],
): TimeoutLine {
  const peak = seriesMax(series);
  if (timeout === null || !(timeout > 0) || peak === null) return { kind: "none" };
  const value = secondsToMs(timeout);
  const label = `timeout ${secondsLabel(timeout)}`;
  if (peak * VISIBLE_FACTOR < value) {
    const pct = (peak / value) * 100;
    const share = pct < 1 ? "under 1 %" : `${Math.round(pct)} %`;
    return {
      kind: "off-scale",
      value,
      label,
      peak,
      remark: `${label} not drawn: the peak here is ${share} of it.`,
    };
  }
  return { kind: "line", value, label, yMax: Math.max(peak, value * (1 + HEADROOM)) };
}

/**
 * The timeout of the versions a function's aliases route to (what a per-version chart shows), or null when
 * they differ or one is unknown: no single line would be right for every series.
 */
export function routedVersionsTimeout(
  aliases: readonly Pick<Alias, "functionVersion" | "routing">[],
  versions: readonly Pick<FunctionConfig, "version" | "timeout">[],
): Seconds | null {
  const routed = new Set(
    aliases.flatMap((a) => [a.functionVersion, ...(a.routing ? [a.routing.additionalVersion] : [])]),
  );
  const timeouts = [...routed].map((v) => versions.find((c) => c.version === v)?.timeout ?? null);
  const first = timeouts[0];
  return first != null && timeouts.every((t) => t === first) ? first : null;
}
