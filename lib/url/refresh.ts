/**
 * `?refresh=30s|1m|5m`: how often the page re-renders its server components. Absent or "off": never. A bad value
 * (anything else, including names every object inherits such as "toString" or "constructor") loads as "off" with
 * a problem in words for the control that sets it; the writer keeps every other param.
 */
import { asQuery, param, searchOf, type UrlInput } from "./params";

export const REFRESH_KEY = "refresh";

/** Each choice and its interval in ms, in the control's order; "off" is 0 (no timer). */
export const REFRESH_OPTIONS = { off: 0, "30s": 30_000, "1m": 60_000, "5m": 300_000 } as const;
export type RefreshKey = keyof typeof REFRESH_OPTIONS;
export const REFRESH_CHOICES = Object.keys(REFRESH_OPTIONS) as RefreshKey[];

export interface LoadedRefresh {
  refresh: RefreshKey;
  /** Its interval in ms; 0 for off. */
  ms: number;
  problem: string | null;
}

const isRefresh = (v: string): v is RefreshKey => Object.hasOwn(REFRESH_OPTIONS, v);

export function loadRefresh(params: UrlInput): LoadedRefresh {
  const raw = param(params, REFRESH_KEY);
  if (raw === undefined || raw === "") return { refresh: "off", ms: 0, problem: null };
  if (isRefresh(raw)) return { refresh: raw, ms: REFRESH_OPTIONS[raw], problem: null };
  return {
    refresh: "off",
    ms: 0,
    problem: `Not a refresh interval: "${raw.slice(0, 40)}" (use ${REFRESH_CHOICES.filter((k) => k !== "off").join(", ")}). Auto-refresh is off.`,
  };
}

/** The query string `search` with `refresh` set ("off" removes it), every other param kept; "" when empty. */
export function withRefresh(search: string, refresh: RefreshKey): string {
  const next = searchOf(search);
  if (refresh === "off") next.delete(REFRESH_KEY);
  else next.set(REFRESH_KEY, refresh);
  return asQuery(next);
}
