import { Tooltip } from "@/components/ui/tooltip";
import type { Severity } from "@/lib/core/advisor";

const TONE: Record<Severity, string> = {
  critical: "bg-red-100 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  warning:
    "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  info: "bg-sky-100 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
};

/**
 * A severity pill; with `count`, "2 flags" style for a function's badge. `title` is in the pill as screen-reader
 * text (in the page without hover) and a hover tooltip; the pill is not a tab stop.
 */
export function SeverityBadge({
  severity,
  count,
  title,
}: {
  severity: Severity;
  count?: number;
  title?: string;
}) {
  const badge = (
    <span
      data-severity={severity}
      className={`inline-flex shrink-0 items-center rounded-full px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${TONE[severity]}`}
    >
      {count === undefined ? severity : `${count} ${count === 1 ? "flag" : "flags"}`}
      {title ? <span className="sr-only">{`: ${title}`}</span> : null}
    </span>
  );
  return title ? <Tooltip content={title}>{badge}</Tooltip> : badge;
}
