"use client";

/**
 * The console's one data table: TanStack Table for sorting, filtering and column visibility, TanStack Virtual so
 * only the rows in view are in the DOM (thousands of functions stay fast), an ARIA table of CSS-grid rows with a
 * sticky header, a column menu and keyboard navigation between rows.
 * Invariants: sort, search text and any extra filter are owned by the caller (who mirrors them into the URL);
 * hidden columns are the user's (localStorage, see use-column-visibility.ts). `aria-rowindex` counts the header as
 * row 1. An empty table says why instead of drawing an empty grid. A value the console cannot back (`null` sort
 * value) sorts last in both directions; its cell is the caller's to render as absent-with-reason, never 0.
 */
import {
  columnFilteringFeature,
  columnVisibilityFeature,
  createFilteredRowModel,
  createSortedRowModel,
  functionalUpdate,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type FilterFn,
  type RowData,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useMemo, useRef, type ReactNode } from "react";
import { formatCount } from "@/lib/core/format";
import { ColumnMenu } from "./column-menu";
import { collator, compareValues, matchesTerms, type DataColumn, type ElementAttributes } from "./columns";
import { HeaderCell } from "./header-cell";
import { useColumnVisibility } from "./use-column-visibility";
import { useRowKeyboard } from "./use-row-keyboard";

export type { DataColumn, ElementAttributes, SortValue } from "./columns";

export interface DataTableSort {
  id: string;
  desc: boolean;
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  columnVisibilityFeature,
});
type Features = typeof features;

/** The global filter's value: the search text and the caller's extra condition, applied together. */
interface RowFilter<T extends RowData> {
  q: string;
  searchText: (row: T) => string;
  keep: ((row: T) => boolean) | undefined;
}

const HEADER_HEIGHT = 32;

