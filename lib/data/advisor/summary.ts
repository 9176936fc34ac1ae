/**
 * The advisor's result as pages and the CLI see it, and the pure views over it: grouping by severity and rule,
 * sorting by money at stake, the total potential monthly saving (across accounts and per account). Shared by
 * server and client code. A flag's function is its account, region and name (the core rules judge one account
 * at a time; the account is stamped on what they return).
 */
import type { Flag, RuleId, Severity, Unjudged } from "@/lib/core/advisor";
import { functionRefKey } from "@/lib/core/accounts/scope";
import type { AccountId } from "@/lib/core/accounts";
import { evidenceRows } from "@/lib/core/advisor/evidence-text";
import { formatSpan } from "@/lib/core/format";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import type { TimeWindow } from "@/lib/core/time/range";
import { microUsd, type MicroUsd } from "@/lib/core/units";

/** How much of the asked window a store-backed run judged, and what it cost AWS. */
export interface RegionEvidence {
  /** The part of the asked window every observation covers; null: no telemetry there (configuration only). */
  judged: TimeWindow | null;
  /** REPORT-line evidence (memory, durations, cold starts, timeouts, OOM kills) is part of the judgement. */
  logsJudged: boolean;
  /** Per source over the asked window, as the fleet panels report it (freshness, gaps). */
  coverage: SourceCoverage[];
  /** Why `judged` is shorter than asked (beyond the newest, not yet closed minutes); null when it is whole. */
  shortfall: string | null;
  /**
   * AWS requests the run made: the published-version inventory's and the trigger configuration's the store does
   * not hold (queue attributes, a stale mapping listing); the telemetry itself costs none.
   */
  awsRequests: number;
}

/** A flag of one account's function (or of the account itself, functionName null). */
export type FleetFlag = Flag & { account: string };
export type FleetUnjudged = Unjudged & { account: string };

/** "111111111111/us-east-1": how the page and the CLI name one account-region. */
export const scopeLabel = (s: { account: string; region: string }): string => `${s.account}/${s.region}`;

/** One account-region's outcome. */
export interface RegionAdviceStatus {
  account: string;
  /** Its Organizations name, when known. */
  accountName: string | null;
  region: string;
  /** Every rule judged for every function on evidence read whole: false when `advised` is, or anything is missing. */
  ok: boolean;
  /** The region's flags were computed (false: the region failed, `message` says why). */
  advised: boolean;
  /** Why the region failed, or which sources failed or came back partial. */
  message: string | null;
  functions: number;
  /** Rules not judged (or judged only in part) for want of evidence, per function, with why. */
  unjudged: FleetUnjudged[];
  /** Store-backed runs only. */
  evidence?: RegionEvidence;
}

export interface FleetAdvice {
  window: TimeWindow;
  generatedAt: number;
  /** Where the evidence came from: the collector's store, or AWS read live for this run. */
  source: "store" | "live";
  /** One entry per account-region advised. */
  regions: RegionAdviceStatus[];
  flags: FleetFlag[];
}

const spanOf = (w: TimeWindow) => w.end - w.start;

/**
 * What a region's flags were judged on, when that is less than asked: "judged on 26 h of the 7.5 d asked: the
 * collector is still backfilling". null when the whole window was judged (the page and the CLI say nothing).
 */
export function judgedLine(window: TimeWindow, e: RegionEvidence): string | null {
  if (e.judged === null)
    return `nothing judged on telemetry (${e.shortfall ?? "none collected yet"}): configuration only`;
  const parts: string[] = [];
  if (e.shortfall !== null)
    parts.push(
      `judged on ${formatSpan(spanOf(e.judged))} of the ${formatSpan(spanOf(window))} asked: ${e.shortfall}`,
    );
  if (!e.logsJudged)
    parts.push(
      "no REPORT lines collected in it: memory, durations, cold starts and timeouts could not be judged",
    );
  return parts.length > 0 ? parts.join("; ") : null;
}

export interface NotJudgedGroup {
  account: string;
  region: string;
  reason: string;
  rules: RuleId[];
  /** Function names; "(account)" for the account-wide rule. */
  functions: string[];
  partly: boolean;
}

