import type { SourceHealth } from "@/lib/core/triggers/source-health";

/** Colour and words together: a source in trouble reads as such without relying on colour alone. */
const STYLE: Record<SourceHealth, string> = {
  failed: "bg-red-600 text-white font-semibold",
  "falling behind": "bg-red-600 text-white font-semibold",
  disabled: "bg-amber-200 text-amber-900 font-medium dark:bg-amber-900 dark:text-amber-100",
  "dropping events": "bg-amber-200 text-amber-900 font-medium dark:bg-amber-900 dark:text-amber-100",
  "failing to deliver": "bg-amber-200 text-amber-900 font-medium dark:bg-amber-900 dark:text-amber-100",
  unknown: "bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400",
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
};

const LABEL: Record<SourceHealth, string> = {
  failed: "✖ failed",
  "falling behind": "▲ falling behind",
  disabled: "disabled",
  "dropping events": "▲ dropping events",
  "failing to deliver": "▲ failing to deliver",
  unknown: "unknown — not collected",
  ok: "ok",
};

export function SourceHealthBadge({ health }: { health: SourceHealth }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs whitespace-nowrap ${STYLE[health]}`}>
      {LABEL[health]}
    </span>
  );
}