export function DataTable<T extends RowData>({
  id,
  label,
  noun,
  rows,
  columns,
  rowId,
  rowAttributes,
  sort,
  onSortChange,
  search,
  keep,
  toolbar,
  rowHeight,
  overscan = 10,
  heightClassName,
  testId,
  empty,
}: {
  /** Names the table in storage (its hidden columns). */
  id: string;
  /** The table's accessible name. */
  label: string;
  /** What a row is, plural, for the count ("12 of 40 functions"). */
  noun: string;
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowId: (row: T) => string;
  rowAttributes?: (row: T) => ElementAttributes;
  sort: DataTableSort;
  onSortChange: (sort: DataTableSort) => void;
  search: {
    value: string;
    onChange: (value: string) => void;
    label: string;
    placeholder: string;
    /** The text a search term must occur in (the name, plus e.g. the runtime). */
    text: (row: T) => string;
    inputId: string;
  };
  /** The caller's other filters (e.g. "with errors"), as one predicate; keep it stable (useCallback). */
  keep?: (row: T) => boolean;
  /** More controls for the toolbar, between the search box and the count. */
  toolbar?: ReactNode;
  rowHeight: number;
  overscan?: number;
  /** Height of the scrolling table, e.g. "h-[32rem]". */
  heightClassName: string;
  testId?: string;
  /** What an empty table says: when there are no rows at all, and when the filters removed every row. */
  empty: { none: ReactNode; noMatch: ReactNode };
}) {
  // Ties keep the input order (TanStack's last resort is the row index): fix it by row id, so the order never
  // depends on load order.
  const data = useMemo(() => [...rows].sort((a, b) => collator.compare(rowId(a), rowId(b))), [rows, rowId]);
  const columnDefs = useMemo(
    () =>
      columns.map((c, i): ColumnDef<Features, T> => ({
        id: c.id,
        header: c.header,
        accessorFn: (row: T) => c.sortValue(row) ?? undefined,
        sortUndefined: "last",
        sortDescFirst: c.descFirst === true,
        sortFn: (a, b, columnId) =>
          compareValues(a.getValue<string | number>(columnId), b.getValue<string | number>(columnId)),
        enableHiding: i > 0 && c.canHide !== false,
      })),
    [columns],
  );
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);

  const deferredQ = useDeferredValue(search.value);
  const searchText = search.text;
  const globalFilter = useMemo(
    (): RowFilter<T> => ({ q: deferredQ, searchText, keep }),
    [deferredQ, searchText, keep],
  );
  const [columnVisibility, setColumnVisibility] = useColumnVisibility(id);
  const sorting: SortingState = useMemo(() => [{ id: sort.id, desc: sort.desc }], [sort.id, sort.desc]);
  const firstColumnId = columns[0]?.id;

  const table = useTable({
    features,
    columns: columnDefs,
    data,
    getRowId: rowId,
    state: { sorting, globalFilter, columnVisibility },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      if (next) onSortChange({ id: next.id, desc: next.desc });
    },
    onColumnVisibilityChange: (updater) => setColumnVisibility(functionalUpdate(updater, columnVisibility)),
    enableSortingRemoval: false,
    enableMultiSort: false,
    // One pass per row: the filter reads the whole row, so it runs on the first column only.
    getColumnCanGlobalFilter: (column) => column.id === firstColumnId,
    globalFilterFn: rowMatches as FilterFn<Features, T>,
  });

  const visibleRows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const gridTemplateColumns = visibleColumns.map((c) => byId.get(c.id)?.width ?? "1fr").join(" ");

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design.
  const virtualizer = useVirtualizer({
    count: visibleRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (i) => visibleRows[i]?.id ?? i,
    // The sticky header sits above the rows inside the scroll box.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const keyboard = useRowKeyboard({
    count: visibleRows.length,
    scrollRef,
    virtualizer,
    firstRendered: items[0]?.index ?? 0,
  });
  const activeRendered = items.some((v) => v.index === keyboard.active);

  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <label htmlFor={search.inputId} className="sr-only">
          {search.label}
        </label>
        <input
          id={search.inputId}
          type="search"
          value={search.value}
          onChange={(e) => search.onChange(e.target.value)}
          placeholder={search.placeholder}
          autoComplete="off"
          className="w-80 rounded-md border border-zinc-200 bg-white px-2.5 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        {toolbar}
        <p className="text-sm text-zinc-500 tabular-nums dark:text-zinc-400" aria-live="polite">
          {visibleRows.length === rows.length
            ? `${formatCount(rows.length)} ${noun}`
            : `${formatCount(visibleRows.length)} of ${formatCount(rows.length)} ${noun}`}
        </p>
        <ColumnMenu
          columns={table.getAllLeafColumns().map((column) => ({
            id: column.id,
            header: byId.get(column.id)?.header ?? column.id,
            column,
          }))}
        />
      </div>
      <div
        ref={scrollRef}
        role="table"
        aria-label={label}
        aria-rowcount={visibleRows.length + 1}
        data-testid={testId}
        className={`${heightClassName} overflow-auto text-sm`}
      >
        <div
          role="rowgroup"
          className="sticky top-0 z-10 border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div
            role="row"
            aria-rowindex={1}
            className="grid items-center gap-x-3 px-3"
            style={{ gridTemplateColumns, height: HEADER_HEIGHT }}
          >
            {visibleColumns.map((column) => (
              <HeaderCell
                key={column.id}
                label={byId.get(column.id)?.header ?? column.id}
                numeric={byId.get(column.id)?.numeric === true}
                sorted={column.getIsSorted()}
                onSort={() => column.toggleSorting()}
              />
            ))}
          </div>
        </div>
        <div role="rowgroup">
          {visibleRows.length === 0 ? (
            <p className="px-3 py-6 text-zinc-500">{rows.length === 0 ? empty.none : empty.noMatch}</p>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((v) => {
                const row = visibleRows[v.index];
                if (row === undefined) return null;
                return (
                  <div
                    key={row.id}
                    role="row"
                    aria-rowindex={v.index + 2}
                    {...rowAttributes?.(row.original)}
                    {...keyboard.rowProps(v.index, activeRendered)}
                    className="absolute inset-x-0 grid items-center gap-x-3 border-b border-zinc-100 px-3 outline-none hover:bg-zinc-50 focus-visible:bg-sky-50 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset dark:border-zinc-800/60 dark:hover:bg-zinc-800/40 dark:focus-visible:bg-sky-950/40"
                    style={{
                      gridTemplateColumns,
                      height: rowHeight,
                      transform: `translateY(${v.start - HEADER_HEIGHT}px)`,
                    }}
                  >
                    {row.getVisibleCells().map((cell) => {
                      const column = byId.get(cell.column.id);
                      if (!column) return null;
                      return (
                        <div
                          key={cell.id}
                          role="cell"
                          data-col={column.id}
                          {...column.cellAttributes?.(row.original)}
                          className={`truncate ${column.numeric ? "text-right tabular-nums" : ""} ${column.cellClassName ?? ""}`}
                        >
                          {column.cell(row.original)}
                        </div>
                      );
                    })}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function rowMatches<T extends RowData>(
  row: { original: T },
  _columnId: string,
  filter: RowFilter<T>,
): boolean {
  return matchesTerms(filter.searchText(row.original), filter.q) && (filter.keep?.(row.original) ?? true);
}