/** Unjudged entries grouped by scope and reason, so one cause reads once: "rules X, Y for functions A, B". */
export function groupNotJudged(unjudged: readonly FleetUnjudged[]): NotJudgedGroup[] {
  const groups = new Map<string, NotJudgedGroup>();
  for (const u of unjudged) {
    const key = `${u.account}\u0000${u.region}\u0000${u.partly}\u0000${u.reason}`;
    const g = groups.get(key) ?? {
      account: u.account,
      region: u.region,
      reason: u.reason,
      rules: [],
      functions: [],
      partly: u.partly,
    };
    if (!g.rules.includes(u.ruleId)) g.rules.push(u.ruleId);
    const fn = u.functionName ?? "(account)";
    if (!g.functions.includes(fn)) g.functions.push(fn);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const listed = (names: readonly string[], max: number) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

/** "not judged: rules timeouts, cold-starts for 20 functions (a, b, … and 15 more): <why>", one per group. */
export function notJudgedLines(unjudged: readonly FleetUnjudged[], maxNames = 5): string[] {
  return groupNotJudged(unjudged).map((g) => {
    const rules = `rule${g.rules.length > 1 ? "s" : ""} ${g.rules.join(", ")}`;
    const fns =
      g.functions.length === 1
        ? `function ${g.functions[0]}`
        : `${g.functions.length} functions (${listed(g.functions, maxNames)})`;
    return `${scopeLabel(g)}: ${g.partly ? "partly judged" : "not judged"}: ${rules} for ${fns}: ${g.reason}`;
  });
}

/** The accounts advised, in order, with their Organizations names when known. */
export function accountNames(advice: Pick<FleetAdvice, "regions">): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const r of advice.regions) if (!out.has(r.account) || r.accountName) out.set(r.account, r.accountName);
  return out;
}

/** Whether the run judged every rule on whole evidence in every scope (the CLI's exit 0, JSON `ok`). */
export const adviceComplete = (advice: FleetAdvice): boolean => advice.regions.every((r) => r.ok);

/** AWS requests of the run, summed over scopes; null for the live path (not counted there). */
export const awsRequestsOf = (advice: FleetAdvice): number | null =>
  advice.source === "live" ? null : advice.regions.reduce((a, r) => a + (r.evidence?.awsRequests ?? 0), 0);

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const atOrAbove = (s: Severity, floor: Severity): boolean => RANK[s] <= RANK[floor];

/** Money at stake as one comparable number: savings and costs alike, "none" is 0. */
export const stake = (f: Flag): number =>
  f.monthlyImpact.kind === "none" ? 0 : Math.abs(f.monthlyImpact.amount);

/** Sum of the savings the flags recommend (costs and risks are not savings). */
export function totalMonthlySaving(flags: readonly Flag[]): MicroUsd {
  return microUsd(
    flags.reduce(
      (a, f) => a + (f.monthlyImpact.kind === "saving" ? Math.max(0, f.monthlyImpact.amount) : 0),
      0,
    ),
  );
}

export interface AccountSaving {
  account: string;
  saving: MicroUsd;
  /** Some saving of the account rests on a lower-bound cost: "at least". */
  lowerBound: boolean;
  flags: number;
}

/** The recommended saving per account (every account with a flag), largest first; they add up to the total. */
export function savingByAccount(flags: readonly FleetFlag[]): AccountSaving[] {
  const by = new Map<string, FleetFlag[]>();
  for (const f of flags) by.set(f.account, [...(by.get(f.account) ?? []), f]);
  return [...by]
    .map(([account, fs]) => ({
      account,
      saving: totalMonthlySaving(fs),
      lowerBound: savingIsLowerBound(fs),
      flags: fs.length,
    }))
    .sort((a, b) => b.saving - a.saving || a.account.localeCompare(b.account));
}

/** Whether a saving counted in totalMonthlySaving rests on a lower-bound cost: the total is then "at least". */
export const savingIsLowerBound = (flags: readonly Flag[]): boolean =>
  flags.some(
    (f) => f.monthlyImpact.kind === "saving" && f.monthlyImpact.amount > 0 && f.monthlyImpact.lowerBound,
  );

export type FlagSort = "stake" | "severity" | "function";

export function sortFlags<F extends FleetFlag>(flags: readonly F[], by: FlagSort): F[] {
  // The function's name leads ("function" sort), then where it runs: same-named functions of two accounts sit
  // side by side.
  const name = (f: F) => `${f.functionName ?? ""}/${f.qualifier ?? ""}/${f.account}/${f.region}`;
  return [...flags].sort((a, b) => {
    if (by === "stake")
      return stake(b) - stake(a) || RANK[a.severity] - RANK[b.severity] || name(a).localeCompare(name(b));
    if (by === "function") return name(a).localeCompare(name(b)) || RANK[a.severity] - RANK[b.severity];
    return RANK[a.severity] - RANK[b.severity] || stake(b) - stake(a) || name(a).localeCompare(name(b));
  });
}

export interface RuleGroup {
  ruleId: RuleId;
  flags: FleetFlag[];
  stake: number;
}

export interface SeverityGroup {
  severity: Severity;
  rules: RuleGroup[];
  count: number;
}

