"use client";

/**
 * One column header: a button that sorts by the column (click, Enter or Space: a native button), with `aria-sort`
 * on the header for assistive tech and an arrow for everyone. Only the sorted column says a direction; the
 * others say "none".
 */
export function HeaderCell({
  label,
  numeric,
  sorted,
  onSort,
}: {
  label: string;
  numeric: boolean;
  sorted: false | "asc" | "desc";
  onSort: () => void;
}) {
  return (
    <div
      role="columnheader"
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
      className={`flex items-center ${numeric ? "justify-end" : ""}`}
    >
      <button
        type="button"
        onClick={onSort}
        className="truncate rounded text-xs font-medium tracking-wide text-zinc-500 uppercase outline-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        {label}
        <span aria-hidden className="ml-1 inline-block w-2">
          {sorted === "asc" ? "↑" : sorted === "desc" ? "↓" : ""}
        </span>
      </button>
    </div>
  );
}
