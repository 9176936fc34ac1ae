/**
 * One y axis: its ticks and the labels they print, chosen once per axis.
 *
 * Invariants:
 * - One unit per axis, chosen from the axis maximum: a duration axis reads "0 s, 5 s, 10 s", never "0 ms" next to
 *   "10 s". Every label of an axis has the same number of decimals (enough for its step, no more).
 * - A count axis has integer ticks only (step ≥ 1): half an invocation is not a thing.
 * - The ticks start at 0 and the last is ≥ `max`, so the data always fits (niceTicks).
 */
import { formatChartValue } from "./value-format";
import type { ChartUnit } from "./metrics";
import { niceTicks } from "./ticks";

export interface AxisScale {
  /** The axis top (the last tick), in the chart's raw unit. */
  max: number;
  /** Tick values in the chart's raw unit (e.g. milliseconds for "ms"). */
  ticks: number[];
  /** One label per tick, all in one display unit. */
  labels: string[];
}

/** A display unit for raw values: value / divisor, then the suffix. */
interface DisplayUnit {
  divisor: number;
  suffix: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The display unit of a duration axis whose top is `max` milliseconds. */
export function durationUnit(max: number): DisplayUnit {
  if (max >= 2 * HOUR) return { divisor: HOUR, suffix: "h" };
  if (max >= 2 * MINUTE) return { divisor: MINUTE, suffix: "min" };
  if (max >= SECOND) return { divisor: SECOND, suffix: "s" };
  return { divisor: 1, suffix: "ms" };
}

const decimalsOf = (step: number) => Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));

/** Ticks at about `target` levels on [0, max] for values in `unit`, labelled in one display unit. */
export function axisScale(unit: ChartUnit, max: number, target = 4): AxisScale {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (unit === "ms") {
    // Choose the display unit from the data's top, then nice ticks in that unit: 0 s, 5 s, 10 s.
    const d = durationUnit(top);
    const scale = niceTicks(0, top / d.divisor, target);
    const decimals = decimalsOf(scale.step);
    return {
      max: scale.max * d.divisor,
      ticks: scale.ticks.map((v) => v * d.divisor),
      labels: scale.ticks.map((v) => `${v.toFixed(decimals)} ${d.suffix}`),
    };
  }
  if (unit === "ratio") {
    const scale = niceTicks(0, top * 100, target);
    const decimals = decimalsOf(scale.step);
    return {
      max: scale.max / 100,
      ticks: scale.ticks.map((v) => v / 100),
      labels: scale.ticks.map((v) => `${v.toFixed(decimals)}%`),
    };
  }
  let scale = niceTicks(0, top, target);
  if (unit === "count" && scale.step < 1) {
    // Integer ticks only: a small count axis steps by 1 up to at least 1.
    const last = Math.max(1, Math.ceil(top));
    const ticks = Array.from({ length: last + 1 }, (_, i) => i);
    scale = { min: 0, max: last, step: 1, ticks };
  }
  return { max: scale.max, ticks: scale.ticks, labels: scale.ticks.map((v) => formatChartValue(unit, v)) };
}

/**
 * Where an x-axis label anchors so it stays inside the plot's box: a label whose centre is closer than
 * `halfWidth` to an edge is anchored at that edge instead of centred (no clipped first or last label).
 */
export function tickAnchor(
  x: number,
  left: number,
  right: number,
  halfWidth: number,
): "start" | "middle" | "end" {
  if (x - halfWidth < left) return "start";
  if (x + halfWidth > right) return "end";
  return "middle";
}
