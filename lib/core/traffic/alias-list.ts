/**
 * The /traffic list's health column, filter and search, pure so the URL state means the same thing in a test.
 * An alias sending everything to one version has no canary ("none"); a weighted alias the collector has no
 * minutes for yet is "unknown", never "healthy".
 */
import type { Alias } from "../lambda/types";
import { HEALTH_LABEL, type AliasHealth, type AliasVerdict } from "./verdict";

export type ListHealth = AliasHealth | "unknown" | "none";
export const LIST_HEALTHS: readonly ListHealth[] = [
  "failing",
  "degraded",
  "insufficient",
  "unknown",
  "healthy",
  "none",
];

export const LIST_HEALTH_LABEL: Record<ListHealth, string> = {
  ...HEALTH_LABEL,
  unknown: "not collected yet",
  none: "no canary",
};

export interface ListRow {
  account: string;
  region: string;
  functionName: string;
  alias: Alias;
  verdict: AliasVerdict | null;
}

export function listHealth(row: ListRow): ListHealth {
  if (!row.alias.routing || row.alias.routing.weight <= 0) return "none";
  return row.verdict?.health ?? "unknown";
}

/** Worst first, so a failing canary is at the top of its group. */
export const healthRank = (h: ListHealth): number => LIST_HEALTHS.indexOf(h);

export interface AliasListQuery {
  /** Words that must all appear in "function:alias account region health" (case-insensitive). */
  q: string;
  health: ListHealth | "all";
}

export function filterAliasRows<T extends ListRow>(rows: readonly T[], query: AliasListQuery): T[] {
  const words = query.q.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    const h = listHealth(r);
    if (query.health !== "all" && h !== query.health) return false;
    const text =
      `${r.functionName}:${r.alias.name} ${r.account} ${r.region} ${LIST_HEALTH_LABEL[h]}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
