import { formatBytes, formatDuration, formatMb, formatNumber, formatPercent } from "@/lib/core/format";
import type { LimitRow, LimitUnit } from "@/lib/core/limits";
import { bytes, mb, ms, ratio } from "@/lib/core/units";

function limitValue(value: number, unit: LimitUnit): string {
  switch (unit) {
    case "ms":
      return formatDuration(ms(value));
    case "seconds":
      return `${formatNumber(value)} s`;
    case "mb":
      return formatMb(mb(value));
    case "bytes":
      return formatBytes(bytes(value));
    case "count":
      return formatNumber(value);
  }
}

/**
 * One limit row: what is measured, against what, and how close it is. Runtime and quota rows colour at 80% and
 * 95% (the advisor's warn/critical bands); a setting compared with Lambda's maximum is not "used", so it has a
 * neutral bar and no percentage. An unavailable figure says why, with no bar at all.
 */
export function LimitBar({ row }: { row: LimitRow }) {
  const isSetting = row.group === "setting";
  const title = `${row.measured} ${isSetting ? "of" : "vs"} ${row.against}`;
  return (
    <div
      data-testid="limit-row"
      data-limit={row.id}
      data-status={row.status}
      data-used={row.status === "measured" ? row.used : undefined}
      data-limit-value={row.status === "measured" ? row.limit : undefined}
    >
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-zinc-700 dark:text-zinc-200">
          {row.measured}{" "}
          <span className="text-zinc-500 dark:text-zinc-400">
            {isSetting ? "of" : "vs"} {row.against}
          </span>
        </span>
        {row.status === "measured" ? (
          <span className="shrink-0 tabular-nums text-zinc-500 dark:text-zinc-400" data-testid="limit-value">
            {limitValue(row.used, row.unit)} {isSetting ? "of" : "/"} {limitValue(row.limit, row.unit)}
            {isSetting ? null : (
              <>
                {" "}
                <span className="font-medium text-zinc-700 dark:text-zinc-200">
                  {formatPercent(ratio(row.ratio))}
                </span>
              </>
            )}
          </span>
        ) : (
          <span className="text-right text-zinc-500 dark:text-zinc-400" data-testid="limit-value">
            unavailable: {row.why}
          </span>
        )}
      </div>
      {row.status === "measured" ? <Meter title={title} row={row} neutral={isSetting} /> : null}
      {row.note ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{row.note}</p> : null}
    </div>
  );
}

function Meter({
  title,
  row,
  neutral,
}: {
  title: string;
  row: Extract<LimitRow, { status: "measured" }>;
  neutral: boolean;
}) {
  const { ratio, used, limit, unit } = row;
  const tone = neutral
    ? "bg-zinc-400 dark:bg-zinc-500"
    : ratio >= 0.95
      ? "bg-red-500"
      : ratio >= 0.8
        ? "bg-amber-500"
        : "bg-sky-500";
  const width = `${Math.min(100, Math.max(ratio > 0 ? 0.5 : 0, ratio * 100))}%`;
  return (
    <div
      role="meter"
      aria-label={title}
      aria-valuemin={0}
      aria-valuemax={limit}
      aria-valuenow={Math.min(used, limit)}
      aria-valuetext={`${limitValue(used, unit)} of ${limitValue(limit, unit)}`}
      className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
    >
      <div className={`h-full rounded-full ${tone}`} style={{ width }} />
    </div>
  );
}
