/**
 * URL state of /advisor: `?sort=stake|severity|function` and `?days=1|3|7|14` (the look-back), plus the shell's
 * accounts and regions. A bad value falls back to its default and is said (`problems`); links leave defaults out.
 */
import { z } from "zod";
import {
  ADVISOR_WINDOW_DAYS,
  isAdvisorWindowDays,
  type AdvisorWindowDays,
} from "@/lib/core/advisor/window-days";
import { param, type UrlInput, type UrlProblems } from "./params";

/** How flags are ordered (lib/data/advisor/summary's FlagSort takes the same values). */
export const ADVISOR_SORTS = ["stake", "severity", "function"] as const;
export type AdvisorSort = (typeof ADVISOR_SORTS)[number];
export const ADVISOR_DAYS = ADVISOR_WINDOW_DAYS;

export interface AdvisorQuery {
  sort: AdvisorSort;
  days: AdvisorWindowDays;
}

export interface LoadedAdvisorQuery extends AdvisorQuery {
  problems: UrlProblems<"sort" | "days">;
}

/** `defaultDays` is the deployment's (FLEETSCOPE_ADVISOR_DAYS). */
export function loadAdvisorQuery(params: UrlInput, defaultDays: AdvisorWindowDays = 7): LoadedAdvisorQuery {
  const problems: LoadedAdvisorQuery["problems"] = {};
  const rawSort = param(params, "sort");
  const rawDays = param(params, "days");
  const sort = z.enum(ADVISOR_SORTS).safeParse(rawSort);
  const days = Number(rawDays);
  if (rawSort !== undefined && !sort.success)
    problems.sort = `Cannot order by "${rawSort.slice(0, 30)}": ordered by stake.`;
  if (rawDays !== undefined && !isAdvisorWindowDays(days))
    problems.days = `"days" is one of ${ADVISOR_DAYS.join(", ")}: showing ${defaultDays} days.`;
  return {
    sort: sort.success ? sort.data : "stake",
    days: isAdvisorWindowDays(days) ? days : defaultDays,
    problems,
  };
}

/** The values alone (a bad value is its default). */
export function parseAdvisorQuery(params: UrlInput, defaultDays: AdvisorWindowDays = 7): AdvisorQuery {
  const { sort, days } = loadAdvisorQuery(params, defaultDays);
  return { sort, days };
}

/** The advisor URL with one setting changed, keeping the shell's accounts and regions; defaults are left out. */
export function advisorHref(
  params: UrlInput,
  next: Partial<AdvisorQuery>,
  defaultDays: AdvisorWindowDays = 7,
): string {
  const q = { ...parseAdvisorQuery(params, defaultDays), ...next };
  const out = new URLSearchParams();
  for (const key of ["accounts", "regions"]) {
    const v = param(params, key);
    if (v) out.set(key, v);
  }
  if (q.sort !== "stake") out.set("sort", q.sort);
  if (q.days !== defaultDays) out.set("days", String(q.days));
  const s = out.toString();
  return s ? `/advisor?${s}` : "/advisor";
}
