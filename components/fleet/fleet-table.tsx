"use client";

import { useDeferredValue, useMemo, useState } from "react";
import { PendingLink } from "@/components/ui/pending-link";
import { SortHeaderRow, VirtualRows, type SortableColumn } from "@/components/ui/virtual-table";
import { formatCount, formatDuration, formatMb, formatMoney, formatPercent } from "@/lib/core/format";
import type { FunctionRow } from "@/lib/data/telemetry/assemble";
import { costText, estimateTitle } from "./cost-text";
import {
  DEFAULT_FLEET_QUERY,
  selectRows,
  type FleetFilter,
  type FleetSortKey,
  type FleetTableQuery,
} from "./table-model";

const ROW_HEIGHT = 34;
const GRID =
  "grid grid-cols-[minmax(12rem,2fr)_6.5rem_6rem_5rem_5rem_5.5rem_5.5rem_5.5rem_8rem_6.5rem] gap-x-3 px-3";

const COLUMNS: SortableColumn<FleetSortKey>[] = [
  { key: "name", label: "Function" },
  { key: "region", label: "Region" },
  { key: "invocations", label: "Invocations", numeric: true },
  { key: "errorRate", label: "Error %", numeric: true },
  { key: "throttles", label: "Throttles", numeric: true },
  { key: "p99", label: "p99", numeric: true },
  { key: "coldStartRate", label: "Cold %", numeric: true },
  { key: "avgInit", label: "Avg init", numeric: true },
  { key: "memory", label: "Max mem / size", numeric: true },
  { key: "cost", label: "Est. $/month", numeric: true },
];

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

/** Raw values next to the formatted text (data-value), so tests and scripts read exact numbers. */
function raw(r: FunctionRow): (number | null)[] {
  return [
    null,
    r.invocations,
    r.errorRate,
    r.throttles,
    r.p99,
    r.coldStartRate,
    r.avgInit,
    r.maxMemoryUsed,
    r.monthlyCost,
  ];
}

function cells(r: FunctionRow): string[] {
  return [
    r.region,
    formatCount(r.invocations),
    formatPercent(r.errorRate),
    formatCount(r.throttles),
    formatDuration(r.p99),
    formatPercent(r.coldStartRate),
    formatDuration(r.avgInit),
    r.maxMemoryUsed === null
      ? `— / ${formatMb(r.memory)}`
      : `${formatMb(r.maxMemoryUsed)} / ${formatMb(r.memory)}`,
    r.cost === null ? formatMoney(null) : costText(r.cost.total, r.cost.lowerBound),
  ];
}

/** Every function of the fleet with its telemetry: sorted, filtered and searched in the browser, virtualized. */
export function FleetTable({
  rows,
  initialQuery,
  linkQuery,
}: {
  rows: FunctionRow[];
  initialQuery: FleetTableQuery;
  linkQuery: string;
}) {
  const [query, setQuery] = useState(initialQuery);
  const deferredQ = useDeferredValue(query.q);
  const visible = useMemo(() => selectRows(rows, { ...query, q: deferredQ }), [rows, query, deferredQ]);
  const change = (next: FleetTableQuery) => {
    setQuery(next);
    writeFleetQuery(next);
  };

  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <label htmlFor="fleet-search" className="sr-only">
          Search functions
        </label>
        <input
          id="fleet-search"
          type="search"
          value={query.q}
          onChange={(e) => change({ ...query, q: e.target.value })}
          placeholder="Search functions…"
          autoComplete="off"
          className="w-72 rounded-md border border-zinc-200 bg-white px-2.5 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <label className="flex items-center gap-1.5 text-sm">
          <span className="text-zinc-500">Show</span>
          <select
            value={query.filter}
            onChange={(e) => change({ ...query, filter: e.target.value as FleetFilter })}
            className="rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          >
            <option value="all">all functions</option>
            <option value="errors">with errors</option>
            <option value="throttled">throttled</option>
            <option value="cold">with cold starts</option>
          </select>
        </label>
        <p className="text-sm tabular-nums text-zinc-500" aria-live="polite">
          {visible.length === rows.length
            ? `${formatCount(rows.length)} functions`
            : `${formatCount(visible.length)} of ${formatCount(rows.length)} functions`}
        </p>
      </div>
      <div role="table" aria-label="Fleet functions" aria-rowcount={visible.length + 1} className="text-sm">
        <SortHeaderRow
          grid={GRID}
          columns={COLUMNS}
          sort={query.sort}
          dir={query.dir}
          onSort={(c) =>
            change({
              ...query,
              sort: c.key,
              dir: query.sort === c.key ? (query.dir === "asc" ? "desc" : "asc") : c.numeric ? "desc" : "asc",
            })
          }
          buttonClassName="text-xs font-medium uppercase tracking-wide text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100"
        />
        <VirtualRows
          items={visible}
          grid={GRID}
          rowHeight={ROW_HEIGHT}
          overscan={10}
          className="h-[32rem] overflow-auto"
          testId="fleet-rows"
          empty={rows.length === 0 ? "No functions in the selected regions." : "No function matches."}
          rowKey={(r) => `${r.region}/${r.name}`}
          rowAttributes={(r) => ({ "data-function": r.name, "data-region": r.region })}
          renderRow={(r) => (
            <>
              <div role="cell" className="truncate font-mono">
                <PendingLink
                  href={`/functions/${encodeURIComponent(r.region)}/${encodeURIComponent(r.name)}${linkQuery}`}
                  className="text-sky-700 hover:underline dark:text-sky-400"
                >
                  {r.name}
                </PendingLink>
              </div>
              {cells(r).map((text, i) => (
                <div
                  data-value={raw(r)[i] ?? undefined}
                  key={COLUMNS[i + 1]?.key}
                  role="cell"
                  data-col={COLUMNS[i + 1]?.key}
                  data-lower-bound={COLUMNS[i + 1]?.key === "cost" && r.cost?.lowerBound ? "" : undefined}
                  title={(COLUMNS[i + 1]?.key === "cost" && r.cost && estimateTitle(r.cost)) || undefined}
                  className={`truncate tabular-nums ${i === 0 ? "font-mono text-xs" : "text-right"}`}
                >
                  {text}
                </div>
              ))}
            </>
          )}
        />
      </div>
    </div>
  );
}
