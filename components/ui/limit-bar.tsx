import { formatLimitValue, formatPercent } from "./format";

export interface LimitBarProps {
  label: string;
  used: number;
  limit: number;
  ratio: number;
  unit: "bytes" | "seconds" | "mb" | "count";
  note?: string;
}

/** One "used of limit" bar; colour steps at 80% and 95%, the advisor's warn/critical bands. */
export function LimitBar({ label, used, limit, ratio, unit, note }: LimitBarProps) {
  const tone = ratio >= 0.95 ? "bg-red-500" : ratio >= 0.8 ? "bg-amber-500" : "bg-sky-500";
  const width = `${Math.min(100, Math.max(ratio > 0 ? 0.5 : 0, ratio * 100))}%`;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-zinc-700 dark:text-zinc-200">{label}</span>
        <span className="tabular-nums text-zinc-500 dark:text-zinc-400">
          {formatLimitValue(used, unit)} / {formatLimitValue(limit, unit)}{" "}
          <span className="font-medium text-zinc-700 dark:text-zinc-200">
            {formatPercent(ratio, ratio < 0.1 ? 1 : 0)}
          </span>
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={`${formatLimitValue(used, unit)} of ${formatLimitValue(limit, unit)}`}
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
      >
        <div className={`h-full rounded-full ${tone}`} style={{ width }} />
      </div>
      {note ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{note}</p> : null}
    </div>
  );
}
