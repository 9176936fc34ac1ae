/**
 * URL state of /functions: `?q=` (search by name or runtime), `?sort=<column>&dir=asc|desc`, plus the shell's
 * regions and range (app/search-params.ts). Invalid values fall back to defaults rather than erroring: a stale
 * shared link still opens.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import { SORT_KEYS, type SortDir, type SortKey } from "@/lib/data/function-rows";

export interface FunctionsQuery {
  q: string;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_FUNCTIONS_QUERY: FunctionsQuery = { q: "", sort: "name", dir: "asc" };

export function parseFunctionsQuery(sp: SearchParams): FunctionsQuery {
  const sort = z.enum(SORT_KEYS).safeParse(first(sp.sort));
  const dir = z.enum(["asc", "desc"]).safeParse(first(sp.dir));
  return {
    q: (first(sp.q) ?? "").slice(0, 200),
    sort: sort.success ? sort.data : DEFAULT_FUNCTIONS_QUERY.sort,
    dir: dir.success ? dir.data : DEFAULT_FUNCTIONS_QUERY.dir,
  };
}

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
