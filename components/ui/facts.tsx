import type { ReactNode } from "react";

/** A label/value list (configuration facts): labels in a fixed column, values aligned as numbers. */
export function Facts({ items, compact = false }: { items: [string, ReactNode][]; compact?: boolean }) {
  return (
    <dl
      className={
        compact
          ? "grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1"
          : "grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm"
      }
    >
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="tabular-nums">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
