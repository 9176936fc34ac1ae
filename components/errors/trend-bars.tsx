/**
 * A group's count per chart slot as a small bar chart, drawn with percentages from the bars prepared in
 * lib/core/charts/trend-bars.ts. A slot not collected is a gap with a dotted baseline, never a zero bar.
 */
import { prepareTrend, type TrendSlot } from "@/lib/core/charts/trend-bars";

export function TrendBars({ slots }: { slots: readonly TrendSlot[] }) {
  const bars = prepareTrend(slots);
  return (
    <div
      className="flex h-6 w-28 items-end gap-px"
      role="img"
      aria-label="Count over the range"
      data-testid="error-trend"
    >
      {bars.map((b) =>
        b.height === null ? (
          <span key={b.t} title={b.label} className="h-full flex-1 border-b border-dotted border-zinc-400" />
        ) : (
          <span
            key={b.t}
            title={b.label}
            className={`flex-1 ${b.height > 0 ? "bg-red-400 dark:bg-red-500" : "bg-zinc-200 dark:bg-zinc-700"}`}
            style={{ height: `${b.height > 0 ? Math.max(b.height * 100, 8) : 4}%` }}
          />
        ),
      )}
    </div>
  );
}
