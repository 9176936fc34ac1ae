import type { Flag } from "@/lib/core/advisor";
import { evidenceBars } from "@/lib/data/advisor/summary";

/** The flag's comparable numbers as horizontal bars (prepared by evidenceBars; bars positioned by percentage). */
export function EvidenceChart({ flag }: { flag: Flag }) {
  const bars = evidenceBars(flag);
  if (bars.length < 2) return null;
  return (
    <figure aria-label="Evidence chart" className="space-y-1">
      {bars.map((b) => (
        <div key={b.label} className="grid grid-cols-[9rem_1fr_5rem] items-center gap-2 text-xs">
          <span className="truncate text-zinc-500 dark:text-zinc-400">{b.label}</span>
          <span className="h-2 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
            <span
              className="block h-2 rounded bg-sky-500 dark:bg-sky-400"
              style={{ width: `${Math.max(1, b.share * 100).toFixed(1)}%` }}
            />
          </span>
          <span className="text-right tabular-nums">{b.display}</span>
        </div>
      ))}
    </figure>
  );
}
