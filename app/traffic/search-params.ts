/**
 * URL state of the /traffic list: `?q=payments&health=failing`. Parsed with zod; anything unknown falls back to
 * "everything" rather than failing the page.
 */
import { z } from "zod";
import { first, type SearchParams } from "@/app/search-params";
import { LIST_HEALTHS, type AliasListQuery } from "@/lib/core/traffic/alias-list";

const schema = z.object({
  q: z.string().max(200).catch(""),
  health: z.enum(["all", ...LIST_HEALTHS] as [string, ...string[]]).catch("all"),
});

export function parseTrafficQuery(sp: SearchParams): AliasListQuery {
  const r = schema.parse({ q: first(sp.q) ?? "", health: first(sp.health) ?? "all" });
  return { q: r.q.trim(), health: r.health as AliasListQuery["health"] };
}
