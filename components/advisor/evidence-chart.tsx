import type { Flag } from "@/lib/core/advisor";
import { evidenceList } from "@/lib/data/advisor/summary";

/**
 * The flag's one evidence list: each number with its readable label and value, and a bar where two or more
 * numbers compare (prepared by evidenceList; bars positioned by percentage).
 */
export function EvidenceChart({ flag }: { flag: Flag }) {
  const items = evidenceList(flag);
  if (items.length === 0) return null;
  return (
    <figure aria-label="Evidence chart" className="space-y-1 md:col-span-2">
      {items.map((b) => (
        <div key={b.key} className="grid grid-cols-[12rem_1fr_9rem] items-center gap-2 text-xs">
          <span className="truncate text-zinc-500 dark:text-zinc-400">{b.label}</span>
          {b.share === null ? (
            <span aria-hidden />
          ) : (
            <span className="h-2 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
              <span
                className="block h-2 rounded bg-sky-500 dark:bg-sky-400"
                style={{ width: `${Math.max(1, b.share * 100).toFixed(1)}%` }}
              />
            </span>
          )}
          <span className="text-right tabular-nums">{b.text}</span>
        </div>
      ))}
    </figure>
  );
}
