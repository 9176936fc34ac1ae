/**
 * URL state of /advisor: `?sort=stake|severity|function` and `?days=1|3|7|14` (the look-back), plus the
 * shell's regions. Invalid values fall back to defaults: a stale shared link still opens.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import {
  ADVISOR_WINDOW_DAYS,
  isAdvisorWindowDays,
  type AdvisorWindowDays,
} from "@/lib/core/advisor/window-days";
import type { FlagSort } from "@/lib/data/advisor/summary";

export const ADVISOR_SORTS = ["stake", "severity", "function"] as const satisfies readonly FlagSort[];
export const ADVISOR_DAYS = ADVISOR_WINDOW_DAYS;

export interface AdvisorQuery {
  sort: FlagSort;
  days: AdvisorWindowDays;
}

/** `defaultDays` is the deployment's (FLEETSCOPE_ADVISOR_DAYS). */
export function parseAdvisorQuery(sp: SearchParams, defaultDays: AdvisorWindowDays = 7): AdvisorQuery {
  const sort = z.enum(ADVISOR_SORTS).safeParse(first(sp.sort));
  const days = Number(first(sp.days));
  return {
    sort: sort.success ? sort.data : "stake",
    days: isAdvisorWindowDays(days) ? days : defaultDays,
  };
}

/** The advisor URL with one setting changed, keeping the shell's regions; defaults are left out. */
export function advisorHref(
  sp: SearchParams,
  next: Partial<AdvisorQuery>,
  defaultDays: AdvisorWindowDays = 7,
): string {
  const q = { ...parseAdvisorQuery(sp, defaultDays), ...next };
  const params = new URLSearchParams();
  const regions = first(sp.regions);
  if (regions) params.set("regions", regions);
  if (q.sort !== "stake") params.set("sort", q.sort);
  if (q.days !== defaultDays) params.set("days", String(q.days));
  const s = params.toString();
  return s ? `/advisor?${s}` : "/advisor";
}
