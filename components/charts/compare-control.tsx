"use client";

/**
 * "Compare: off · 1 day earlier · 1 week earlier": links that set `?compare=` (lib/url/compare.ts) and keep every
 * other param of the page, the chosen one marked current. The hrefs are built from the URL as it is now
 * (useSearchParams), not the request's: tables write their search and sort later with history.replaceState, and a
 * compare link must keep those too. The server HTML carries the request's query, so the links work before hydration.
 */
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { CompareShift } from "@/lib/core/charts/previous-period";
import { COMPARE_CHOICES, withCompare } from "@/lib/url/compare";

export function CompareControl({
  path,
  value,
  problem,
}: {
  /** The page's path, e.g. "/functions/us-east-1/orders". */
  path: string;
  value: CompareShift | null;
  /** Why the URL's `compare` was not used, said next to the control. */
  problem?: string | null;
}) {
  const search = useSearchParams().toString();
  return (
    <nav aria-label="Compare with an earlier period" className="text-xs text-zinc-600 dark:text-zinc-300">
      <span>Compare: </span>
      {COMPARE_CHOICES.map((c, i) => {
        const current = c.value === value;
        return (
          <span key={c.label}>
            {i > 0 ? " · " : null}
            <Link
              href={`${path}${withCompare(search, c.value)}`}
              aria-current={current ? "true" : undefined}
              className={
                current
                  ? "font-semibold text-zinc-900 dark:text-zinc-100"
                  : "text-sky-700 underline dark:text-sky-400"
              }
            >
              {c.label}
            </Link>
          </span>
        );
      })}
      {problem ? (
        <span role="status" className="ml-2 text-amber-700 dark:text-amber-400">
          {problem}
        </span>
      ) : null}
    </nav>
  );
}
