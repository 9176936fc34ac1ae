/** Formats a chart value by its unit (axis labels, tooltips), delegating to lib/core/format. */
import { formatCount, formatDuration, formatMb, formatMoney, formatPercent, NO_DATA } from "../format";
import { mb, microUsd, ms, ratio } from "../units";
import type { ChartUnit } from "./metrics";

export function formatChartValue(unit: ChartUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  switch (unit) {
    case "count":
      return formatCount(value);
    case "ms":
      return formatDuration(ms(value));
    // Ages charted in hours or minutes (source-charts.ts): one decimal is enough to see a trend.
    case "minutes":
      return `${formatCount(Math.round(value * 10) / 10)} min`;
    case "hours":
      return `${formatCount(Math.round(value * 10) / 10)} h`;
    case "ratio":
      return formatPercent(ratio(value));
    case "mb":
      return formatMb(mb(value));
    case "microUsd":
      return formatMoney(microUsd(value));
  }
}
