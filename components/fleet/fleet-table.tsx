"use client";

/**
 * Every function of the fleet with its telemetry, on the shared data table (components/ui/data-table): searched,
 * filtered and sorted in the browser, virtualized. The table's query (fq, fsort, fdir, ffilter) is mirrored into
 * the URL without a navigation. A number the console cannot back has no `data-value` and sorts last.
 */
import { useCallback, useMemo, useState } from "react";
import { DataTable, type DataColumn } from "@/components/ui/data-table/data-table";
import { UrlProblem } from "@/components/shell/url-problem";
import { PendingLink } from "@/components/ui/pending-link";
import { formatCount, formatDuration, formatMb, formatMoney, formatPercent } from "@/lib/core/format";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";
import { functionHref } from "@/lib/url/function-href";
import { costText, estimateTitle } from "./cost-text";
import {
  accountText,
  DEFAULT_FLEET_QUERY,
  functionRowId,
  matchesFleetFilter,
  visibleColumns,
  type FleetFilter,
  type FleetQueryProblems,
  type FleetSortKey,
  type FleetTableQuery,
} from "./table-model";

const ROW_HEIGHT = 34;

function writeFleetQuery(q: FleetTableQuery) {
  const params = new URLSearchParams(window.location.search);
  const set = (k: string, v: string, d: string) => (v && v !== d ? params.set(k, v) : params.delete(k));
  set("fq", q.q.trim(), "");
  set("fsort", q.sort, DEFAULT_FLEET_QUERY.sort);
  set("fdir", q.dir, DEFAULT_FLEET_QUERY.dir);
  set("ffilter", q.filter, DEFAULT_FLEET_QUERY.filter);
  const qs = params.toString();
  // replaceState: typing must not push one history entry per keystroke.
  window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
}

/** A numeric telemetry column: the raw value in `data-value` (absent when unknown) so tests read exact numbers. */
function metric(
  id: FleetSortKey,
  header: string,
  width: string,
  value: (r: FunctionRow) => number | null,
  text: (r: FunctionRow) => string,
): DataColumn<FunctionRow> {
  return {
    id,
    header,
    width,
    numeric: true,
    descFirst: true,
    sortValue: value,
    cell: text,
    cellAttributes: (r) => ({ "data-value": value(r) ?? undefined }),
  };
}

function fleetColumns(linkQuery: string, accountsRead: number): DataColumn<FunctionRow>[] {
  return visibleColumns(allColumns(linkQuery), accountsRead);
}

function allColumns(linkQuery: string): DataColumn<FunctionRow>[] {
  return [
    {
      id: "name",
      header: "Function",
      width: "minmax(12rem,2fr)",
      sortValue: (r) => r.name,
      cellClassName: "font-mono",
      cell: (r) => (
        <PendingLink
          href={functionHref(r, linkQuery)}
          className="text-sky-700 hover:underline dark:text-sky-400"
        >
          {r.name}
        </PendingLink>
      ),
    },
    {
      id: "account",
      header: "Account",
      width: "minmax(8rem,1fr)",
      sortValue: (r) => accountText(r),
      cellClassName: "font-mono text-xs",
      cell: (r) => accountText(r),
    },
    {
      id: "region",
      header: "Region",
      width: "6.5rem",
      sortValue: (r) => r.region,
      cellClassName: "font-mono text-xs",
      cell: (r) => r.region,
    },
    metric(
      "invocations",
      "Invocations",
      "6rem",
      (r) => r.invocations,
      (r) => formatCount(r.invocations),
    ),
    metric(
      "errorRate",
      "Error %",
      "5rem",
      (r) => r.errorRate,
      (r) => formatPercent(r.errorRate),
    ),
    metric(
      "throttles",
      "Throttles",
      "5rem",
      (r) => r.throttles,
      (r) => formatCount(r.throttles),
    ),
    metric(
      "p99",
      "p99",
      "5.5rem",
      (r) => r.p99,
      (r) => formatDuration(r.p99),
    ),
    metric(
      "coldStartRate",
      "Cold %",
      "5.5rem",
      (r) => r.coldStartRate,
      (r) => formatPercent(r.coldStartRate),
    ),
    metric(
      "avgInit",
      "Avg init",
      "5.5rem",
      (r) => r.avgInit,
      (r) => formatDuration(r.avgInit),
    ),
    {
      ...metric(
        "memory",
        "Max mem / size",
        "8rem",
        (r) => r.maxMemoryUsed,
        (r) =>
          r.maxMemoryUsed === null
            ? `— / ${formatMb(r.memory)}`
            : `${formatMb(r.maxMemoryUsed)} / ${formatMb(r.memory)}`,
      ),
      // Sorted by how full the memory is, not by the raw megabytes.
      sortValue: (r) => (r.maxMemoryUsed === null ? null : r.maxMemoryUsed / r.memory),
    },
    {
      ...metric(
        "cost",
        "Est. $/month",
        "6.5rem",
        (r) => r.monthlyCost,
        (r) => (r.cost === null ? formatMoney(null) : costText(r.cost.total, r.cost.lowerBound)),
      ),
      cellAttributes: (r) => ({
        "data-value": r.monthlyCost ?? undefined,
        "data-lower-bound": r.cost?.lowerBound ? "" : undefined,
        title: (r.cost && estimateTitle(r.cost)) || undefined,
      }),
    },
  ];
}

