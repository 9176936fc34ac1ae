/**
 * URL state of /functions: `?q=` (search by name, runtime or account), `?sort=<column>&dir=asc|desc`, plus the
 * shell's accounts, regions and range (./shell.ts). A bad value falls back to its default and is said (`problems`): a stale shared
 * link still opens. Defaults are left out when writing, so URLs stay short.
 */
import { z } from "zod";
import { param, type UrlInput, type UrlProblems } from "./params";

/** The sortable columns, as the URL names them (the column ids of components/functions/functions-table.tsx). */
export const FUNCTION_SORT_KEYS = [
  "name",
  "account",
  "region",
  "runtime",
  "architecture",
  "memory",
  "timeout",
  "codeSize",
  "lastModified",
  "versions",
  "aliases",
] as const;
export type FunctionSortKey = (typeof FUNCTION_SORT_KEYS)[number];

export interface FunctionsQuery {
  q: string;
  sort: FunctionSortKey;
  dir: "asc" | "desc";
}

export const DEFAULT_FUNCTIONS_QUERY: FunctionsQuery = { q: "", sort: "name", dir: "asc" };

export interface LoadedFunctionsQuery {
  query: FunctionsQuery;
  problems: UrlProblems<"sort" | "dir">;
}

export function loadFunctionsQuery(params: UrlInput): LoadedFunctionsQuery {
  const problems: LoadedFunctionsQuery["problems"] = {};
  const rawSort = param(params, "sort");
  const rawDir = param(params, "dir");
  const sort = z.enum(FUNCTION_SORT_KEYS).safeParse(rawSort);
  const dir = z.enum(["asc", "desc"]).safeParse(rawDir);
  if (rawSort !== undefined && !sort.success)
    problems.sort = `Cannot sort by "${rawSort.slice(0, 30)}": sorted by name.`;
  if (rawDir !== undefined && !dir.success) problems.dir = `"dir" is asc or desc: sorted ascending.`;
  return {
    query: {
      q: (param(params, "q") ?? "").slice(0, 200),
      sort: sort.success ? sort.data : DEFAULT_FUNCTIONS_QUERY.sort,
      dir: dir.success ? dir.data : DEFAULT_FUNCTIONS_QUERY.dir,
    },
    problems,
  };
}

/** The functions query alone (a bad value is its default), for a client that only needs the values. */
export const parseFunctionsQuery = (params: UrlInput): FunctionsQuery => loadFunctionsQuery(params).query;

/** Write the query into existing params, leaving defaults out so URLs stay short. */
export function writeFunctionsQuery(params: URLSearchParams, query: FunctionsQuery): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: keyof FunctionsQuery, value: string) =>
    value && value !== DEFAULT_FUNCTIONS_QUERY[key] ? next.set(key, value) : next.delete(key);
  set("q", query.q.trim());
  set("sort", query.sort);
  set("dir", query.dir);
  return next;
}
