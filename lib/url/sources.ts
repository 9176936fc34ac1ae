/**
 * URL state of /sources beyond the shell's regions and range: `?health=falling-behind` keeps one health value
 * (spaces written as dashes). Anything unknown falls back to every source and is said (`problems`).
 */
import { SOURCE_HEALTHS, type SourceHealth } from "@/lib/core/triggers/source-health";
import { param, type UrlInput, type UrlProblems } from "./params";

export const healthSlug = (h: SourceHealth) => h.replace(/ /g, "-");

export interface SourcesParams {
  /** null: every health. */
  health: SourceHealth | null;
  problems: UrlProblems<"health">;
}

export function loadSourcesParams(params: UrlInput): SourcesParams {
  const slug = param(params, "health");
  if (slug === undefined || slug === "all") return { health: null, problems: {} };
  const health = SOURCE_HEALTHS.find((h) => healthSlug(h) === slug) ?? null;
  return {
    health,
    problems:
      health === null ? { health: `Unknown health "${slug.slice(0, 30)}": showing every source.` } : {},
  };
}

/** The health filter alone (unknown → every health). */
export const parseHealthFilter = (params: UrlInput): SourceHealth | null => loadSourcesParams(params).health;
