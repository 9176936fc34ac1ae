/**
 * URL state of /sources beyond the shell's regions and range: `?health=falling-behind` keeps one health value
 * (spaces written as dashes). Anything unknown falls back to every source rather than failing the page.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import { SOURCE_HEALTHS, type SourceHealth } from "@/lib/core/triggers/source-health";

export const healthSlug = (h: SourceHealth) => h.replace(/ /g, "-");

const SLUGS = SOURCE_HEALTHS.map(healthSlug);

const schema = z.enum(["all", ...SLUGS] as [string, ...string[]]).catch("all");

/** null: every health. */
export function parseHealthFilter(sp: SearchParams): SourceHealth | null {
  const slug = schema.parse(first(sp.health) ?? "all");
  return SOURCE_HEALTHS.find((h) => healthSlug(h) === slug) ?? null;
}
