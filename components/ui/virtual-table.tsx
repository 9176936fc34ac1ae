"use client";

/**
 * The pieces the fleet and functions tables share: an ARIA table of CSS-grid rows whose header sorts, and a
 * body that keeps only the visible rows in the DOM (TanStack Virtual), so thousands of functions stay fast.
 * Invariants: row `aria-rowindex` counts the header as row 1; rows are absolutely positioned at their virtual
 * offset inside a spacer of the total height; the empty message replaces the spacer.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type HTMLAttributes, type ReactNode } from "react";

export interface SortableColumn<K extends string> {
  key: K;
  label: string;
  numeric?: boolean;
}

/** The header row: each column a button that asks to sort by it, with aria-sort and an arrow on the current one. */
export function SortHeaderRow<K extends string>({
  grid,
  columns,
  sort,
  dir,
  onSort,
  buttonClassName,
}: {
  grid: string;
  columns: readonly SortableColumn<K>[];
  sort: K;
  dir: "asc" | "desc";
  onSort: (column: SortableColumn<K>) => void;
  buttonClassName: string;
}) {
  return (
    <div role="rowgroup" className="border-b border-zinc-200 dark:border-zinc-800">
      <div role="row" aria-rowindex={1} className={`${grid} py-1.5`}>
        {columns.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            aria-sort={sort === c.key ? (dir === "asc" ? "ascending" : "descending") : "none"}
            className={c.numeric ? "text-right" : ""}
          >
            <button type="button" onClick={() => onSort(c)} className={buttonClassName}>
              {c.label}
              <span aria-hidden className="ml-1 inline-block w-2">
                {sort === c.key ? (dir === "asc" ? "↑" : "↓") : ""}
              </span>
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Extra attributes of a row element (e.g. `data-*` for tests and scripts). */
type RowAttributes = HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, string | undefined>;

/** The scrolling body: only the rows in view (plus `overscan`) are rendered. */
export function VirtualRows<T>({
  items,
  grid,
  rowHeight,
  overscan,
  className,
  testId,
  empty,
  rowKey,
  rowAttributes,
  renderRow,
}: {
  items: readonly T[];
  grid: string;
  rowHeight: number;
  overscan: number;
  className: string;
  testId?: string;
  empty: ReactNode;
  rowKey: (item: T) => string;
  rowAttributes?: (item: T) => RowAttributes;
  renderRow: (item: T) => ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design.
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
  });
  return (
    <div ref={scrollRef} role="rowgroup" className={className} data-testid={testId}>
      {items.length === 0 ? (
        <p className="px-3 py-6 text-zinc-500">{empty}</p>
      ) : (
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index];
            if (item === undefined) return null;
            return (
              <div
                key={rowKey(item)}
                role="row"
                aria-rowindex={v.index + 2}
                {...rowAttributes?.(item)}
                className={`${grid} absolute inset-x-0 items-center border-b border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/40`}
                style={{ height: rowHeight, transform: `translateY(${v.start}px)` }}
              >
                {renderRow(item)}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
