/**
 * URL state of the /traffic list: `?q=payments&health=failing`. Anything unknown falls back to "everything" and
 * is said (`problems`) rather than failing the page.
 */
import { LIST_HEALTHS, type AliasListQuery } from "@/lib/core/traffic/alias-list";
import { param, type UrlInput, type UrlProblems } from "./params";

const isHealth = (v: string): v is AliasListQuery["health"] =>
  v === "all" || (LIST_HEALTHS as readonly string[]).includes(v);

export interface LoadedTrafficQuery {
  query: AliasListQuery;
  problems: UrlProblems<"health">;
}

export function loadTrafficQuery(params: UrlInput): LoadedTrafficQuery {
  const rawHealth = param(params, "health");
  const known = rawHealth === undefined || isHealth(rawHealth);
  return {
    query: {
      q: (param(params, "q") ?? "").slice(0, 200).trim(),
      health: rawHealth !== undefined && isHealth(rawHealth) ? rawHealth : "all",
    },
    problems:
      known || rawHealth === undefined
        ? {}
        : { health: `Unknown health "${rawHealth.slice(0, 30)}": showing every alias.` },
  };
}

export const parseTrafficQuery = (params: UrlInput): AliasListQuery => loadTrafficQuery(params).query;
