/**
 * The advisor's result as pages and the CLI see it, and the pure views over it: grouping by severity and rule,
 * sorting by money at stake, the total potential monthly saving. Shared by server and client code.
 */
import type { Flag, RuleId, Severity } from "@/lib/core/advisor";
import type { TimeWindow } from "@/lib/core/time/range";
import { microUsd, type MicroUsd } from "@/lib/core/units";

export interface RegionAdviceStatus {
  region: string;
  ok: boolean;
  /** Why the region failed, or which sources were partial. */
  message: string | null;
  functions: number;
}

export interface FleetAdvice {
  window: TimeWindow;
  generatedAt: number;
  regions: RegionAdviceStatus[];
  flags: Flag[];
}

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const atOrAbove = (s: Severity, floor: Severity): boolean => RANK[s] <= RANK[floor];

/** Money at stake as one comparable number: savings and costs alike, "none" is 0. */
export const stake = (f: Flag): number => (f.monthlyImpact.kind === "none" ? 0 : Math.abs(f.monthlyImpact.amount));

/** Sum of the savings the flags recommend (costs and risks are not savings). */
export function totalMonthlySaving(flags: readonly Flag[]): MicroUsd {
  return microUsd(
    flags.reduce((a, f) => a + (f.monthlyImpact.kind === "saving" ? Math.max(0, f.monthlyImpact.amount) : 0), 0),
  );
}

export type FlagSort = "stake" | "severity" | "function";

export function sortFlags(flags: readonly Flag[], by: FlagSort): Flag[] {
  const name = (f: Flag) => `${f.region}/${f.functionName ?? ""}/${f.qualifier ?? ""}`;
  return [...flags].sort((a, b) => {
    if (by === "stake") return stake(b) - stake(a) || RANK[a.severity] - RANK[b.severity] || name(a).localeCompare(name(b));
    if (by === "function") return name(a).localeCompare(name(b)) || RANK[a.severity] - RANK[b.severity];
    return RANK[a.severity] - RANK[b.severity] || stake(b) - stake(a) || name(a).localeCompare(name(b));
  });
}

export interface RuleGroup {
  ruleId: RuleId;
  flags: Flag[];
  stake: number;
}

export interface SeverityGroup {
  severity: Severity;
  rules: RuleGroup[];
  count: number;
}

/** Severity → rule → flags; rules ordered by total money at stake, flags by `sort`. Empty groups are dropped. */
export function groupFlags(flags: readonly Flag[], sort: FlagSort = "stake"): SeverityGroup[] {
  return SEVERITIES.map((severity) => {
    const mine = flags.filter((f) => f.severity === severity);
    const byRule = new Map<RuleId, Flag[]>();
    for (const f of mine) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const rules = [...byRule.entries()]
      .map(([ruleId, fs]) => ({ ruleId, flags: sortFlags(fs, sort), stake: fs.reduce((a, f) => a + stake(f), 0) }))
      .sort((a, b) => b.stake - a.stake || a.ruleId.localeCompare(b.ruleId));
    return { severity, rules, count: mine.length };
  }).filter((g) => g.count > 0);
}

/** Flags of one function (for badges in the functions table and on the function page). */
export function flagsByFunction(flags: readonly Flag[]): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  for (const f of flags) {
    if (f.functionName === null) continue;
    const key = `${f.region}/${f.functionName}`;
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return out;
}

/** The most severe severity among flags, or null. */
export function worstSeverity(flags: readonly Flag[]): Severity | null {
  return flags.reduce<Severity | null>((w, f) => (w === null || RANK[f.severity] < RANK[w] ? f.severity : w), null);
}
