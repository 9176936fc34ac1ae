"use client";

import { useSearchParams } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import { writeFunctionsQuery, type FunctionsQuery } from "@/app/functions/search-params";
import { shellQuery } from "@/app/search-params";
import { FunctionFlagBadge } from "@/components/advisor/function-flag-badge";
import { formatBytes, formatDateTime, formatNumber } from "@/components/ui/format";
import { PendingLink } from "@/components/ui/pending-link";
import { SortHeaderRow, VirtualRows, type SortableColumn } from "@/components/ui/virtual-table";
import type { FlagBadgeSummary } from "@/lib/data/advisor/summary";
import {
  filterFunctions,
  formatAliasRouting,
  sortFunctions,
  type FleetFunction,
  type SortKey,
} from "@/lib/data/function-rows";

const ROW_HEIGHT = 36;
const GRID =
  "grid grid-cols-[minmax(14rem,2fr)_7rem_8rem_5rem_5.5rem_4.5rem_5.5rem_10rem_4.5rem_minmax(14rem,2fr)] gap-x-3 px-3";

const COLUMNS: SortableColumn<SortKey>[] = [
  { key: "name", label: "Name" },
  { key: "region", label: "Region" },
  { key: "runtime", label: "Runtime" },
  { key: "architecture", label: "Arch" },
  { key: "memory", label: "Memory", numeric: true },
  { key: "timeout", label: "Timeout", numeric: true },
  { key: "codeSize", label: "Code size", numeric: true },
  { key: "lastModified", label: "Last modified" },
  { key: "versions", label: "Versions", numeric: true },
  { key: "aliases", label: "Aliases" },
];

/**
 * The fleet's functions: search and sort in the browser (the list is already loaded), state mirrored into the
 * URL, and only the visible rows in the DOM so thousands of functions stay fast.
 */
export function FunctionsTable({
  rows,
  initialQuery,
  badges = null,
}: {
  rows: FleetFunction[];
  initialQuery: FunctionsQuery;
  /** Advisor flags per `region/name` from the latest Advisor run (null: none yet). */
  badges?: Record<string, FlagBadgeSummary> | null;
}) {
  const [query, setQuery] = useState(initialQuery);
  const deferredQ = useDeferredValue(query.q);
  const visible = useMemo(
    () => sortFunctions(filterFunctions(rows, deferredQ), query.sort, query.dir),
    [rows, deferredQ, query.sort, query.dir],
  );

  const change = (next: FunctionsQuery) => {
    setQuery(next);
    // replaceState: typing must not push one history entry per keystroke; Next keeps useSearchParams in sync.
    const params = writeFunctionsQuery(new URLSearchParams(window.location.search), next);
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  };

  const sortBy = (key: SortKey) =>
    change({ ...query, sort: key, dir: query.sort === key && query.dir === "asc" ? "desc" : "asc" });

  const linkQuery = shellQuery(useSearchParams());

  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <label htmlFor="function-search" className="sr-only">
          Search functions by name or runtime
        </label>
        <input
          id="function-search"
          type="search"
          value={query.q}
          onChange={(e) => change({ ...query, q: e.target.value })}
          placeholder="Search name or runtime…"
          autoComplete="off"
          className="w-80 rounded-md border border-zinc-200 bg-white px-2.5 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <p className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {visible.length === rows.length
            ? `${formatNumber(rows.length)} functions`
            : `${formatNumber(visible.length)} of ${formatNumber(rows.length)} functions`}
        </p>
      </div>
      <div role="table" aria-label="Functions" aria-rowcount={visible.length + 1} className="text-sm">
        <SortHeaderRow
          grid={GRID}
          columns={COLUMNS}
          sort={query.sort}
          dir={query.dir}
          onSort={(c) => sortBy(c.key)}
          buttonClassName="rounded text-xs font-medium uppercase tracking-wide text-zinc-500 outline-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-zinc-400 dark:hover:text-zinc-100"
        />
        <VirtualRows
          items={visible}
          grid={GRID}
          rowHeight={ROW_HEIGHT}
          overscan={12}
          className="h-[calc(100vh-11rem)] min-h-64 overflow-auto"
          empty={
            rows.length === 0 ? "No functions in the selected regions." : "No function matches the search."
          }
          rowKey={(f) => `${f.region}/${f.name}`}
          renderRow={(f) => (
            <FunctionRow f={f} linkQuery={linkQuery} badge={badges?.[`${f.region}/${f.name}`]} />
          )}
        />
      </div>
    </div>
  );
}

function FunctionRow({
  f,
  linkQuery,
  badge,
}: {
  f: FleetFunction;
  linkQuery: string;
  badge: FlagBadgeSummary | undefined;
}) {
  const href = `/functions/${f.region}/${encodeURIComponent(f.name)}${linkQuery}`;
  const aliases =
    f.aliases === null
      ? "unavailable"
      : f.aliases.length === 0
        ? "—"
        : f.aliases.map(formatAliasRouting).join(", ");
  return (
    <>
      <div role="cell" className="truncate">
        <PendingLink
          href={href}
          className="font-medium text-sky-700 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
        >
          {f.name}
        </PendingLink>
        <FunctionFlagBadge summary={badge} href={`/advisor${linkQuery}`} />
      </div>
      <div role="cell" className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-300">
        {f.region}
      </div>
      <div role="cell" className="truncate">
        {f.runtime ?? <span className="text-zinc-500">image</span>}
      </div>
      <div role="cell" className="text-zinc-600 dark:text-zinc-300">
        {f.architecture}
      </div>
      <div role="cell" className="text-right tabular-nums">
        {formatNumber(f.memoryMb)} MB
      </div>
      <div role="cell" className="text-right tabular-nums">
        {f.timeoutSeconds} s
      </div>
      <div role="cell" className="text-right tabular-nums">
        {formatBytes(f.codeSizeBytes)}
      </div>
      <div role="cell" className="tabular-nums text-zinc-600 dark:text-zinc-300">
        {formatDateTime(f.lastModified)}
      </div>
      <div role="cell" className="text-right tabular-nums">
        {f.versionsCount}
      </div>
      <div role="cell" className="truncate font-mono text-xs" title={aliases}>
        {aliases}
      </div>
    </>
  );
}