const rowAttributes = (r: FunctionRow) => ({
  "data-function": r.name,
  "data-region": r.region,
  "data-account": r.account,
});
// An account is found by its id or its name, like a function by its name.
const searchText = (r: FunctionRow) => `${r.name} ${accountText(r)}`;

export function FleetTable({
  rows,
  initialQuery,
  linkQuery,
  accountsRead = 1,
  problems = {},
}: {
  rows: FunctionRow[];
  initialQuery: FleetTableQuery;
  linkQuery: string;
  /** How many accounts the console reads: the Account column shows only when more than one. */
  accountsRead?: number;
  /** What was wrong with the URL's fsort, fdir or ffilter (table-model's loadFleetQuery), said by the toolbar. */
  problems?: FleetQueryProblems;
}) {
  const [query, setQuery] = useState(initialQuery);
  const change = (next: FleetTableQuery) => {
    setQuery(next);
    writeFleetQuery(next);
  };
  const columns = useMemo(() => fleetColumns(linkQuery, accountsRead), [linkQuery, accountsRead]);
  const keep = useCallback((r: FunctionRow) => matchesFleetFilter(r, query.filter), [query.filter]);

  return (
    <DataTable
      id="fleet"
      label="Fleet functions"
      noun="functions"
      rows={rows}
      columns={columns}
      rowId={functionRowId}
      rowAttributes={rowAttributes}
      sort={{ id: query.sort, desc: query.dir === "desc" }}
      onSortChange={(s) => change({ ...query, sort: s.id as FleetSortKey, dir: s.desc ? "desc" : "asc" })}
      search={{
        inputId: "fleet-search",
        label: "Search functions",
        placeholder: "Search functions…",
        value: query.q,
        onChange: (q) => change({ ...query, q }),
        text: searchText,
      }}
      keep={keep}
      toolbar={
        <>
          <label className="flex items-center gap-1.5 text-sm">
            <span className="text-zinc-500">Show</span>
            <select
              value={query.filter}
              aria-describedby={problems.filter ? "fleet-filter-problem" : undefined}
              onChange={(e) => change({ ...query, filter: e.target.value as FleetFilter })}
              className="rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
            >
              <option value="all">all functions</option>
              <option value="errors">with errors</option>
              <option value="throttled">throttled</option>
              <option value="cold">with cold starts</option>
            </select>
          </label>
          <UrlProblem id="fleet-filter-problem" message={problems.filter ?? null} />
          <UrlProblem id="fleet-sort-problem" message={problems.sort ?? null} />
          <UrlProblem id="fleet-dir-problem" message={problems.dir ?? null} />
        </>
      }
      rowHeight={ROW_HEIGHT}
      heightClassName="h-[32rem]"
      testId="fleet-rows"
      empty={{ none: "No functions in the selected accounts and regions.", noMatch: "No function matches." }}
    />
  );
}
