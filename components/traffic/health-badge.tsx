import { Tooltip } from "@/components/ui/tooltip";
import { LIST_HEALTH_LABEL, type ListHealth } from "@/lib/core/traffic/alias-list";

/** Colour and words together: a failing canary reads as failing without relying on colour alone. */
export const HEALTH_STYLE: Record<ListHealth, string> = {
  failing: "bg-red-600 text-white font-semibold",
  degraded: "bg-amber-200 text-amber-900 font-medium dark:bg-amber-900 dark:text-amber-100",
  insufficient: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  unknown: "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400",
  healthy: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  none: "text-zinc-500 dark:text-zinc-400",
};

/**
 * A health pill. `title` (why it reads so) is in the badge as screen-reader text, so it is in the page without
 * hover, and shows as a tooltip on hover; the badge is not a tab stop (one per row on /traffic would be many).
 */
export function HealthBadge({ health, title }: { health: ListHealth; title?: string }) {
  const badge = (
    <span
      data-health={health}
      className={`inline-block rounded px-1.5 py-0.5 text-xs whitespace-nowrap ${HEALTH_STYLE[health]}`}
    >
      {health === "failing" ? "✖ " : health === "degraded" ? "▲ " : ""}
      {LIST_HEALTH_LABEL[health]}
      {title ? <span className="sr-only">{`: ${title}`}</span> : null}
    </span>
  );
  return title ? <Tooltip content={title}>{badge}</Tooltip> : badge;
}
