/**
 * Sorting, filtering and searching the fleet telemetry table. Pure, shared by the client table and its tests.
 * Unknown values (null: the source failed or had no data) sort after every known value in both directions, so a
 * degraded source never floats to the top of "worst first".
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

const valueOf = (r: FunctionRow, key: FleetSortKey): string | number | null => {
  switch (key) {
    case "name":
      return r.name;
    case "region":
      return r.region;
    case "invocations":
      return r.invocations;
    case "errorRate":
      return r.errorRate;
    case "throttles":
      return r.throttles;
    case "p99":
      return r.p99;
    case "coldStartRate":
      return r.coldStartRate;
    case "avgInit":
      return r.avgInit;
    case "memory":
      return r.maxMemoryUsed === null ? null : r.maxMemoryUsed / r.memory;
    case "cost":
      return r.monthlyCost;
  }
};

const matchesFilter = (r: FunctionRow, f: FleetFilter) => {
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
};

export function selectRows(rows: readonly FunctionRow[], query: FleetTableQuery): FunctionRow[] {
  const terms = query.q.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = rows.filter(
    (r) => matchesFilter(r, query.filter) && terms.every((t) => r.name.toLowerCase().includes(t)),
  );
  const sign = query.dir === "asc" ? 1 : -1;
  const decorated = kept.map((r) => ({ r, v: valueOf(r, query.sort) }));
  decorated.sort((a, b) => {
    if (a.v === null || b.v === null) {
      if (a.v !== b.v) return a.v === null ? 1 : -1;
    } else if (a.v !== b.v) {
      return (
        sign *
        (typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v) < String(b.v) ? -1 : 1)
      );
    }
    return a.r.name < b.r.name ? -1 : a.r.name > b.r.name ? 1 : a.r.region < b.r.region ? -1 : 1;
  });
  return decorated.map((d) => d.r);
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
