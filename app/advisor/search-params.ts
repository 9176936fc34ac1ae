/**
 * URL state of /advisor: `?sort=stake|severity|function` and `?days=1|3|7|14` (the look-back), plus the
 * shell's regions. Invalid values fall back to defaults: a stale shared link still opens.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import type { FlagSort } from "@/lib/data/advisor/summary";

export const ADVISOR_SORTS = ["stake", "severity", "function"] as const satisfies readonly FlagSort[];
export const ADVISOR_DAYS = [1, 3, 7, 14] as const;

export interface AdvisorQuery {
  sort: FlagSort;
  days: (typeof ADVISOR_DAYS)[number];
}

export const DEFAULT_ADVISOR_QUERY: AdvisorQuery = { sort: "stake", days: 7 };

export function parseAdvisorQuery(sp: SearchParams): AdvisorQuery {
  const sort = z.enum(ADVISOR_SORTS).safeParse(first(sp.sort));
  const days = Number(first(sp.days));
  return {
    sort: sort.success ? sort.data : DEFAULT_ADVISOR_QUERY.sort,
    days: (ADVISOR_DAYS as readonly number[]).includes(days)
      ? (days as AdvisorQuery["days"])
      : DEFAULT_ADVISOR_QUERY.days,
  };
}

/** The advisor URL with one setting changed, keeping the shell's regions; defaults are left out. */
export function advisorHref(sp: SearchParams, next: Partial<AdvisorQuery>): string {
  const q = { ...parseAdvisorQuery(sp), ...next };
  const params = new URLSearchParams();
  const regions = first(sp.regions);
  if (regions) params.set("regions", regions);
  if (q.sort !== DEFAULT_ADVISOR_QUERY.sort) params.set("sort", q.sort);
  if (q.days !== DEFAULT_ADVISOR_QUERY.days) params.set("days", String(q.days));
  const s = params.toString();
  return s ? `/advisor?${s}` : "/advisor";
}
