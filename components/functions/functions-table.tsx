"use client";

/**
 * The fleet's functions on the shared data table (components/ui/data-table): search and sort in the browser (the
 * list is already loaded), state mirrored into the URL (lib/url/functions.ts), and only the visible rows in the
 * DOM so thousands of functions stay fast. Aliases that could not be loaded say "unavailable", never "—".
 */
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { FunctionFlagBadge } from "@/components/advisor/function-flag-badge";
import { DataTable, type DataColumn } from "@/components/ui/data-table/data-table";
import { formatBytes, formatDateTime, formatNumber } from "@/lib/core/format";
import { bytes } from "@/lib/core/units";
import { PendingLink } from "@/components/ui/pending-link";
import type { FlagBadgeSummary } from "@/lib/data/advisor/summary";
import { formatAliasRouting, type FleetFunction } from "@/lib/data/function-rows";
import { writeFunctionsQuery, type FunctionSortKey, type FunctionsQuery } from "@/lib/url/functions";
import { shellQuery } from "@/lib/url/shell";

const ROW_HEIGHT = 36;

const aliasesText = (f: FleetFunction) =>
  f.aliases === null
    ? "unavailable"
    : f.aliases.length === 0
      ? "—"
      : f.aliases.map(formatAliasRouting).join(", ");

function functionColumns(
  linkQuery: string,
  badges: Record<string, FlagBadgeSummary> | null,
): DataColumn<FleetFunction>[] {
  return [
    {
      id: "name",
      header: "Name",
      width: "minmax(14rem,2fr)",
      sortValue: (f) => f.name,
      cell: (f) => (
        <>
          <PendingLink
            href={`/functions/${f.region}/${encodeURIComponent(f.name)}${linkQuery}`}
            className="font-medium text-sky-700 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
          >
            {f.name}
          </PendingLink>
          <FunctionFlagBadge summary={badges?.[`${f.region}/${f.name}`]} href={`/advisor${linkQuery}`} />
        </>
      ),
    },
    {
      id: "region",
      header: "Region",
      width: "7rem",
      sortValue: (f) => f.region,
      cellClassName: "font-mono text-xs text-zinc-600 dark:text-zinc-300",
      cell: (f) => f.region,
    },
    {
      id: "runtime",
      header: "Runtime",
      width: "8rem",
      // Container images have no runtime: they sort first, as "".
      sortValue: (f) => f.runtime ?? "",
      cell: (f) => f.runtime ?? <span className="text-zinc-500">image</span>,
    },
    {
      id: "architecture",
      header: "Arch",
      width: "5rem",
      sortValue: (f) => f.architecture,
      cellClassName: "text-zinc-600 dark:text-zinc-300",
      cell: (f) => f.architecture,
    },
    {
      id: "memory",
      header: "Memory",
      width: "5.5rem",
      numeric: true,
      sortValue: (f) => f.memoryMb,
      cell: (f) => `${formatNumber(f.memoryMb)} MB`,
    },
    {
      id: "timeout",
      header: "Timeout",
      width: "4.5rem",
      numeric: true,
      sortValue: (f) => f.timeoutSeconds,
      cell: (f) => `${f.timeoutSeconds} s`,
    },
    {
      id: "codeSize",
      header: "Code size",
      width: "5.5rem",
      numeric: true,
      sortValue: (f) => f.codeSizeBytes,
      cell: (f) => formatBytes(bytes(f.codeSizeBytes)),
    },
    {
      id: "lastModified",
      header: "Last modified",
      width: "10rem",
      sortValue: (f) => f.lastModified,
      cellClassName: "tabular-nums text-zinc-600 dark:text-zinc-300",
      cell: (f) => formatDateTime(f.lastModified),
    },
    {
      id: "versions",
      header: "Versions",
      width: "4.5rem",
      numeric: true,
      sortValue: (f) => f.versionsCount,
      cell: (f) => f.versionsCount,
    },
    {
      id: "aliases",
      header: "Aliases",
      width: "minmax(14rem,2fr)",
      // Unloadable aliases are unknown, not zero: they sort last.
      sortValue: (f) => f.aliases?.length ?? null,
      cellClassName: "font-mono text-xs",
      cellAttributes: (f) => ({ title: aliasesText(f) }),
      cell: aliasesText,
    },
  ];
}

const rowId = (f: FleetFunction) => `${f.region}/${f.name}`;
const rowAttributes = (f: FleetFunction) => ({ "data-function": f.name, "data-region": f.region });
const searchText = (f: FleetFunction) => `${f.name} ${f.runtime ?? "image"}`;

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
  const change = (next: FunctionsQuery) => {
    setQuery(next);
    // replaceState: typing must not push one history entry per keystroke; Next keeps useSearchParams in sync.
    const params = writeFunctionsQuery(new URLSearchParams(window.location.search), next);
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  };
  const linkQuery = shellQuery(new URLSearchParams(useSearchParams().toString()));
  const columns = useMemo(() => functionColumns(linkQuery, badges), [linkQuery, badges]);

  return (
    <DataTable
      id="functions"
      label="Functions"
      noun="functions"
      rows={rows}
      columns={columns}
      rowId={rowId}
      rowAttributes={rowAttributes}
      sort={{ id: query.sort, desc: query.dir === "desc" }}
      onSortChange={(s) => change({ ...query, sort: s.id as FunctionSortKey, dir: s.desc ? "desc" : "asc" })}
      search={{
        inputId: "function-search",
        label: "Search functions by name or runtime",
        placeholder: "Search name or runtime…",
        value: query.q,
        onChange: (q) => change({ ...query, q }),
        text: searchText,
      }}
      rowHeight={ROW_HEIGHT}
      overscan={12}
      heightClassName="h-[calc(100vh-11rem)] min-h-64"
      empty={{ none: "No functions in the selected regions.", noMatch: "No function matches the search." }}
    />
  );
}
