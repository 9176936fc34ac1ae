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
import { accountText, functionRowId, visibleColumns } from "@/components/fleet/table-model";
import { functionHref } from "@/lib/url/function-href";
import { writeFunctionsQuery, type FunctionSortKey, type FunctionsQuery } from "@/lib/url/functions";
import { shellQuery } from "@/lib/url/shell";

const ROW_HEIGHT = 36;

const aliasesText = (f: FleetFunction) =>
  f.aliases === null
    ? "unavailable"
    : f.aliases.length === 0
      ? "—"
      : f.aliases.map(formatAliasRouting).join(", ");

/** The advisor's badge key (lib/data/advisor badgeKey: functionRefKey, "account:region:name"). */
const badgeKey = (f: FleetFunction) => `${f.account}:${f.region}:${f.name}`;

function functionColumns(
  linkQuery: string,
  badges: Record<string, FlagBadgeSummary> | null,
  accountsRead: number,
): DataColumn<FleetFunction>[] {
  return visibleColumns(allColumns(linkQuery, badges), accountsRead);
}

function allColumns(
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
            href={functionHref(f, linkQuery)}
            className="font-medium text-sky-700 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
          >
            {f.name}
          </PendingLink>
          <FunctionFlagBadge summary={badges?.[badgeKey(f)]} href={`/advisor${linkQuery}`} />
        </>
      ),
    },
    {
      id: "account",
      header: "Account",
      width: "minmax(8rem,1fr)",
      sortValue: (f) => accountText(f),
      cellClassName: "font-mono text-xs text-zinc-600 dark:text-zinc-300",
      cell: (f) => accountText(f),
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

const rowAttributes = (f: FleetFunction) => ({
  "data-function": f.name,
  "data-region": f.region,
  "data-account": f.account,
});
const searchText = (f: FleetFunction) => `${f.name} ${f.runtime ?? "image"} ${accountText(f)}`;

export function FunctionsTable({
  rows,
  initialQuery,
  badges = null,
  accountsRead = 1,
}: {
  rows: FleetFunction[];
  initialQuery: FunctionsQuery;
  /** Advisor flags per "account:region:name" from the latest Advisor run (null: none yet). */
  badges?: Record<string, FlagBadgeSummary> | null;
  /** How many accounts the console reads: the Account column shows only when more than one. */
  accountsRead?: number;
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
  const columns = useMemo(
    () => functionColumns(linkQuery, badges, accountsRead),
    [linkQuery, badges, accountsRead],
  );

  return (
    <DataTable
      id="functions"
      label="Functions"
      noun="functions"
      rows={rows}
      columns={columns}
      rowId={functionRowId}
      rowAttributes={rowAttributes}
      sort={{ id: query.sort, desc: query.dir === "desc" }}
      onSortChange={(s) => change({ ...query, sort: s.id as FunctionSortKey, dir: s.desc ? "desc" : "asc" })}
      search={{
        inputId: "function-search",
        label: "Search functions by name, runtime or account",
        placeholder: "Search name, runtime or account…",
        value: query.q,
        onChange: (q) => change({ ...query, q }),
        text: searchText,
      }}
      rowHeight={ROW_HEIGHT}
      overscan={12}
      heightClassName="h-[calc(100vh-11rem)] min-h-64"
      empty={{
        none: "No functions in the selected accounts and regions.",
        noMatch: "No function matches the search.",
      }}
    />
  );
}
