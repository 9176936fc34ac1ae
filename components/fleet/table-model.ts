/**
 * The fleet telemetry table's query (search, sort column and direction, condition filter) and its URL form. Pure,
 * shared by the page (first render) and the client table. Sorting itself is the shared data table's
 * (components/ui/data-table): unknown values sort after every known value in both directions, so a degraded
 * source never floats to the top of "worst first".
 */
import type { FunctionRow } from "@/lib/data/telemetry/assemble";

export const FLEET_SORT_KEYS = [
  "name",
  "region",
  "invocations",
  "errorRate",
  "throttles",
  "p99",
  "coldStartRate",
  "avgInit",
  "memory",
  "cost",
] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];
export const FLEET_FILTERS = ["all", "errors", "throttled", "cold"] as const;
export type FleetFilter = (typeof FLEET_FILTERS)[number];

export interface FleetTableQuery {
  q: string;
  sort: FleetSortKey;
  dir: "asc" | "desc";
  filter: FleetFilter;
}

export const DEFAULT_FLEET_QUERY: FleetTableQuery = {
  q: "",
  sort: "invocations",
  dir: "desc",
  filter: "all",
};

/** Does a row pass the table's condition filter ("with errors", …)? Unknown counts never pass. */
export function matchesFleetFilter(r: FunctionRow, f: FleetFilter): boolean {
  switch (f) {
    case "all":
      return true;
    case "errors":
      return (r.errors ?? 0) > 0;
    case "throttled":
      return (r.throttles ?? 0) > 0;
    case "cold":
      return (r.coldStarts ?? 0) > 0;
  }
}

/** URL keys (prefixed so they never collide with the shell's): `fq`, `fsort`, `fdir`, `ffilter`. */
export function parseFleetQuery(params: URLSearchParams): FleetTableQuery {
  const sort = params.get("fsort");
  const dir = params.get("fdir");
  const filter = params.get("ffilter");
  return {
    q: (params.get("fq") ?? "").slice(0, 200),
    sort: FLEET_SORT_KEYS.includes(sort as FleetSortKey) ? (sort as FleetSortKey) : DEFAULT_FLEET_QUERY.sort,
    dir: dir === "asc" || dir === "desc" ? dir : DEFAULT_FLEET_QUERY.dir,
    filter: FLEET_FILTERS.includes(filter as FleetFilter)
      ? (filter as FleetFilter)
      : DEFAULT_FLEET_QUERY.filter,
  };
}
