/**
 * What a caller tells the shared data table about one column, and how that becomes a TanStack Table column.
 * Invariants: a column sorts by `sortValue`, never by what its cell shows; `null` means the console cannot back the
 * number (the source failed or had no data), and such rows sort after every known value in both directions
 * (TanStack's `sortUndefined: "last"` is applied before the direction flips). Strings compare with a numeric-aware
 * collator ("fn-2" before "fn-10"); ties keep the input order, which the table fixes by row id.
 */
import type { HTMLAttributes, ReactNode } from "react";

export type SortValue = string | number | null;

/** Extra attributes of a row or cell element (e.g. `data-*` that tests and scripts read). */
export type ElementAttributes = HTMLAttributes<HTMLDivElement> &
  Record<`data-${string}`, string | number | undefined>;

export interface DataColumn<T> {
  id: string;
  /** Shown in the header, the column menu and as the header button's name. */
  header: string;
  /** CSS grid track of the column, e.g. "6rem" or "minmax(12rem,2fr)". */
  width: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** The first click sorts descending (worst first for telemetry); otherwise ascending. */
  descFirst?: boolean;
  /** May the user hide it? The first column (the row's name and link) never hides. */
  canHide?: boolean;
  sortValue: (row: T) => SortValue;
  cell: (row: T) => ReactNode;
  cellAttributes?: (row: T) => ElementAttributes;
  cellClassName?: string;
}

export const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Ascending comparison of two known values (TanStack flips it for descending). */
export function compareValues(a: string | number, b: string | number): number {
  return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
}

/** Every whitespace-separated term of `query` must occur in `text` (case-insensitive). */
export function matchesTerms(text: string, query: string): boolean {
  const haystack = text.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((t) => haystack.includes(t));
}
