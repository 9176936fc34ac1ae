/**
 * A group's count per chart slot as a small bar chart. Prepared here (heights as a share of the largest slot),
 * then drawn with percentages. A slot not collected is a gap with a dotted baseline, never a zero bar.
 */
import type { TrendSlot } from "@/lib/data/errors-merge";

export interface TrendBar {
  t: number;
  /** Share of the tallest slot in [0, 1]; null: not collected. */
  height: number | null;
  label: string;
}

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function prepareTrend(slots: readonly TrendSlot[]): TrendBar[] {
  const max = Math.max(0, ...slots.map((s) => s.count ?? 0));
  return slots.map((s) => ({
    t: s.t,
    height: s.count === null ? null : max === 0 ? 0 : s.count / max,
    label: `${utc(s.t)}: ${s.count === null ? "not collected" : `${s.count}`}`,
  }));
}

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
