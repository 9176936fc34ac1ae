/**
 * The fleet telemetry table's query (search, sort column and direction, condition filter) and its URL form. Pure,
 * shared by the page (first render) and the client table. Sorting itself is the shared data table's
 * (components/ui/data-table): unknown values sort after every known value in both directions, so a degraded
 * source never floats to the top of "worst first".
 */
import type { FunctionRow } from "@/lib/data/telemetry/assemble";

export const FLEET_SORT_KEYS = [
  "name",
  "account",
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

/** "111111111111 (member-1)", or the id alone when the account's name is unknown: the Account column's text. */
export const accountText = (r: { account: string; accountName: string | null }): string =>
  r.accountName ? `${r.account} (${r.accountName})` : r.account;

/**
 * The columns a table shows: the Account column only when more than one account is read (a single-account
 * console looks as before). `accountsRead`: how many accounts the console reads.
 */
export function visibleColumns<C extends { id: string }>(columns: readonly C[], accountsRead: number): C[] {
  return accountsRead > 1 ? [...columns] : columns.filter((c) => c.id !== "account");
}

/** A row's key in a table: account, region and name together (two accounts may hold one name in one region). */
export const functionRowId = (r: { account: string; region: string; name: string }): string =>
  `${r.account}/${r.region}/${r.name}`;

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

/** What was wrong with the table's URL keys, in words for the user (the default is used instead). */
export type FleetQueryProblems = Partial<Record<"sort" | "dir" | "filter", string>>;

/**
 * URL keys (prefixed so they never collide with the shell's): `fq`, `fsort`, `fdir`, `ffilter`. A bad value
 * falls back to its default and is said (`problems`): a stale shared link still opens.
 */
export function loadFleetQuery(params: URLSearchParams): {
  query: FleetTableQuery;
  problems: FleetQueryProblems;
} {
  const sort = params.get("fsort");
  const dir = params.get("fdir");
  const filter = params.get("ffilter");
  const sortOk = FLEET_SORT_KEYS.includes(sort as FleetSortKey);
  const dirOk = dir === "asc" || dir === "desc";
  const filterOk = FLEET_FILTERS.includes(filter as FleetFilter);
  const problems: FleetQueryProblems = {};
  if (sort !== null && !sortOk)
    problems.sort = `Cannot sort functions by "${sort.slice(0, 30)}": sorted by invocations.`;
  if (dir !== null && !dirOk) problems.dir = `"fdir" is asc or desc: sorted descending.`;
  if (filter !== null && !filterOk)
    problems.filter = `Unknown filter "${filter.slice(0, 30)}": showing all functions.`;
  return {
    query: {
      q: (params.get("fq") ?? "").slice(0, 200),
      sort: sortOk ? (sort as FleetSortKey) : DEFAULT_FLEET_QUERY.sort,
      dir: dirOk ? dir : DEFAULT_FLEET_QUERY.dir,
      filter: filterOk ? (filter as FleetFilter) : DEFAULT_FLEET_QUERY.filter,
    },
    problems,
  };
}

/** The table's query alone (a bad value is its default), for a client that only needs the values. */
export const parseFleetQuery = (params: URLSearchParams): FleetTableQuery => loadFleetQuery(params).query;
