"use client";

/**
 * A small menu to hide and show a table's columns: a native disclosure (<details>) holding one checkbox per
 * column, so it works with keyboard and screen readers without a popup library. Columns that cannot hide are
 * listed, checked and disabled, so the list always names every column.
 */
export interface ColumnToggle {
  id: string;
  header: string;
  column: {
    getCanHide: () => boolean;
    getIsVisible: () => boolean;
    toggleVisibility: (value?: boolean) => void;
  };
}

export function ColumnMenu({ columns }: { columns: readonly ColumnToggle[] }) {
  return (
    <details className="relative ml-auto text-sm">
      <summary className="cursor-pointer list-none rounded-md border border-zinc-200 px-2 py-1 text-zinc-600 outline-none select-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:text-zinc-300 dark:hover:text-zinc-100">
        Columns
      </summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-48 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <legend className="sr-only">Shown columns</legend>
        {columns.map(({ id, header, column }) => (
          <label
            key={id}
            className="flex items-center gap-2 rounded px-1 py-0.5 hover:bg-zinc-50 dark:hover:bg-zinc-800"
          >
            <input
              type="checkbox"
              checked={column.getIsVisible()}
              disabled={!column.getCanHide()}
              onChange={(e) => column.toggleVisibility(e.target.checked)}
            />
            {header}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