/** Severity → rule → flags; rules ordered by total money at stake, flags by `sort`. Empty groups are dropped. */
export function groupFlags(flags: readonly FleetFlag[], sort: FlagSort = "stake"): SeverityGroup[] {
  return SEVERITIES.map((severity) => {
    const mine = flags.filter((f) => f.severity === severity);
    const byRule = new Map<RuleId, FleetFlag[]>();
    for (const f of mine) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const rules = [...byRule.entries()]
      .map(([ruleId, fs]) => ({
        ruleId,
        flags: sortFlags(fs, sort),
        stake: fs.reduce((a, f) => a + stake(f), 0),
      }))
      .sort((a, b) => b.stake - a.stake || a.ruleId.localeCompare(b.ruleId));
    return { severity, rules, count: mine.length };
  }).filter((g) => g.count > 0);
}

/** Flags of one function by functionRefKey (account:region:name), for badges in the functions table. */
export function flagsByFunction(flags: readonly FleetFlag[]): Map<string, FleetFlag[]> {
  const out = new Map<string, FleetFlag[]>();
  for (const f of flags) {
    if (f.functionName === null) continue;
    const key = functionRefKey({ account: f.account as AccountId, region: f.region, name: f.functionName });
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return out;
}

/** The most severe severity among flags, or null. */
export function worstSeverity(flags: readonly Flag[]): Severity | null {
  return flags.reduce<Severity | null>(
    (w, f) => (w === null || RANK[f.severity] < RANK[w] ? f.severity : w),
    null,
  );
}

/** What a badge needs about one function's flags: small enough to ship to the browser for the whole fleet. */
export interface FlagBadgeSummary {
  worst: Severity;
  count: number;
  titles: string[];
}

export function badgeSummaries(flags: readonly FleetFlag[]): Record<string, FlagBadgeSummary> {
  const out: Record<string, FlagBadgeSummary> = {};
  for (const [key, fs] of flagsByFunction(flags)) {
    out[key] = { worst: worstSeverity(fs) as Severity, count: fs.length, titles: fs.map((f) => f.title) };
  }
  return out;
}

export interface EvidenceBar {
  key: string;
  label: string;
  value: number;
  /** Share of the longest bar in [0, 1]. */
  share: number;
  display: string;
}

const TO_BASE: Partial<Record<string, { unit: string; factor: number }>> = {
  ms: { unit: "ms", factor: 1 },
  s: { unit: "ms", factor: 1000 },
  hours: { unit: "ms", factor: 3_600_000 },
  MB: { unit: "MB", factor: 1 },
  bytes: { unit: "MB", factor: 1 / (1024 * 1024) },
  count: { unit: "count", factor: 1 },
  concurrency: { unit: "concurrency", factor: 1 },
  ratio: { unit: "ratio", factor: 1 },
};

/**
 * The flag's comparable numbers as bars: those that share the unit of the flag's first number (seconds folded
 * into ms, bytes into MB), each scaled to the largest, so a limit and the value near it read at a glance. Labels
 * and values are the evidence list's (evidence-text.ts).
 */
export function evidenceBars(flag: Flag): EvidenceBar[] {
  const rows = new Map(evidenceRows(flag).map((r) => [r.key, r]));
  const entries = Object.entries(flag.evidence.numbers);
  const base = entries.map(([, n]) => TO_BASE[n.unit]?.unit).find((u) => u !== undefined);
  if (base === undefined) return [];
  const same = entries
    .map(([key, n]) => ({ key, conv: TO_BASE[n.unit], value: n.value }))
    .filter((e) => e.conv?.unit === base && Number.isFinite(e.value) && rows.has(e.key))
    .map((e) => ({ key: e.key, value: e.value * (e.conv?.factor ?? 1) }));
  const max = Math.max(0, ...same.map((e) => e.value));
  return same.map((e) => ({
    ...e,
    label: rows.get(e.key)?.label ?? e.key,
    share: max > 0 ? e.value / max : 0,
    display: rows.get(e.key)?.text ?? String(e.value),
  }));
}

export interface EvidenceItem {
  key: string;
  label: string;
  text: string;
  /** Bar length in [0, 1] when at least two numbers compare; null otherwise. */
  share: number | null;
}

/** The one evidence list a flag shows: every number with its readable label, and a bar where they compare. */
export function evidenceList(flag: Flag): EvidenceItem[] {
  const bars = evidenceBars(flag);
  const shares = new Map(bars.length >= 2 ? bars.map((b) => [b.key, b.share]) : []);
  return evidenceRows(flag).map((r) => ({ ...r, share: shares.get(r.key) ?? null }));
}
